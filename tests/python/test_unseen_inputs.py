"""Generality sweep: the whole pipeline on inputs the engine has never seen.

tests/data/unseen/ holds a hand-written data set (province/), a measures catalog
(measures.yaml) and a scoring model (model.yaml) that use freedoms of shared/spec/ which the
generator, datasets/sample and the shipped catalogs do not (see the comments in those files).
Every expected answer below is worked out by hand from the specs, not read from the engine.

The data set (as_of 2026-09-30; measures max_years 4):

    P3 李明 ──holds 0.8── E1 淄博华岳化工 ◀──0.6 holder── E5 淄博华岳新材料 ──guarantees──▶ E2 淄博顺达物流
        │                 │  legal_rep P1 王建国         legal_rep P3                    (reg_no only)
        │ declared        │  chair P1                                                   legal_rep P1
        │ controller      ◀── branch ── E6 桓台分公司 (legal_rep P5 周强)
        └──────────── E7 淄博远景贸易 (legal_rep P5, director P1, holder E5 0.3)
    E3 桓台县华岳加油站 (individual business, operator P2 赵小红: no ID number)
    E4 淄博市华岳职业培训学校 (organization, org code only, legal_rep and principal P4 孙丽)
    E9 淄博华岳餐饮 (a registry row with a bad status, date and capital: loaded, flagged)

Derived controllers: E5 -> E1 (0.6) -> P3 (0.8): controller(E5) = controller(E1) = P3.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import creditgraph as cg
from creditgraph import ingest as ingest_api

ROOT = Path(__file__).resolve().parents[2]
UNSEEN = ROOT / "tests" / "data" / "unseen"
PROVINCE = UNSEEN / "province"
MEASURES = UNSEEN / "measures.yaml"
MODEL = UNSEEN / "model.yaml"
# the data set's ID numbers, in both forms (a 15-digit registration number is not one)
FULL_ID = re.compile("|".join(["370303198001010012", "370303800101001", "370303197512120024",
                               "370303199005050032", "370303198508080044"]))

E1, E2, E3, E4 = "U:91370303MA3D00012X", "R:370300200012340", "U:92370321MA3D00039L", "O:123703005"
E5, E6, E7, E9 = "U:91370303MA3D00020Q", "U:91370303MA3D00047G", "U:91370303MA3D00055B", "U:91370303MA3D000636"
PERSONS = {"P1": "王建国", "P2": "赵小红", "P3": "李明", "P4": "孙丽", "P5": "周强"}


@pytest.fixture(scope="module")
def eng(tmp_path_factory):
    return cg.build(PROVINCE, tmp_path_factory.mktemp("unseen") / "db", measures=MEASURES, model=MODEL,
                    progress=False)


@pytest.fixture(scope="module")
def ids(eng):
    """Short names (E1.., P1..) -> entity ids; persons found by their (unique) names."""
    entities = eng.entities()
    out = {"E1": E1, "E2": E2, "E3": E3, "E4": E4, "E5": E5, "E6": E6, "E7": E7, "E9": E9}
    for short, name in PERSONS.items():
        matches = entities.loc[(entities["kind"] == "person") & (entities["name"] == name), "entity_id"]
        assert len(matches) == 1, f"{name}: {list(matches)}"
        out[short] = matches.iloc[0]
    return out


# ---------------------------------------------------------------------------------- ingest
def test_every_record_is_loaded_or_quarantined_with_a_reason(eng):
    counts = ingest_api.counts(eng.db_path).set_index("source")
    expected = {  # source: (read, loaded, quarantined, flagged), counted by hand from the files
        "zb_amr_registry": (10, 8, 2, 1),   # R08 party only, R01 twice; R09 flagged
        "zb_gaj_persons": (8, 5, 3, 0),     # PB6 no identity, a JSON array, a broken line
        "zb_officers": (7, 5, 2, 0),        # O5 role cfo, O7 null party
        "zb_holders": (4, 4, 0, 1),         # S4 ratio 1.5
        "zb_branches": (1, 1, 0, 0),
        "zb_guarantees": (1, 1, 0, 0),
        "zb_lists": (11, 9, 2, 1),          # L8 bad code, L9 bad date; L11 disputed 'maybe'
        "zb_penalties": (4, 3, 1, 1),       # PN4 no decided_on; PN3 severity critical
        "zb_ratings": (5, 4, 1, 0),         # RT5 no grade
        "zb_licenses": (0, 0, 0, 0),        # header only
        "zb_licenses_more": (0, 0, 0, 0),   # 0 bytes
        "zb_commitments": (3, 2, 1, 0),     # Parquet; CM3 null made_on
    }
    got = {source: tuple(int(counts.loc[source, c]) for c in ("read", "loaded", "quarantined", "flagged"))
           for source in expected}
    assert got == expected
    quarantine = eng.quarantine()
    assert set(zip(quarantine["source"], quarantine["rid"].fillna(""), quarantine["field"])) >= {
        ("zb_amr_registry", "R01", "rid"), ("zb_amr_registry", "R08", "subject"),
        ("zb_officers", "O5", "role"), ("zb_officers", "O7", "party"),
        ("zb_lists", "L8", "list"), ("zb_lists", "L9", "listed_on"),
        ("zb_penalties", "PN4", "decided_on"), ("zb_ratings", "RT5", "grade"),
        ("zb_commitments", "CM3", "made_on"), ("zb_gaj_persons", "PB6", "subject"),
    }
    assert (quarantine["reason"].str.len() > 10).all()


def test_bad_optional_values_are_flagged_with_their_reason(eng):
    def flags(kind, rid):
        records = ingest_api.records(eng.db_path, kind)
        return records.set_index("rid").loc[rid, "flags"]

    assert {"status", "est_date", "reg_capital"} <= {f.split(":")[0] for f in flags("registry", "R09").split("; ")}
    assert "critical" in flags("penalty", "PN3")
    assert "1.5" in flags("shareholder", "S4")
    assert "maybe" in flags("list", "L11")


def test_department_columns_bom_crlf_and_old_codes_are_read(eng):
    registry = ingest_api.records(eng.db_path, "registry").set_index("rid")
    assert registry.loc["R01", "subject_uscc"] == "91370303MA3D00012X"       # first column behind a BOM
    assert registry.loc["R01", "status"] == "存续"
    assert registry.loc["R01", "est_date"] == "2010-03-15"                   # 2010年3月15日
    assert registry.loc["R02", "est_date"] == "2015-06-01"                   # 20150601
    assert registry.loc["R03", "est_date"] == "2019-07-01"                   # 2019/7/1
    assert "化工产品销售,不含危险化学品" in registry.loc["R01", "attrs"]          # quoted comma, extra column
    assert not registry["attrs"].str.contains("\r").any() and not registry["industry"].str.contains("\r").any()
    assert registry.loc["R01", "party_id_no"] == "370303198001010012"        # 15 digits upgraded
    assert registry.loc["R04", "subject_org_code"] == "123703005"            # hyphen dropped
    officers = ingest_api.records(eng.db_path, "officer").set_index("rid")
    assert officers.loc["O4", "role"] == "chair"                             # CHAIR
    commitments = ingest_api.records(eng.db_path, "commitment").set_index("rid")
    assert commitments.loc["CM1", "made_on"] == "2025-05-01"                 # Parquet date


# ---------------------------------------------------------------------------------- resolution
def test_entities_and_old_codes(eng, ids):
    entities = eng.entities().set_index("entity_id")
    organizations = {E1: "enterprise", E2: "enterprise", E3: "individual_business", E4: "organization",
                     E5: "enterprise", E6: "enterprise", E7: "enterprise", E9: "enterprise"}
    assert {k: entities.loc[k, "kind"] for k in organizations} == organizations
    assert (entities["kind"] == "person").sum() == 5
    assert len(entities) == 13
    # the 15-digit and the 18-digit forms of 王建国's number are one person
    p1 = ids["P1"]
    mentions = eng.mentions()
    assert ("zb_amr_registry", "R01", "party") in set(
        zip(*[mentions.loc[mentions["entity_id"] == p1, c] for c in ("source", "rid", "role")]))
    # the person without an ID number is one entity (registry operator + population record)
    assert int(entities.loc[ids["P2"], "mentions"]) == 2


# ---------------------------------------------------------------------------------- measures
def expected_restrictions(i):
    """(entity, measure, trigger rid, start, end, withheld), by hand from measures.md."""
    forever = {"L1": "2030-03-01", "L7": "2030-05-01", "L2": "2029-06-01", "RT4": "2030-04-20"}  # start + 4y
    return {
        # court_ban: self, legal_rep, officer[role=principal] (none), controller (derived P3)
        (i["E1"], "court_ban", "L1", "2026-03-01", forever["L1"], False),
        (i["P1"], "court_ban", "L1", "2026-03-01", forever["L1"], False),
        (i["P3"], "court_ban", "L1", "2026-03-01", forever["L1"], False),
        (i["P1"], "court_ban", "L7", "2026-05-01", forever["L7"], False),
        # post_void: persons only, ~officer: every company where P1 holds a post (E1 chair, E7 director)
        (i["E1"], "post_void", "L7", "2026-05-01", forever["L7"], False),
        (i["E7"], "post_void", "L7", "2026-05-01", forever["L7"], False),
        # L2 (abnormal operation since 2022-06-01, never removed) escalates on 2025-06-01;
        # serious_illegal_ban lasts 3y; legal_rep/~legal_rep: E2 -> P1 -> E1
        (i["E2"], "serious_illegal_ban", "L2", "2025-06-01", "2028-06-01", False),
        (i["E1"], "serious_illegal_ban", "L2", "2025-06-01", "2028-06-01", False),
        (i["E5"], "guarantor_alert", "L2", "2025-06-01", forever["L2"], False),
        # a serious safety penalty: 90 days, self and the operator (no ID number)
        (i["E3"], "safety_penalty_watch", "PN1", "2026-04-01", "2026-06-30", False),
        (i["P2"], "safety_penalty_watch", "PN1", "2026-04-01", "2026-06-30", False),
        # tax D of E2 (no later rating): E2 -> P1 -> E1 (E4's D of RT1 reaches nobody else)
        (i["E1"], "tax_d_contagion", "RT4", "2026-04-20", forever["RT4"], False),
        # rewards, withheld from the day a punishment binds
        (i["E6"], "green_channel", "L5", "2026-01-01", "2026-03-01", False),
        (i["E6"], "green_channel", "L5", "2026-03-01", "2030-01-01", True),
        (i["E7"], "green_channel", "L10", "2025-01-01", "2026-03-01", False),
        (i["E7"], "green_channel", "L10", "2026-03-01", "2029-01-01", True),
        # a list code outside catalog.md §5, 6 months, officer[role in principal,chair]
        (i["E4"], "customs_watch", "L3", "2026-01-01", "2026-07-01", False),
        (i["P4"], "customs_watch", "L3", "2026-01-01", "2026-07-01", False),
        # ~shareholder[ratio>0.5]: E5 (0.6); E7 (0.3) is not reached
        (i["E5"], "holder_majority", "L1", "2026-03-01", forever["L1"], False),
        (i["E6"], "branch_ban", "L1", "2026-03-01", forever["L1"], False),
        # controller/~controller: P3 controls E5 (derived) and E7 (declared)
        (i["E5"], "sister_procurement", "L1", "2026-03-01", forever["L1"], False),
        (i["E7"], "sister_procurement", "L1", "2026-03-01", forever["L1"], False),
    }


def test_restrictions_are_those_worked_out_by_hand(eng, ids):
    frame = eng.restrictions()
    got = set(zip(frame["entity_id"], frame["measure"], frame["trigger_rid"], frame["start"], frame["end"],
                  frame["withheld"].astype(bool)))
    assert got == expected_restrictions(ids)
    assert (frame["basis"].str.len() > 0).all()


def test_every_restriction_path_can_be_walked(eng):
    edges = eng.edges()
    present = set(zip(edges["src"], edges["label"], edges["dst"]))
    for row in eng.restrictions().itertuples():
        parts = row.path.split(" ")
        assert parts[-1] == row.entity_id
        for index in range(1, len(parts) - 1, 2):
            a, step, b = parts[index - 1], parts[index], parts[index + 1]
            label = step.strip("-").removesuffix(">").rstrip("-").split("[")[0]
            assert ((b, label[1:], a) if label.startswith("~") else (a, label, b)) in present, row.path


def test_check_answers_with_reasons(eng, ids):
    bound, reasons = eng.check(ids["E6"], "branch")
    assert bound and list(reasons["measure"]) == ["branch_ban"]
    assert eng.check(ids["E7"], "finance", "2025-06-01")[0]          # reward granted before 2026-03-01
    assert not eng.check(ids["E7"], "finance")[0]                    # withheld: bound by sister_procurement
    assert not eng.check(ids["E3"], "safety")[0]                     # 90 days are over on 2026-09-30
    assert eng.check(ids["E3"], "safety", "2026-06-29")[0]
    assert not eng.check(ids["E5"], "consumption")[0]
    with pytest.raises(cg.InputError, match="its domains: .*consumption"):   # a typo is not a "no"
        eng.check(ids["E1"], "consumtion")


# ---------------------------------------------------------------------------------- scores
def related_reference(eng, black):
    """scoring.md §3 related_risk with damping 0.5 and 2 steps, the obvious way (dense numpy)."""
    entities = list(eng.entities()["entity_id"])
    index = {e: n for n, e in enumerate(entities)}
    adjacency = np.zeros((len(entities), len(entities)))
    edges = eng.edges()
    for src, dst in zip(edges.loc[~edges["derived"], "src"], edges.loc[~edges["derived"], "dst"]):
        if src != dst:
            adjacency[index[src], index[dst]] = adjacency[index[dst], index[src]] = 1
    degree = adjacency.sum(axis=1, keepdims=True)
    walk = np.divide(adjacency, degree, out=np.zeros_like(adjacency), where=degree > 0)
    s = np.array([1.0 if e in black else 0.0 for e in entities])
    risk = 0.5 * walk @ s + 0.25 * walk @ (walk @ s)
    return dict(zip(entities, risk))


def points(table, value):
    chosen = table[0][1]
    for threshold, pts in table:
        if value >= threshold - 1e-9 * max(1, abs(threshold)):
            chosen = pts
    return chosen


def test_scores_are_those_worked_out_by_hand(eng, ids):
    # active black entries on 2026-09-30 (measures catalog max_years 4): E1 L1, P1 L7, E2 the
    # escalated L2 (the original ended 2026-06-01), E4 L3 (customs_dishonest, declared black by
    # the measures catalog), E5 L11 (its 'maybe' dispute flag is unknown: not disputed)
    black = {ids[k] for k in ("E1", "P1", "E2", "E4", "E5")}
    related = related_reference(eng, black)
    values = {  # blacks, serious_safety, punished, alerts, age (years), customs, tax
        "E1": (1, 0, 3, 1, (pd.Timestamp("2026-09-30") - pd.Timestamp("2010-03-15")).days / 365.25, 10, 2),
        "E2": (1, 0, 1, 0, (pd.Timestamp("2026-09-30") - pd.Timestamp("2015-06-01")).days / 365.25, 5, 0),
        "E3": (0, 1, 0, 0, (pd.Timestamp("2026-09-30") - pd.Timestamp("2019-07-01")).days / 365.25, 5, 2),
        "E4": (1, 0, 0, 0, (pd.Timestamp("2026-09-30") - pd.Timestamp("2012-09-01")).days / 365.25, 5, 3),
        "E5": (1, 0, 1, 2, (pd.Timestamp("2026-09-30") - pd.Timestamp("2018-05-20")).days / 365.25, 5, 2),
        "E6": (0, 0, 1, 0, (pd.Timestamp("2026-09-30") - pd.Timestamp("2016-01-10")).days / 365.25, 5, 2),
        "E7": (0, 0, 1, 1, (pd.Timestamp("2026-09-30") - pd.Timestamp("2020-11-11")).days / 365.25, 5, 2),
        "E9": (0, 0, 0, 0, 1, 5, 2),   # est_date 2021-02-30 is no date: missing -> 1
    }
    tables = {
        "blacks": (4, [[0, 100], [1, 50], [2, 0]]), "serious_safety": (1, [[0, 100], [1, 0]]),
        "punished": (1, [[0, 100], [1, 60], [3, 0]]), "alerts": (0.5, [[0, 100], [1, 0]]),
        "age": (1, [[0, 0], [5, 50], [10, 100]]), "customs": (1, [[0, 0], [5, 50], [10, 100]]),
        "tax": (0.5, [[0, 0], [2, 50], [4, 100]]), "related": (1, [[0, 100], [0.1, 50], [0.3, 0]]),
    }
    grades = [(950, "AAA", "信用优秀", 0.0), (800, "AA", "信用良好", 0.1), (600, "A", "信用一般", 0.25),
              (300, "B", "信用较差", 0.5), (0, "C", "信用很差", 1.0)]
    vetoes = {"E4": "C", "E2": "B"}   # customs_dishonest -> C; amr_serious_illegal (escalated) -> B
    scores = eng.scores().set_index("entity_id")
    assert set(scores.index) == {ids[k] for k in values}
    for short, row in values.items():
        entity = ids[short]
        mine = dict(zip(list(tables)[:7], row), related=related[entity])
        total = 0.0
        for name, (weight, table) in tables.items():
            assert scores.loc[entity, f"{name}_value"] == pytest.approx(mine[name], abs=1e-9), (short, name)
            assert scores.loc[entity, f"{name}_points"] == points(table, mine[name]), (short, name)
            total += weight * points(table, mine[name])
        assert scores.loc[entity, "score"] == pytest.approx(total, abs=1e-9), short
        grade = next(g for g in grades if total >= g[0])
        if short in vetoes:
            grade = next(g for g in grades if g[1] == vetoes[short])
        assert (scores.loc[entity, "grade"], scores.loc[entity, "class"],
                scores.loc[entity, "inspection_rate"]) == grade[1:], short
        lines = eng.explain(entity)
        assert lines["contribution"].sum() == pytest.approx(lines.attrs["score"], abs=1e-9)


def test_inspection_rates_zero_and_one(eng):
    scores = eng.scores()
    picks = eng.inspect(7)
    worst = scores.loc[scores["class"] == "信用很差", "entity_id"]
    assert len(worst) > 0 and set(worst) <= set(picks["entity_id"])       # rate 1.0: every one
    assert not (picks["class"] == "信用优秀").any()                         # rate 0: none
    assert picks.equals(eng.inspect(7))


# ---------------------------------------------------------------------------------- privacy
def test_no_full_id_number_in_views_reports_and_cli(eng, ids, tmp_path):
    frames = [eng.entities(), eng.find("王建国"), eng.restrictions(), eng.scores(), eng.quarantine(),
              eng.records(ids["P1"]), eng.why(ids["P1"]), pd.DataFrame([eng.entity(ids["P1"])]),
              eng.related(ids["P1"], hops=3), eng.path(ids["P1"], ids["E4"])]
    for frame in frames:
        text = frame.to_csv(index=False)
        assert not FULL_ID.search(text), FULL_ID.search(text)
    env = {"PYTHONPATH": str(ROOT / "bindings" / "python")}
    for args in (["show", "370303198001010012", "--db", eng.db_path, "--json"],
                 ["export", "--db", eng.db_path, "quarantine"]):
        done = subprocess.run([sys.executable, "-m", "creditgraph", *args], capture_output=True, text=True,
                              env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert not FULL_ID.search(done.stdout), (args, FULL_ID.search(done.stdout))


def test_reports_mask_id_numbers_and_draw_a_two_node_network(eng, ids, tmp_path):
    """The report of 王建国 (ID number given in both forms) shows no full number; 赵小红 has no ID
    number and one related party: her network picture has two nodes on one line (it failed in
    FreeType with a 'raster overflow' before the axes got fixed limits)."""
    from creditgraph import report

    for person, picture in (("P1", False), ("P2", True)):
        out = report.report(eng, ids[person], tmp_path / f"{person}.html", picture=picture)
        text = Path(out).read_text(encoding="utf-8")
        assert PERSONS[person] in text and ("data:image/png;base64," in text) == picture
        assert not FULL_ID.search(text), FULL_ID.search(text)


def test_an_old_15_digit_id_number_finds_the_person(eng, ids):
    assert eng.find("370303800101001")["entity_id"].tolist() == [ids["P1"]]
    assert eng.find("370303198001010012")["entity_id"].tolist() == [ids["P1"]]
    # as people type codes: full width, lower case, hyphens
    assert eng.find("９１３７０３０３ｍａ３ｄ０００１２ｘ")["entity_id"].tolist() == [E1]
    assert eng.find("12370300－5")["entity_id"].tolist() == [E4]


# ---------------------------------------------------------------------------------- unknown values
UNKNOWN_VALUE_CATALOG = """
measures:
  - id: minority_holder_alert
    name: 参股企业提示
    basis: 测试
    effect: alert
    domain: minority
    trigger: {lists: [court_dishonest_debtor]}
    subjects: [person]
    reach: ["~shareholder[ratio<0.5]"]
  - id: small_guarantee_alert
    name: 小额担保提示
    basis: 测试
    effect: alert
    domain: small_guarantee
    trigger: {lists: [amr_abnormal_operation]}
    reach: ["~guarantee[amount<=1000]"]
"""


def test_a_filter_never_matches_an_unknown_ratio_or_amount(tmp_path):
    """S4 says 王建国 holds 淄博顺达物流 with ratio 1.5 (flagged: unknown) and a guarantee without
    amount guarantees it: neither may pass a `ratio<0.5` or `amount<=1000` filter (measures.md §3:
    restrict on what the records say, never on a value that was not given)."""
    data = tmp_path / "data"
    shutil.copytree(PROVINCE, data)
    guarantees = data / "guarantees.csv"
    guarantees.write_text(guarantees.read_text(encoding="utf-8") +
                          "G2,91370303MA3D00055B,淄博远景贸易有限公司,370300200012340,淄博顺达物流有限公司,,2024/1/1,\n",
                          encoding="utf-8")
    catalog = tmp_path / "m.yaml"
    catalog.write_text(UNKNOWN_VALUE_CATALOG, encoding="utf-8")
    eng = cg.build(data, tmp_path / "db", measures=catalog, model=MODEL, progress=False)
    edges = eng.edges()
    holder = edges[(edges["src"] == E2) & (edges["label"] == "shareholder")]
    assert len(holder) == 1 and np.isnan(holder["value"].iloc[0])
    restrictions = eng.restrictions()
    # E5 guarantees E2 with amount 100: reached; E7's guarantee has no amount: not reached
    assert set(zip(restrictions["measure"], restrictions["entity_id"])) == {("small_guarantee_alert", E5)}


# ---------------------------------------------------------------------------------- resolution defects
GROUP_REGISTRY = """rid,subject_uscc,subject_reg_no,subject_name,subject_kind,subject_region,party_name,party_id_no,status,est_date
R1,91370303MA3D00012X,,淄博华岳化工有限公司,enterprise,370303,王建国,370303198001010012,存续,2010-03-15
R2,,370300200012340,淄博华岳物流有限公司,enterprise,370303,王建国,370303198001010012,在业,2015-06-01
"""


def test_sister_companies_of_one_group_stay_apart(tmp_path):
    # 淄博华岳化工 (USCC) and 淄博华岳物流 (old registration number only) share trade name, city and
    # legal representative: names of different industries never link by comparison.
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.yaml").write_text(
        "name: group\nas_of: 2026-09-30\nsources:\n  - {id: reg, kind: registry, path: reg.csv}\n",
        encoding="utf-8")
    (data / "reg.csv").write_text(GROUP_REGISTRY, encoding="utf-8")
    ingest_api.ingest(str(data), str(tmp_path / "db"), progress=False)
    eng = cg.open(tmp_path / "db")
    eng.resolve()
    organizations = eng.entities()[eng.entities()["kind"] == "enterprise"]
    assert sorted(organizations["name"]) == ["淄博华岳化工有限公司", "淄博华岳物流有限公司"]


# ---------------------------------------------------------------------------------- empty inputs
def test_a_data_set_of_empty_files_runs_through_every_stage_and_view(tmp_path):
    eng = cg.build(UNSEEN / "empty", tmp_path / "db", measures=MEASURES, model=MODEL, progress=False)
    counts = ingest_api.counts(eng.db_path)
    assert sorted(counts["source"]) == ["lists", "more_lists", "officers", "reg"]
    assert (counts["read"] == 0).all()
    assert set(eng.stage_status().values()) == {"done"}
    assert eng.entities().empty and eng.scores().empty and eng.restrictions().empty
    assert list(eng.scores().columns[:5]) == ["entity_id", "name", "region", "industry", "score"]
    assert eng.find("华岳").empty and eng.inspect(1).empty and eng.grade_distribution().empty
    with pytest.raises(cg.NotFoundError, match="search by name"):
        eng.why("91370303MA3D00012X")



def test_without_any_as_of_scoring_refuses_and_says_what_to_do(eng, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PROVINCE, data)
    catalog = data / "catalog.yaml"
    catalog.write_text("".join(line for line in catalog.read_text(encoding="utf-8").splitlines(True)
                               if not line.startswith("as_of")), encoding="utf-8")
    with pytest.raises(cg.CreditGraphError, match="as_of"):
        cg.build(data, tmp_path / "db", measures=MEASURES, model=MODEL, progress=False)
    again = cg.open(tmp_path / "db")
    again.score(MODEL, as_of="2026年9月30日")            # any of the four date forms
    mine = again.scores().set_index("entity_id")[["score", "grade"]]
    assert mine.sort_index().equals(eng.scores().set_index("entity_id")[["score", "grade"]].sort_index())
    with pytest.raises(cg.InputError, match="as_of"):
        again.why(E1)


def test_two_columns_for_one_field_the_mapped_one_wins_else_the_first(tmp_path):
    """catalog.md §2 maps department columns onto fields; a file may also carry a column with
    the canonical name, or name a column twice. One column gives the field: the mapped one,
    else the first; the others are kept as attributes (docs/ingest.md)."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.yaml").write_text(
        "name: dup\nas_of: 2026-09-30\nsources:\n"
        "  - {id: reg, kind: registry, path: reg.csv, columns: {subject_name: 名称}}\n", encoding="utf-8")
    (data / "reg.csv").write_text(
        "rid,subject_uscc,subject_name,名称,party_name,party_id_no,party_name\n"
        "R1,91370303MA3D00012X,别名,淄博华岳化工有限公司,王建国,370303198001010012,王二\n",
        encoding="utf-8")
    ingest_api.ingest(str(data), str(tmp_path / "db"), progress=False)
    record = ingest_api.records(str(tmp_path / "db"), "registry").iloc[0]
    assert (record["subject_name"], record["party_name"]) == ("淄博华岳化工有限公司", "王建国")
    assert "subject_name=别名" in record["attrs"] and "party_name=王二" in record["attrs"]


def test_the_dataframe_scoring_api_takes_declared_lists():
    """creditgraph.scoring.score(..., lists=[(code, polarity, domain)]) counts a list the measures
    catalog declares, as the engine's score stage does."""
    from creditgraph import scoring

    model = """
dimensions:
  - id: d
    indicators:
      - {id: blacks, fn: count, args: {kind: list, polarity: black}, weight: 5, points: [[0, 100], [1, 0]]}
      - {id: customs, fn: count, args: {kind: list, domain: customs}, weight: 5, points: [[0, 100], [1, 0]]}
grades:
  - {grade: A, min: 0, class: all, inspection_rate: 0.1}
"""
    entities = pd.DataFrame({"entity": [0], "kind": ["enterprise"], "est_date": [""], "region": [""],
                             "industry": [""]})
    facts = pd.DataFrame({"entity": [0], "kind": ["list"], "source": ["s"], "rid": ["1"],
                          "list": ["customs_dishonest"], "listed_on": ["2026-01-01"]})
    plain = scoring.score(facts, entities=entities, model=scoring.validate(model), as_of="2026-09-30")
    declared = scoring.score(facts, entities=entities, model=scoring.validate(model), as_of="2026-09-30",
                             lists=[("customs_dishonest", "black", "customs")])
    assert plain.frame["score"].tolist() == [1000.0]
    assert declared.frame["score"].tolist() == [0.0]


def test_namesakes_with_different_births_stay_apart_when_a_name_only_mention_bridges_them(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.yaml").write_text(
        "name: namesakes\nas_of: 2026-09-30\nsources:\n  - {id: ppl, kind: person, path: ppl.csv}\n"
        "  - {id: reg, kind: registry, path: reg.csv}\n", encoding="utf-8")
    (data / "ppl.csv").write_text("rid,subject_name,subject_birth,subject_region\n"
                                  "PB1,赵小红,1988-03-15,370321\nPB2,赵小红,1990-01-01,370102\n", encoding="utf-8")
    (data / "reg.csv").write_text("rid,subject_uscc,subject_name,subject_region,party_name,party_kind\n"
                                  "R1,92370321MA3D00039L,桓台县华岳加油站,370321,赵小红,person\n", encoding="utf-8")
    ingest_api.ingest(str(data), str(tmp_path / "db"), progress=False)
    eng = cg.open(tmp_path / "db")
    eng.resolve()
    mentions = eng.mentions().set_index(["source", "rid"])["entity_id"]
    assert mentions[("ppl", "PB1")] != mentions[("ppl", "PB2")]
