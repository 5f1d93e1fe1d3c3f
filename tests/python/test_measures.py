"""creditgraph.measures: catalog validation, propagation, check/why, incremental updates."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from creditgraph import measures
from creditgraph.errors import InputError, NotFoundError

#   E1 ─legal_rep─▶ P7 ◀─legal_rep─ E9        E1 ─officer[director]─▶ P8
NODES = pd.DataFrame({"entity": ["E1", "P7", "E9", "P8"],
                      "kind": ["enterprise", "person", "enterprise", "person"]})
EDGES = pd.DataFrame({"tail": ["E1", "E9", "E1"], "head": ["P7", "P7", "P8"],
                      "label": ["legal_rep", "legal_rep", "officer"],
                      "tag": ["", "", "director"]})


def test_default_catalog_validates():
    summary = measures.validate_catalog()
    assert summary["max_years"] == 5
    table = measures.load_catalog()
    assert {"high_consumption_ban", "tax_d_rating"} <= set(table["id"])
    assert table["basis"].str.len().min() > 0


def test_bad_catalog_is_refused_with_the_measure_named():
    bad = "measures:\n  - id: m1\n    basis: b\n    effect: scold\n    domain: d\n    trigger: {lists: [x]}\n"
    with pytest.raises(InputError, match="measure 'm1': unknown effect 'scold'"):
        measures.validate_catalog(bad)


def test_tax_contagion_path_check_why_and_updates():
    ratings = pd.DataFrame({"subject": ["E1"], "scheme": ["tax"], "grade": ["D"],
                            "rated_on": ["2024-04-01"], "source": ["tax"], "rid": ["T1"]})
    engine = measures.MeasureEngine(NODES, EDGES)
    table = engine.propagate(ratings=ratings)
    contagion = table[(table.measure == "tax_d_rating") & (table.entity == "E9")]
    assert contagion["path"].tolist() == ["E1 -legal_rep-> P7 -~legal_rep-> E9"]
    assert contagion["start"].tolist() == ["2024-04-01"]
    assert contagion["end"].tolist() == ["2029-04-01"]  # no later rating: the 5-year cap
    bound, reasons = engine.check("E9", "tax", "2024-05-01")
    assert bound and reasons["rid"].tolist() == ["T1"]
    assert not engine.check("E9", "tax", "2024-03-31")[0]
    engine.add_rating("E1", "tax", "B", "2025-04-01", "tax", "T2")
    assert not engine.check("E9", "tax", "2025-04-01")[0]
    assert engine.why("E9")["end"].tolist() == ["2025-04-01"]

    engine.add_list_entry("P8", "court_dishonest_debtor", "2024-01-10", source="court", rid="C1")
    alerts = engine.restrictions(as_of="2024-02-01")
    alert = alerts[alerts.measure == "company_post_void_alert"]
    assert alert["path"].tolist() == ["P8 -~officer-> E1"]
    engine.set_disputed("court", "C1", True)
    assert engine.restrictions(as_of="2024-02-01").query("measure == 'company_post_void_alert'").empty
    engine.set_disputed("court", "C1", False)
    engine.set_removed("court", "C1", "2024-03-01")
    assert not engine.check("P8", "company_post", "2024-03-01")[0]
    assert engine.check("P8", "company_post", "2024-02-29")[0]
    with pytest.raises(NotFoundError):
        engine.set_removed("court", "nope", "2024-03-01")
    with pytest.raises(NotFoundError):
        engine.why("nobody")


def test_one_shot_propagate_and_key_supervision():
    lists = pd.DataFrame({"subject": ["E1", "E1"], "list": ["court_dishonest_debtor", "tax_major_violation"],
                          "listed_on": ["2023-01-01", pd.Timestamp("2023-06-01")],
                          "removed_on": [None, "2024-01-01"], "disputed": [False, False],
                          "source": ["court", "tax"], "rid": ["C1", "X1"]})
    table = measures.propagate(NODES, EDGES, lists=lists, as_of="2023-07-01")
    assert set(table[table.measure == "high_consumption_ban"].entity) == {"E1", "P7"}
    engine = measures.MeasureEngine(NODES, EDGES)
    engine.propagate(lists=lists)
    key = engine.key_supervised()
    assert key.to_dict("records") == [{"entity": "E1", "start": "2023-06-01", "end": "2024-01-01",
                                       "domains": "judicial,tax"}]


def test_cli_propagate_and_check(tmp_path, capsys):
    from creditgraph import cli
    NODES.to_csv(tmp_path / "nodes.csv", index=False)
    EDGES.to_csv(tmp_path / "edges.csv", index=False)
    pd.DataFrame({"subject": ["E1"], "list": ["court_dishonest_debtor"], "listed_on": ["2024-01-01"],
                  "removed_on": [""], "disputed": [False], "source": ["court"],
                  "rid": ["C9"]}).to_csv(tmp_path / "lists.csv", index=False)
    assert cli.main(["check", "--tables", str(tmp_path), "--domain", "consumption",
                     "--date", "2024-02-01", "P7", "P8"]) == 0
    out = capsys.readouterr().out
    assert "P7: YES" in out and "E1 -legal_rep-> P7" in out and "P8: no" in out
    assert cli.main(["propagate", "--tables", str(tmp_path), "--as-of", "2024-02-01", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["entity"] for row in rows if row["measure"] == "high_consumption_ban"} == {"E1", "P7"}
    assert cli.main(["propagate", "--tables", str(tmp_path), "--validate-only"]) == 0
    assert "high_consumption_ban" in capsys.readouterr().out
    assert cli.main(["check", "--tables", str(tmp_path / "missing"), "--domain", "x", "E1"]) == 3


def test_engine_from_columns_any_dtype_and_bad_input():
    """The graph goes in as encoded columns (no Python loop): categorical, object, integer ids,
    missing tags/values all give the same engine; bad labels, tags, kinds and ids are refused."""
    lists = pd.DataFrame({"subject": ["E1"], "list": ["court_dishonest_debtor"],
                          "listed_on": ["2023-01-01"], "source": ["court"], "rid": ["C1"]})
    expected = measures.MeasureEngine(NODES, EDGES).propagate(lists=lists)
    categorical = EDGES.astype({"label": "category", "tag": "category"})
    categorical["value"] = [float("nan"), 0.0, None]
    nodes = NODES.astype({"kind": "category"})
    again = measures.MeasureEngine(nodes, categorical).propagate(lists=lists)
    pd.testing.assert_frame_equal(again, expected)
    # integer entity ids
    ids = {"E1": 10, "P7": 11, "E9": 12, "P8": 13}
    as_int = measures.MeasureEngine(NODES.replace({"entity": ids}),
                                    EDGES.replace({"tail": ids, "head": ids}))
    table = as_int.propagate(lists=lists.replace({"subject": ids}))
    assert sorted(table.entity.tolist()) == sorted(ids[e] for e in expected.entity)
    assert as_int.why(11)["measure"].tolist() == expected[expected.entity == "P7"]["measure"].tolist()
    with pytest.raises(NotFoundError):
        as_int.why("E1")
    bad_label = EDGES.assign(label=["legal_rep", "friend", "officer"])
    with pytest.raises(InputError, match="unknown edge label 'friend'"):
        measures.MeasureEngine(NODES, bad_label)
    bad_role = EDGES.assign(tag=["", "", "janitor"])
    with pytest.raises(InputError, match="unknown officer role 'janitor'"):
        measures.MeasureEngine(NODES, bad_role)
    with pytest.raises(InputError, match="unknown entity kind"):
        measures.MeasureEngine(NODES.assign(kind=["enterprise", "alien", "person", "person"]), EDGES)
    with pytest.raises(InputError, match="duplicate"):
        measures.MeasureEngine(pd.concat([NODES, NODES.iloc[:1]]), EDGES)
    with pytest.raises(NotFoundError, match="unknown entity 'X9'"):
        measures.MeasureEngine(NODES, EDGES.assign(head=["P7", "P7", "X9"]))
    # no tag/value/kind columns at all
    plain = measures.MeasureEngine(NODES[["entity"]], EDGES[["tail", "head", "label"]])
    assert len(plain.propagate(lists=lists)) > 0  # measures without a subjects filter fire


def test_dense_integer_ids_take_the_fast_path_with_the_same_answers():
    ids = {"E1": 0, "P7": 1, "E9": 2, "P8": 3}
    lists = pd.DataFrame({"subject": [0], "list": ["court_dishonest_debtor"],
                          "listed_on": ["2023-01-01"], "source": ["court"], "rid": ["C1"]})
    dense = measures.MeasureEngine(NODES.replace({"entity": ids}).astype({"entity": "int64"}),
                                   EDGES.replace({"tail": ids, "head": ids}).astype({"tail": "int64", "head": "int64"}))
    assert dense._dense_ids
    named = measures.MeasureEngine(NODES, EDGES).propagate(lists=lists.replace({"subject": {0: "E1"}}))
    table = dense.propagate(lists=lists)
    assert sorted(table.entity) == sorted(ids[e] for e in named.entity)
    with pytest.raises(NotFoundError, match="unknown entity 7"):
        dense.propagate(lists=lists.assign(subject=[7]))


def _row_by_row(engine, columns) -> pd.DataFrame:
    """The slow reference of the DataFrame output: the row-wise columns of _core's
    `restrictions`/`why` (one Restriction object per row), the path text built in Python."""
    return engine._frame(columns)


@pytest.mark.parametrize("dense", [False, True])
def test_vectorized_frames_equal_the_row_by_row_reference(dense):
    import numpy as np
    rng = np.random.default_rng(11 if dense else 12)
    num = 60
    ids = list(range(num)) if dense else [f"N{i}" for i in range(num)]
    kinds = rng.choice(["enterprise", "person", "organization"], num)
    nodes = pd.DataFrame({"entity": ids, "kind": kinds})
    pick = lambda k: [ids[i] for i in rng.integers(0, num, k)]  # noqa: E731
    edges = pd.DataFrame({"tail": pick(120), "head": pick(120),
                          "label": rng.choice(["legal_rep", "officer", "controller"], 120)})
    edges["tag"] = np.where(edges["label"] == "officer", rng.choice(["principal", "director"], 120),
                            np.where(edges["label"] == "controller", "derived", ""))
    edges = edges[edges["tail"] != edges["head"]]
    lists = pd.DataFrame({"subject": pick(25),
                          "list": rng.choice(["court_dishonest_debtor", "tax_major_violation",
                                              "amr_abnormal_operation", "tax_a"], 25),
                          "listed_on": [f"20{18 + i % 6}-0{1 + i % 9}-1{i % 10}" for i in range(25)],
                          "source": "lists", "rid": [f"L{i}" for i in range(25)]})
    ratings = pd.DataFrame({"subject": pick(20), "scheme": "tax",
                            "grade": rng.choice(["A", "B", "D"], 20),
                            "rated_on": [f"20{19 + i % 5}-04-01" for i in range(20)],
                            "source": "tax", "rid": [f"T{i}" for i in range(20)]})
    engine = measures.MeasureEngine(nodes, edges)
    table = engine.propagate(lists=lists, ratings=ratings)
    assert len(table) > 20 and (table["path"].str.count("->") >= 2).any()
    for as_of in ["", "2021-06-01"]:
        fast = engine.restrictions(as_of or None)
        slow = _row_by_row(engine, engine._engine.restrictions(as_of))
        pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
    for entity in ids[::7]:
        pd.testing.assert_frame_equal(engine.why(entity),
                                      _row_by_row(engine, engine._engine.why(engine._node(entity))),
                                      check_dtype=False)


def test_prepared_triggers_propagate_like_the_columns():
    """prepare_triggers + propagate_prepared (the records copied in, reusing the previous run's
    storage) give the same answers as propagate from the columns, run after run."""
    import numpy as np
    rng = np.random.default_rng(21)
    num = 50
    nodes = pd.DataFrame({"entity": range(num),
                          "kind": rng.choice(["enterprise", "person"], num)})
    edges = pd.DataFrame({"tail": rng.integers(0, num, 100), "head": rng.integers(0, num, 100),
                          "label": rng.choice(["legal_rep", "officer", "controller"], 100)})
    edges["tag"] = np.where(edges["label"] == "officer", "principal",
                            np.where(edges["label"] == "controller", "derived", ""))
    edges = edges[edges["tail"] != edges["head"]]
    lists = pd.DataFrame({"subject": rng.integers(0, num, 20),
                          "list": rng.choice(["court_dishonest_debtor", "tax_a"], 20),
                          "listed_on": [f"20{18 + i % 6}-03-0{1 + i % 9}" for i in range(20)],
                          "source": "lists", "rid": [f"L{i}" for i in range(20)]})
    ratings = pd.DataFrame({"subject": rng.integers(0, num, 30), "scheme": "tax",
                            "grade": rng.choice(["A", "B", "D"], 30),
                            "rated_on": [f"20{19 + i % 5}-04-01" for i in range(30)],
                            "source": "tax", "rid": [f"T{i}" for i in range(30)]})
    engine = measures.MeasureEngine(nodes, edges)
    expected = engine.propagate(lists=lists, ratings=ratings)
    assert len(expected) > 10
    columns = engine._trigger_columns(lists, None, ratings)
    prepared = engine._engine.prepare_triggers(*columns)
    assert prepared.size == 50
    for _ in range(3):
        engine._engine.propagate_prepared(prepared)
        pd.testing.assert_frame_equal(engine.restrictions(), expected)
    # A smaller input after a larger one: nothing of the earlier run is left.
    engine._engine.propagate_prepared(engine._engine.prepare_triggers(
        *engine._trigger_columns(lists.iloc[:3], None, None)))
    pd.testing.assert_frame_equal(engine.restrictions(),
                                  measures.MeasureEngine(nodes, edges).propagate(lists=lists.iloc[:3]))


def test_engine_edge_columns_checked_row_by_row():
    """The edge records are made in parallel: each bad row is still refused with its message,
    the first bad row decides, and a tag that means nothing for the edge's label is ignored."""
    from creditgraph.measures import _catalog_text, _m
    import numpy as np

    def engine(tails, heads, labels, tags, num_nodes=4):
        size = len(tails)
        return _m.Engine(_catalog_text(None), num_nodes, np.array(tails, dtype=np.uint32),
                         np.array(heads, dtype=np.uint32), labels, tags,
                         np.zeros(size, dtype=np.float32), None)

    def codes(values, categories):
        return np.array(values, dtype=np.int32), categories

    labels = codes([0, 1, 2], ["legal_rep", "officer", "controller"])
    # 'janitor' on a legal_rep edge means nothing: accepted; on an officer edge: refused.
    ok = engine([0, 0, 1], [2, 3, 3], labels, codes([1, 0, 2], ["director", "janitor", "derived"]))
    assert ok.num_restrictions == 0
    with pytest.raises(InputError, match="unknown officer role 'janitor'"):
        engine([0, 0, 1], [2, 3, 3], labels, codes([0, 1, 2], ["director", "janitor", "derived"]))
    with pytest.raises(InputError, match="controller tag must be declared or derived"):
        engine([0, 0, 1], [2, 3, 3], labels, codes([-1, 0, 0], ["director"]))
    with pytest.raises(InputError, match="unknown edge label 'friend'"):
        engine([0, 0], [2, 3], codes([0, 1], ["legal_rep", "friend"]), None)
    with pytest.raises(InputError, match="edge label missing"):
        engine([0, 0], [2, 3], codes([0, -1], ["legal_rep"]), None)
    with pytest.raises(InputError, match="outside its categories"):
        engine([0, 0], [2, 3], codes([0, 5], ["legal_rep"]), None)
    with pytest.raises(InputError, match="endpoint outside"):
        engine([0, 0], [2, 9], codes([0, 0], ["legal_rep"]), None)
    # The first bad row decides, however the rows are split between threads.
    rows = 200_000
    tails = np.zeros(rows, dtype=np.uint32)
    heads = np.full(rows, 2, dtype=np.uint32)
    label_codes = np.zeros(rows, dtype=np.int32)
    label_codes[150_000] = 1  # 'friend'
    heads[170_000] = 99       # outside
    with pytest.raises(InputError, match="unknown edge label 'friend'"):
        engine(tails, heads, (label_codes, ["legal_rep", "friend"]), None)
    with pytest.raises(InputError, match="a sequence|differ in length"):
        engine([0, 0], [2], codes([0, 0], ["legal_rep"]), None)
