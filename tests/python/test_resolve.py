"""Entity resolution from Python: the sample data set end to end, DataFrame input, masking,
explanations, order independence and incremental updates."""
from __future__ import annotations

import collections
import os
import pathlib

import pandas as pd
import pytest

from creditgraph import resolve as er
from creditgraph.errors import InputError, NotFoundError

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "datasets" / "sample"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(serial: int, region: str = "370102") -> str:
    org8 = f"{serial:08d}"
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    c = 11 - sum(int(ch) * w for ch, w in zip(org8, weights)) % 11
    org = org8 + ("X" if c == 10 else "0" if c == 11 else str(c))
    first17 = "91" + region + org
    total = sum(USCC_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def id_no(first17: str) -> str:
    total = sum(int(ch) * (2 ** (17 - i) % 11) for i, ch in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def records() -> pd.DataFrame:
    rows = [
        dict(source="reg", rid="1", kind="registry", subject_name="宏达科技有限公司", subject_uscc=uscc(1),
             subject_region="370102", party_name="张伟", party_id_no=id_no("37010219800101001")),
        dict(source="reg", rid="2", kind="registry", subject_name="宏达科技有限公司", subject_uscc=uscc(2, "370202"),
             subject_region="370202", party_name="张伟", party_id_no=id_no("37020219900101002")),
        dict(source="pen", rid="1", kind="penalty", subject_name="宏达科技有限责任公司", subject_region="370102"),
        dict(source="pen", rid="2", kind="penalty", subject_name="宏达科技有限公司", subject_uscc=uscc(2, "370202")),
        dict(source="lst", rid="1", kind="list", subject_name="宏达科技有限公司", subject_uscc=uscc(1),
             party_name="张伟", party_id_no=id_no("37010219800101001")[:6] + id_no("37010219800101001")[8:17]),
    ]
    return pd.DataFrame(rows)


def entity_of(mentions: pd.DataFrame, source: str, rid: str, role: str = "subject") -> str:
    row = mentions[(mentions.source == source) & (mentions.rid == rid) & (mentions.role == role)]
    assert len(row) == 1
    return row.entity_id.iloc[0]


def test_dataframe_resolution_keys_constraints_and_names():
    res = er.resolve(records=records(), em_iterations=0)
    m = er.mentions(res)
    assert list(m.columns) == ["source", "rid", "role", "entity_id"]
    assert entity_of(m, "reg", "1") == "U:" + uscc(1)
    assert entity_of(m, "reg", "1") != entity_of(m, "reg", "2")          # two valid USCCs
    assert entity_of(m, "reg", "2") == entity_of(m, "pen", "2")          # same USCC
    assert entity_of(m, "reg", "1", "party") == entity_of(m, "lst", "1", "party")  # 15-digit ID
    assert entity_of(m, "reg", "1", "party") != entity_of(m, "reg", "2", "party")  # two 张伟
    assert entity_of(m, "pen", "1") in {entity_of(m, "reg", "1"), entity_of(m, "reg", "2")}


def test_entities_mask_id_numbers():
    res = er.resolve(records=records(), em_iterations=0)
    ents = er.entities(res)
    persons = ents[ents.kind == "person"]
    assert len(persons) == 2
    full = id_no("37010219800101001")
    assert full not in set(persons.id_no)
    assert "370102********0011"[:6] in set(p[:6] for p in persons.id_no)
    assert all(p.startswith("P:") and full not in p for p in persons.id)
    assert full in set(er.entities(res, mask_id_numbers=False).id_no)


def test_mention_column_is_the_mention_table_a_column_at_a_time():
    res = er.resolve(records=records(), em_iterations=0)
    m = er.mentions(res)
    columns = {f: res._core.mention_column(f) for f in ("source", "rid", "role", "class", "uscc", "id_no", "birth")}
    assert all(len(values) == len(m) for values in columns.values())
    assert list(zip(columns["source"], columns["rid"], columns["role"])) == list(zip(m.source, m.rid, m.role))
    by_key = {(s, r, o): i for i, (s, r, o) in enumerate(zip(m.source, m.rid, m.role))}
    subject = by_key[("reg", "1", "subject")]
    assert columns["uscc"][subject] == uscc(1) and columns["class"][subject] == "organization"
    party = by_key[("lst", "1", "party")]  # 15-digit ID number upgraded to 18, birth derived from it
    assert columns["id_no"][party] == id_no("37010219800101001") and columns["class"][party] == "person"
    assert columns["birth"][party] == "1980-01-01"
    with pytest.raises(ValueError, match="unknown field 'nope'"):
        res._core.mention_column("nope")


def test_explain_link():
    res = er.resolve(records=records(), em_iterations=0)
    ex = er.explain_link(res, "reg/2/subject", "pen/2/subject")
    assert ex["key"] == "uscc" and ex["same_entity"]
    ex = er.explain_link(res, "reg/1/subject", "reg/2/subject")
    assert ex["conflict"] == "different valid uscc" and not ex["same_entity"]
    assert [f["field"] for f in ex["fields"]][0] == "name"
    with pytest.raises(NotFoundError):
        er.explain_link(res, "reg/9/subject", "reg/1/subject")
    with pytest.raises(InputError):
        er.explain_link(res, "nonsense", "reg/1/subject")


def test_order_independence_and_incremental():
    frame = records()
    full = er.mentions(er.resolve(records=frame)).sort_values(["source", "rid", "role"]).reset_index(drop=True)
    shuffled = er.mentions(er.resolve(records=frame.sample(frac=1, random_state=3)))
    shuffled = shuffled.sort_values(["source", "rid", "role"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(full, shuffled)
    res = er.resolve(records=frame.iloc[:2])
    stats = res.add_records(frame.iloc[2:])
    assert stats["new_mentions"] == 4
    inc = er.mentions(res).sort_values(["source", "rid", "role"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(full, inc)


def test_sample_dataset_end_to_end(tmp_path):
    res = er.resolve_dataset(SAMPLE, tmp_path / "db")
    scores = er.evaluate(er.mentions(res), SAMPLE / "truth")
    assert scores.loc["organizations", "precision"] == 1.0
    assert scores.loc["organizations", "recall"] == 1.0
    assert scores.loc["persons", "precision"] == 1.0
    assert scores.loc["persons", "recall"] == 1.0
    assert scores.loc["all", "unmatched"] == 0


def test_mentions_read_once_resolve_like_the_database(tmp_path):
    # The sample data set through a database, resolved from it and twice from its mentions read
    # once (blocking keys kept, then freed early): the same partition every time (the mentions
    # are copied, not consumed).
    from_db = er.resolve_dataset(SAMPLE, tmp_path / "db")
    mention_set = er.read_mentions(tmp_path / "db")
    assert len(mention_set) == from_db.stats["mentions"]
    assert mention_set.records == from_db.stats["records"]
    expected = er.mentions(from_db).sort_values(["source", "rid", "role"]).reset_index(drop=True)
    for incremental in (True, False):  # keys kept for add_records, or freed early
        again = er.resolve(mentions=mention_set, incremental=incremental)
        got = er.mentions(again).sort_values(["source", "rid", "role"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(expected, got)
    with pytest.raises(InputError):
        er.resolve(db=tmp_path / "db", mentions=mention_set)


def test_set_threads_caps_and_restores():
    import creditgraph

    assert creditgraph.set_threads(1) == 1
    assert creditgraph.set_threads(0) == creditgraph._core.cores()
    with pytest.raises(ValueError):
        creditgraph.set_threads(-1)


def test_evaluate_scores_by_hand(tmp_path):
    truth = tmp_path / "truth"
    truth.mkdir()
    pd.DataFrame({"entity": ["x", "y"], "kind": ["enterprise", "enterprise"], "uscc": ["", ""],
                  "id_no": ["", ""], "name": ["", ""]}).to_csv(truth / "entities.csv", index=False)
    pd.DataFrame({"source": ["s"] * 4, "rid": list("abcd"), "role": ["subject"] * 4,
                  "entity": ["x", "x", "x", "y"]}).to_csv(truth / "mentions.csv", index=False)
    # truth {a b c} {d}; predicted {a b} {c d}
    predicted = pd.DataFrame({"source": ["s"] * 4, "rid": list("abcd"), "role": ["subject"] * 4,
                              "entity_id": ["1", "1", "2", "2"]})
    row = er.evaluate(predicted, truth).loc["organizations"]
    assert row.precision == pytest.approx(0.5)
    assert row.recall == pytest.approx(1 / 3)
    assert row.bcubed_precision == pytest.approx(0.75)
    assert row.bcubed_recall == pytest.approx(2 / 3)


def test_bad_input():
    with pytest.raises(InputError):
        er.resolve()
    with pytest.raises(InputError):
        er.resolve(records=pd.DataFrame({"rid": ["1"]}))


def test_cli_commands(tmp_path):
    import subprocess
    import sys
    from creditgraph import _core
    db = tmp_path / "db"
    from creditgraph.ingest import ingest
    ingest(SAMPLE, db, progress=False)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "bindings" / "python"))
    run = lambda *args: subprocess.run([sys.executable, "-m", "creditgraph", *args], env=env,  # noqa: E731
                                       capture_output=True, text=True, check=True).stdout
    out = run("resolve", "--db", str(db), "--out", str(tmp_path / "out"))
    assert "entities" in out
    exported = pd.read_csv(tmp_path / "out" / "mentions.csv", dtype=str)
    assert list(exported.columns) == ["source", "rid", "role", "entity_id"]
    ents = pd.read_csv(tmp_path / "out" / "entities.csv", dtype=str, keep_default_na=False)
    assert all("*" in v for v in ents.loc[ents.kind == "person", "id_no"] if v)
    out = run("evaluate-resolution", "--db", str(db), "--truth", str(SAMPLE / "truth"))
    assert "organizations" in out and "persons" in out
    first = exported.iloc[0]
    out = run("explain-link", "--db", str(db), f"{first.source}/{first.rid}/{first.role}",
              f"{first.source}/{first.rid}/{first.role}")
    assert "level" in out


# ---------------------------------------------------------------- incremental resolve (engine)

def _drop_rows(dataset: pathlib.Path, out: pathlib.Path, every: int) -> int:
    """A copy of a generated data set with every `every`-th data row of its UTF-8 CSV sources left
    out (rows whose rid is not unique are kept: leaving out the first of two rows with one rid
    would make the second one load instead, an update that changes an identity); returns how
    many rows were left out."""
    import csv
    import shutil

    import yaml

    shutil.copytree(dataset, out)
    catalog = yaml.safe_load((dataset / "catalog.yaml").read_text(encoding="utf-8"))
    dropped = 0
    for source in catalog["sources"]:
        if source.get("format", "csv") != "csv" or source.get("encoding", "utf-8").lower() != "utf-8":
            continue
        path = out / source["path"]
        with open(dataset / source["path"], newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        rid = rows[0].index(source.get("columns", {}).get("rid", "rid"))
        seen = collections.Counter(row[rid] for row in rows[1:])
        kept = [rows[0]] + [row for i, row in enumerate(rows[1:])
                            if i % every != every - 1 or seen[row[rid]] > 1]
        dropped += len(rows) - len(kept)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(kept)
    return dropped


def _resolved(eng):
    mentions = eng.mentions().sort_values(["source", "rid", "role"]).reset_index(drop=True)
    entities = eng.entities().sort_values("entity_id").reset_index(drop=True)
    return mentions, entities


def test_engine_resolve_resumes_after_insertions_and_equals_a_full_run(tmp_path):
    import creditgraph as cg
    from creditgraph import generate as gen
    from creditgraph import ingest as cg_ingest

    full_set = tmp_path / "full"
    gen.generate(0.0005, 11, full_set, threads=2, progress=False)
    part_set = tmp_path / "part"
    assert _drop_rows(full_set, part_set, every=4) > 100

    db = tmp_path / "grow.db"
    cg_ingest.ingest(part_set, db, progress=False)
    eng = cg.open(db, progress=False)
    first = eng.resolve()
    assert first["figures"]["incremental"] == 0  # nothing saved yet
    again = eng.resolve()  # nothing new: resumed, nothing compared
    assert again["figures"]["incremental"] == 1 and again["figures"]["comparisons"] == 0
    cg_ingest.ingest(full_set, db, progress=False)  # the left-out rows come in as insertions
    grown = cg.open(db, progress=False)
    report = grown.resolve()
    assert report["figures"]["incremental"] == 1
    assert report["figures"]["crossed_blocks"] > 0  # blocks that grew past their cap on the way
    assert 0 < report["figures"]["new_mentions"] < report["figures"]["mentions"] / 2

    reference_db = tmp_path / "full.db"
    cg_ingest.ingest(full_set, reference_db, progress=False)
    reference = cg.open(reference_db, progress=False)
    assert reference.resolve(incremental=False)["figures"]["incremental"] == 0
    grown_mentions, grown_entities = _resolved(grown)
    reference_mentions, reference_entities = _resolved(reference)
    pd.testing.assert_frame_equal(grown_mentions, reference_mentions)
    pd.testing.assert_frame_equal(grown_entities, reference_entities)

    # Removing records (the part data set again deletes the rows it lacks): a full run.
    cg_ingest.ingest(part_set, db, progress=False)
    shrunk = cg.open(db, progress=False)
    assert shrunk.resolve()["figures"]["incremental"] == 0
    assert "deleted" in shrunk._core.meta("stage/resolve/mode")
