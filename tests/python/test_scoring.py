"""Python face of the composite rating (scoring.md): DataFrames in and out, explanation,
single-entity equality, inspection draw, summaries and plots."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creditgraph import scoring
from creditgraph.errors import InputError

# Fixture (entity ids):
#   0 enterprise ──legal_rep──▶ 2 person (court_dishonest_debtor, black)
#   1 enterprise ──officer────▶ 2
#   3 individual_business (serious penalty), 4 organization (clean, tax A)
ENTITIES = pd.DataFrame({
    "entity": [0, 1, 2, 3, 4],
    "kind": ["enterprise", "enterprise", "person", "individual_business", "organization"],
    "est_date": ["2010-01-01", "2023-05-01", None, "2020-01-01", "2000-01-01"],
    "region": ["370102", "370203", "", "370102", "370211"],
    "industry": ["C1310", "F5211", "", "I6510", "P8321"],
})
FACTS = pd.DataFrame([
    {"entity": 2, "kind": "list", "list": "court_dishonest_debtor", "listed_on": "2024-01-01",
     "source": "court", "rid": "c1"},
    {"entity": 3, "kind": "penalty", "severity": "serious", "decided_on": "2025-01-01",
     "domain": "market", "source": "amr", "rid": "p1"},
    {"entity": 4, "kind": "rating", "scheme": "tax", "grade": "A", "rated_on": "2025-04-01",
     "source": "tax", "rid": "t1"},
    {"entity": 1, "kind": "list", "list": "amr_serious_illegal", "listed_on": "2024-06-01",
     "source": "amr", "rid": "s1"},
])
EDGES = pd.DataFrame({"src": [0, 1], "dst": [2, 2], "label": ["legal_rep", "officer"]})


def run(**kwargs):
    return scoring.score(FACTS, edges=EDGES, entities=ENTITIES, as_of="2025-06-30", **kwargs)


def test_default_model_validates():
    model = scoring.load_model()
    assert len({i["dimension"] for i in model.indicators}) == 5
    assert math.isclose(sum(i["weight"] for i in model.indicators), 10.0)
    assert model.warnings == []


def test_bad_model_is_refused_with_the_indicator_named():
    text = scoring.load_model().yaml.replace("fn: years_since", "fn: age")
    with pytest.raises(InputError, match="years_established.*unknown fn 'age'"):
        scoring.validate(text)


def test_scores_frame_and_explanation_sum_exactly():
    result = run()
    frame = result.frame
    assert sorted(frame["entity"]) == [0, 1, 3, 4]  # persons are not scored
    for column in ["score", "grade", "class", "inspection_rate", "related_risk.value",
                   "related_risk.points", "related_risk.contribution"]:
        assert column in frame.columns
    for _, row in frame.iterrows():
        explanation = result.explain(row["entity"])
        total = 0.0
        for line in explanation["lines"]:
            total += line["contribution"]
            assert line["contribution"] == line["weight"] * line["points"]
        assert total == row["score"] == explanation["score"]
        score, grade, _ = result.score_one(row["entity"])
        assert score == row["score"] and grade == row["grade"]
    by_entity = frame.set_index("entity")
    # 0 and 1 are tied to the black-listed person: related_risk > 0; 3 and 4 are not.
    assert by_entity.loc[0, "related_risk.value"] > 0
    assert by_entity.loc[3, "related_risk.value"] == 0
    # 1 is on amr_serious_illegal: veto to D whatever the score.
    assert by_entity.loc[1, "grade"] == "D" and by_entity.loc[1, "veto"] == "D"
    assert by_entity.loc[4, "score"] > by_entity.loc[3, "score"]


def test_inspection_is_reproducible_and_per_class():
    result = run()
    first = scoring.inspect(result, seed=11)
    second = scoring.inspect(result, seed=11)
    pd.testing.assert_frame_equal(first, second)
    classes = result.frame.set_index("entity")["class"]
    for _, pick in first.iterrows():
        assert classes[pick["entity"]] == pick["class"]


def test_summaries_and_plot(tmp_path):
    result = run()
    by_city = scoring.grade_distribution(result, by="city")
    assert by_city.values.sum() == len(result.frame)
    assert "3701" in by_city.index
    by_industry = scoring.grade_distribution(result, by="industry")
    assert set(by_industry.index) <= {"C", "F", "I", "P"}
    path = tmp_path / "city.png"
    scoring.plot_grade_distribution(result, by="city", path=path)
    assert path.stat().st_size > 0


def test_bad_input_is_an_input_error():
    bad = FACTS.copy()
    bad.loc[0, "listed_on"] = "yesterday"
    with pytest.raises(InputError, match="listed_on"):
        scoring.score(bad, entities=ENTITIES, as_of="2025-06-30")
    with pytest.raises(InputError, match="as_of"):
        scoring.score(FACTS, entities=ENTITIES)


def test_datetime_columns_give_the_same_scores_as_text_dates():
    facts = FACTS.copy()
    for column in ["listed_on", "decided_on", "rated_on"]:
        facts[column] = pd.to_datetime(facts[column])
    entities = ENTITIES.copy()
    entities["est_date"] = pd.to_datetime(entities["est_date"])
    fast = scoring.score(facts, edges=EDGES, entities=entities, as_of="2025-06-30").frame
    slow = run().frame
    pd.testing.assert_frame_equal(fast, slow)


def test_engine_restriction_counts_equal_the_stored_restriction_rows(tmp_path):
    """The score stage counts restrictions from the pieces the propagate stage saved beside its
    rows: at several as_of dates the `restrictions` value (effect punish) of every scored
    organization equals the number of distinct punish measures binding it on that date
    according to the stored restriction rows (withheld ones are never binding)."""
    from pathlib import Path

    import creditgraph as cg

    sample = Path(__file__).resolve().parents[2] / "datasets" / "sample"
    eng = cg.build(sample, tmp_path / "db", progress=False)
    nonzero = 0
    for as_of in ("2023-01-01", "2025-06-30", eng.as_of, "2028-01-01"):
        eng.score(as_of=as_of)
        rows = eng.restrictions(as_of=as_of)
        rows = rows[rows["effect"] == "punish"] if not rows.empty else rows
        want = rows.groupby("entity_id")["measure"].nunique() if not rows.empty else pd.Series(dtype=int)
        scores = eng.scores().set_index("entity_id")["restrictions_value"]
        expected = scores.index.map(lambda e: float(want.get(e, 0)))
        assert list(scores.to_numpy()) == list(expected), as_of
        nonzero += int((scores > 0).sum())
    assert nonzero > 0
