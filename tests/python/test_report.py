"""The analyst's desk: credit report, network plot, grade tables, ID masking.

Two groups:
* helpers checked on hand-made inputs (masking, list-entry status, grade tables, benchmark JSON);
* the report and the network on the real engine built from the small data set (``CG_DATASET``,
  default ``datasets/sample``), rendered in headless Chromium (Debian's ``chromium``).
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import creditgraph as cg
from creditgraph import cli
from creditgraph.privacy import (id18_check_char, list_entry_status, list_summary, list_table,
                                 looks_like_id_no, mask_id_no, scrub_frame, scrub_text)

ROOT = Path(__file__).resolve().parents[2]
DATASET = Path(os.environ.get("CG_DATASET", ROOT / "datasets" / "sample"))

needs_engine = pytest.mark.skipif(not hasattr(cg, "build"),
                                  reason="creditgraph.build (the lead's engine) is not merged yet")


def make_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + id18_check_char(body)


# ---------------------------------------------------------------------------------------------
# Masking


def test_check_character_of_a_published_example():
    # GB 11643-1999 annex example: 11010519491231002X.
    assert id18_check_char("11010519491231002") == "X"


def test_mask_id_no_keeps_region_and_last_four():
    number = make_id("370102", "19850307", "123")
    assert mask_id_no(number) == "370102********123" + number[-1]
    assert mask_id_no("370102850307123") == "370102******123"
    assert mask_id_no("370102********1234") == "370102********1234"
    assert mask_id_no(None) is None


def test_scrub_text_masks_ids_inside_text_and_leaves_usccs():
    person = make_id("370102", "19900215", "432")
    uscc = "91370102MA3C8XYZ1K"
    all_digit_uscc = "913701020000123456"  # digits 7-14 '02000012' are no birth date
    text = f"法定代表人张伟（{person}），统一社会信用代码{uscc}、{all_digit_uscc}；旧证 370102850307123"
    scrubbed = scrub_text(text)
    assert person not in scrubbed
    assert "370102********432" + person[-1] in scrubbed
    assert uscc in scrubbed and all_digit_uscc in scrubbed
    assert "370102850307123" not in scrubbed
    # A mistyped number (wrong check character) is still somebody's: masked too.
    wrong = person[:-1] + ("0" if person[-1] != "0" else "1")
    assert wrong not in scrub_text(wrong)


def test_scrub_frame_masks_id_columns_and_keeps_code_columns():
    person = make_id("370202", "19900215", "432")
    frame = pd.DataFrame({"party_id_no": [person], "subject_uscc": ["913701020000123456"],
                          "reason": [f"见 {person}"], "amount": [1.5]})
    out = scrub_frame(frame)
    assert person not in out.to_string()
    assert out.loc[0, "subject_uscc"] == "913701020000123456"
    assert out.loc[0, "amount"] == 1.5
    assert frame.loc[0, "party_id_no"] == person  # the input is not modified


def test_looks_like_id_no():
    assert looks_like_id_no(make_id("370102", "20010101", "001"))
    assert not looks_like_id_no("91370102MA3C8XYZ1K")
    assert not looks_like_id_no("370102********1234")


# ---------------------------------------------------------------------------------------------
# List entries (measures.md §3: active when listed_on <= T < removed_on, T < listed_on + 5y,
# not disputed)


@pytest.mark.parametrize("row, expected", [
    ({"listed_on": "2026-06-30"}, "active"),                                  # starts on T
    ({"listed_on": "2026-07-01"}, "future"),
    ({"listed_on": "2024-01-01", "removed_on": "2026-06-30"}, "removed"),      # ends on T: not active
    ({"listed_on": "2024-01-01", "removed_on": "2026-07-01"}, "active"),
    ({"listed_on": "2021-06-30"}, "expired"),                                # T = listed_on + 5y
    ({"listed_on": "2021-07-01"}, "active"),
    ({"listed_on": "2024/1/1", "disputed": "true"}, "disputed"),
    ({"listed_on": "2024年1月1日", "disputed": False}, "active"),
    ({"date": "20240101", "removed_on": None}, "active"),
])
def test_list_entry_status(row, expected):
    assert list_entry_status(row, "2026-06-30") == expected


def test_list_summary_black_wins_over_red():
    records = pd.DataFrame([
        {"kind": "list", "list": "tax_a", "listed_on": "2025-01-01"},
        {"kind": "list", "list": "court_dishonest_debtor", "listed_on": "2025-01-01", "removed_on": "2025-06-01"},
        {"kind": "penalty", "list": None, "listed_on": None},
    ])
    table = list_table(records, "2026-06-30")
    assert list(table["polarity"]) == ["red", "black"]
    assert list(table["status"]) == ["active", "removed"]
    assert list_summary(table) == "red"
    records.loc[1, "removed_on"] = None
    assert list_summary(list_table(records, "2026-06-30")) == "black"
    assert list_summary(list_table(records.iloc[2:], "2026-06-30")) == "clean"
    # Named as the party (the legal representative of a listed company): not listed.
    records["role"] = ["party", "party", "subject"]
    assert list_summary(list_table(records, "2026-06-30")) == "clean"


# ---------------------------------------------------------------------------------------------
# Grade tables and benchmark files


def test_grade_table_matches_a_naive_count():
    from creditgraph.plot import grade_table, industry_section

    scores = pd.DataFrame({
        "region": ["370102", "370103", "370212", "370102", None],
        "industry": ["C3021", "5161", "I65", "1311", "Z9"],
        "grade": ["D", "C", "A", "D", "B"],
    })
    by_city = grade_table(scores, by="city")
    naive: dict = {}
    for region, grade in zip(scores["region"], scores["grade"]):
        city = region[:4] + "00" if isinstance(region, str) else "?"
        naive[(city, grade)] = naive.get((city, grade), 0) + 1
    for (city, grade), count in naive.items():
        assert by_city.loc[city, grade] == count
    assert by_city.to_numpy().sum() == len(scores)
    assert [industry_section(c) for c in scores["industry"]] == ["C", "F", "I", "C", "?"]
    by_industry = grade_table(scores, by="industry")
    assert by_industry.loc["C 制造业", "D"] == 2
    with pytest.raises(ValueError):
        grade_table(scores, by="county")


def test_read_benchmarks_google_benchmark_and_records(tmp_path):
    from creditgraph.plot import benchmark_table, read_benchmarks

    (tmp_path / "gb.json").write_text(json.dumps({"context": {}, "benchmarks": [
        {"name": "BM_Bfs/1000", "run_name": "BM_Bfs/1000", "run_type": "iteration",
         "real_time": 2500.0, "time_unit": "us"},
    ]}))
    (tmp_path / "peers.json").write_text(json.dumps({"results": [
        {"stage": "BM_Bfs/1000", "tool": "networkx", "seconds": 0.01},
        {"stage": "BM_Bfs/1000", "tool": "networkx", "seconds": 0.03},
        {"stage": "BM_Bfs/1000", "tool": "networkx", "seconds": 0.02},
    ]}))
    frame = read_benchmarks(sorted(tmp_path.glob("*.json")))
    table = benchmark_table(frame)
    assert table.loc["BM_Bfs/1000", "creditgraph"] == pytest.approx(0.0025)
    assert table.loc["BM_Bfs/1000", "networkx"] == pytest.approx(0.02)
    assert table.loc["BM_Bfs/1000", "ratio"] == pytest.approx(8.0)


# ---------------------------------------------------------------------------------------------
# The report on the real engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    assert (DATASET / "catalog.yaml").is_file(), f"no data set at {DATASET}: set CG_DATASET"
    db = tmp_path_factory.mktemp("analyst") / "sample.db"
    return cg.build(DATASET, db, progress=False)


@pytest.fixture(scope="module")
def subjects(engine):
    """An organization bound by the most measures (else any organization) and a person."""
    entities = engine.entities()
    organizations = entities[entities["kind"] != "person"]["entity_id"]
    persons = entities[entities["kind"] == "person"]["entity_id"]
    assert len(organizations), "the data set has no organization"
    bound = engine.restrictions()
    bound_orgs = bound[bound["entity_id"].isin(organizations)]["entity_id"].value_counts()
    org = bound_orgs.index[0] if len(bound_orgs) else organizations.iloc[0]
    bound_persons = bound[bound["entity_id"].isin(persons)]["entity_id"].value_counts()
    person = bound_persons.index[0] if len(bound_persons) else (persons.iloc[0] if len(persons) else None)
    return {"organization": org, "person": person}


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.images: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if value and not value.startswith(("#", "data:")):
                self.external.append(value)


def _has_cell(page: str, value) -> bool:
    """True when a table cell of the page holds exactly ``value``."""
    return re.search(rf"<td(?: [^>]*)?>{re.escape(html.escape(str(value)))}</td>", page) is not None


def _full_ids_in_dataset(folder: Path) -> set[str]:
    """The full ID numbers of the data set: every 18-character one written in its text files,
    and those of truth/entities.csv (15-digit ones cannot be told from registration numbers by
    their look, so they come from the truth file only)."""
    numbers: set[str] = set()
    truth = folder / "truth" / "entities.csv"
    if truth.is_file():
        ids = pd.read_csv(truth, dtype=str).get("id_no")
        if ids is not None:
            numbers.update(n.strip() for n in ids.dropna() if looks_like_id_no(n.strip()))
    pattern = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
    for path in folder.rglob("*"):
        if path.suffix.lower() not in {".csv", ".jsonl", ".json", ".txt"} or not path.is_file():
            continue
        raw = path.read_bytes()
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            continue
        numbers.update(n for n in pattern.findall(text) if looks_like_id_no(n))
    return numbers


def _render(engine, key, folder, picture=True) -> tuple[Path, str]:
    from creditgraph.report import report

    out = report(engine, key, folder / f"report-{key}.html", picture=picture)
    return out, out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def org_report(engine, subjects, tmp_path_factory):
    """The organization's report, rendered once for the tests that read it."""
    return _render(engine, subjects["organization"], tmp_path_factory.mktemp("report"))


@needs_engine
def test_report_has_every_section_and_the_engines_facts(engine, subjects, org_report):
    from creditgraph.report import SECTIONS

    key = subjects["organization"]
    out, page = org_report
    parser = _Sections()
    parser.feed(page)
    assert parser.ids == [section for section, _ in SECTIONS]
    assert parser.external == [], "the report must be self-contained"
    text = html.unescape(page)
    assert "公共信用信息报告" in text
    assert engine.entity(key)["name"] in text
    assert "Noto Sans CJK SC" in page and "WenQuanYi Zen Hei" in page  # CJK font stack declared
    why = engine.why(key)
    for basis in why["basis"].dropna().unique():
        assert str(basis) in text, f"legal basis {basis!r} missing"
    for measure in why["measure"].unique():
        assert str(measure) in text
    records = engine.records(key)
    for rid in records.loc[records["kind"].isin(["list", "penalty", "license", "commitment"]), "rid"]:
        assert _has_cell(page, rid), f"record {rid} missing"
    explanation = engine.explain(key)
    assert explanation["contribution"].sum() == pytest.approx(explanation.attrs["score"])
    for indicator in explanation["indicator"]:
        assert _has_cell(page, indicator)
    related = engine.related(key, hops=2)
    for other in related["entity_id"]:
        if other != key:
            assert _has_cell(page, other)
    if len(related[related["entity_id"] != key]):
        assert parser.images and parser.images[0].startswith("data:image/png;base64,")


@needs_engine
def test_no_full_id_number_in_any_report(engine, subjects, tmp_path):
    known = _full_ids_in_dataset(DATASET)
    usccs = set(engine.entities()["uscc"].dropna().astype(str))
    keys = [k for k in (subjects["organization"], subjects["person"]) if k is not None]
    # Also ask for a person by the full number the departments used, when the data set has one.
    keys += sorted(known)[:1]
    id_token = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
    for key in keys:
        try:
            _, page = _render(engine, key, tmp_path, picture=False)
        except cg.NotFoundError:
            continue
        for number in known:
            assert number not in page, f"full ID number {number[:6]}… printed in the report of {key}"
        leaked = [t for t in id_token.findall(page) if looks_like_id_no(t) and t not in usccs]
        assert leaked == [], f"ID-like numbers printed in the report of {key}"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed to render the report: install Debian's chromium "
                "(scripts/bootstrap.sh)")


@needs_engine
def test_report_renders_in_headless_chromium(org_report, tmp_path):
    from PIL import Image

    out, _ = org_report
    shot = tmp_path / "report.png"
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--screenshot={shot}", "--window-size=1200,1600", out.resolve().as_uri()]
    subprocess.run(command, check=True, timeout=120, capture_output=True,
                   env={**os.environ, "HOME": str(tmp_path)})
    assert shot.is_file() and shot.stat().st_size > 0
    image = Image.open(shot).convert("L")
    assert image.size == (1200, 1600)
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (image.size[0] * image.size[1])
    assert 0.005 < dark < 0.6, f"the screenshot looks blank or solid ({dark:.3%} dark pixels)"
    assert len([count for count in histogram if count]) > 20


@needs_engine
def test_cli_report_json(engine, subjects, tmp_path, capsys):
    import gc

    key = subjects["organization"]
    # A database of its own: the module's engine keeps its folder open.
    db = tmp_path / "cli.db"
    built = cg.build(DATASET, db, progress=False)
    del built
    gc.collect()
    out = tmp_path / "cli.html"
    assert cli.main(["report", "--db", str(db), key, "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["entity_id"] == engine.entity(key)["entity_id"]
    assert printed["rows"]["restrictions"] == len(engine.why(key))
    assert printed["rows"]["lists"] == int((engine.records(key)["kind"] == "list").sum())
    assert out.is_file() and printed["bytes"] == out.stat().st_size
    assert cli.main(["report", "--db", str(db), "no-such-entity-0000", "--out", str(out)]) == 3


# ---------------------------------------------------------------------------------------------
# The network


@needs_engine
def test_network_graph_is_the_related_parties_and_the_edges_between_them(engine, subjects):
    from creditgraph.plot import network_graph

    key = subjects["organization"]
    graph = network_graph(engine, key, hops=2, max_nodes=10_000)
    center = engine.entity(key)["entity_id"]
    related = set(engine.related(key, hops=2)["entity_id"]) | {center}
    assert set(graph.nodes) == related
    edges = engine.edges()
    inside = edges[edges["src"].isin(related) & edges["dst"].isin(related)]
    assert sorted(zip(inside["src"], inside["dst"], inside["label"])) == \
        sorted((u, v, d["label"]) for u, v, d in graph.edges(data=True))
    # The colour of each node is the list status of its own records.
    for node, data in graph.nodes(data=True):
        lists = engine.records(node, kind="list")
        assert data["status"] == list_summary(list_table(lists, engine.as_of))
    assert graph.nodes[center]["hops"] == 0


@needs_engine
def test_plots_draw(engine, subjects):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from creditgraph.plot import plot_grades, plot_network

    ax = plot_network(engine, subjects["organization"])
    assert ax.graph.number_of_nodes() >= 1
    plt.close(ax.figure)
    scores = engine.scores()
    for by in ("city", "industry"):
        ax = plot_grades(scores, by=by)
        total = sum(patch.get_width() for patch in ax.patches)
        assert total == pytest.approx(len(scores))
        plt.close(ax.figure)
