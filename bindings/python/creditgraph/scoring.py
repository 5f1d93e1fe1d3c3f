"""Composite public credit rating and graded supervision (scoring.md), pandas in and out.

    from creditgraph import scoring
    model = scoring.load_model()                    # the default model, validated
    result = scoring.score(facts, edges=edges, entities=entities, as_of="2025-06-30")
    result.frame                                    # entity, score, grade, class, inspection_rate,
                                                    # <indicator>.value/.points/.contribution ...
    result.explain(entity)                          # lines that sum exactly to the score
    scoring.inspect(result, seed=7)                 # 双随机 draw: class, entity
    scoring.grade_distribution(result, by="city")   # table; plot_grade_distribution() for a plot

Input frames (missing columns are fine; dates as ISO text or datetime; NaN/None = unknown):
    entities:     entity (int), kind (enterprise | individual_business | organization | person),
                  est_date, region (6-digit code), industry (GB/T 4754 code)
    facts:        entity, kind (list | penalty | license | commitment | rating), source, rid, list,
                  listed_on, removed_on, disputed, decided_on, severity, domain, granted_on,
                  valid_until, made_on, status, scheme, grade, rated_on
    edges:        src, dst, label (legal_rep | officer | shareholder | branch | guarantee |
                  controller | suspected; only the first five count, scoring.md §3)
    restrictions: entity, effect (punish | reward | alert), count  (from the measures stage)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import _core
from .errors import InputError

_scoring = _core.scoring

FACT_COLUMNS = ["kind", "source", "rid", "list", "listed_on", "removed_on", "disputed",
                "decided_on", "severity", "domain", "granted_on", "valid_until", "made_on",
                "status", "scheme", "grade", "rated_on"]
ENTITY_COLUMNS = ["kind", "est_date", "region", "industry"]
DEFAULT_MODEL = Path(__file__).resolve().parents[3] / "datasets" / "scoring" / "default.yaml"
DEFAULT_ESCALATIONS = [("amr_abnormal_operation", "3y", "amr_serious_illegal")]


@dataclass
class Model:
    """A validated model: its YAML text and what the engine read from it."""
    yaml: str
    info: dict

    @property
    def warnings(self) -> list[str]:
        return list(self.info["warnings"])

    @property
    def indicators(self) -> list[dict]:
        return list(self.info["indicators"])

    @property
    def grades(self) -> list[dict]:
        return list(self.info["grades"])


def validate(yaml_text: str) -> Model:
    """Parses and validates a model; raises InputError naming the indicator/grade and problem."""
    return Model(yaml_text, _scoring.parse_model(yaml_text))


def load_model(path: str | Path | None = None) -> Model:
    """Loads a model file (default: datasets/scoring/default.yaml) and validates it."""
    path = Path(path) if path is not None else DEFAULT_MODEL
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"scoring model: cannot read {path}: {error}") from None
    return validate(text)


def _text_column(frame: pd.DataFrame, name: str) -> list[str]:
    column = frame[name]
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").fillna("").tolist()
    if pd.api.types.is_bool_dtype(column):
        return np.where(column.to_numpy(), "true", "").tolist()
    return column.astype(object).where(column.notna(), "").astype(str).tolist()


_NO_DAY = np.iinfo(np.int64).min


def _columns(frame: pd.DataFrame | None, names: Iterable[str]) -> tuple[list[int], dict, dict]:
    """Entity ids, text columns, and datetime columns as int64 day numbers (fast path)."""
    if frame is None or len(frame) == 0:
        return [], {}, {}
    if "entity" not in frame.columns:
        raise InputError("scoring: the frame needs an 'entity' column (dense node ids)")
    ids = frame["entity"].astype("int64")
    if (ids < 0).any():
        raise InputError("scoring: entity ids must be non-negative integers")
    columns, days = {}, {}
    for name in names:
        if name not in frame.columns:
            continue
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            values = column.to_numpy(dtype="datetime64[D]")
            numbers = values.astype("int64")
            numbers[np.isnat(values)] = _NO_DAY
            days[name] = numbers
        else:
            columns[name] = _text_column(frame, name)
    return ids.tolist(), columns, days


class Scores:
    """A scored data set: ``frame`` (one row per organization) and ``explain(entity)``."""

    def __init__(self, engine, model: Model, entities: pd.DataFrame | None):
        self._engine = engine
        self.model = model
        self.as_of = engine.as_of()
        self.frame = pd.DataFrame(engine.table())
        self._entities = entities

    def explain(self, entity: int) -> dict:
        """Each indicator's value, points, weight and contribution, the veto, the grade."""
        return self._engine.explain(int(entity))

    def explain_frame(self, entity: int) -> pd.DataFrame:
        return pd.DataFrame(self.explain(entity)["lines"])

    def score_one(self, entity: int) -> tuple[float, str, list[float]]:
        """The entity scored alone (equals its row of ``frame``)."""
        return self._engine.score_one(int(entity))

    def attributes(self) -> pd.DataFrame:
        """entity, region, industry for the scored rows."""
        return pd.DataFrame({
            "entity": self.frame["entity"],
            "region": [self._engine.region(int(e)) for e in self.frame["entity"]],
            "industry": [self._engine.industry(int(e)) for e in self.frame["entity"]],
        })


def score(facts: pd.DataFrame | None = None, *, edges: pd.DataFrame | None = None,
          entities: pd.DataFrame | None = None, restrictions: pd.DataFrame | None = None,
          model: Model | str | Path | None = None, as_of: str | None = None,
          max_years: int = 5, escalations: list[tuple[str, str, str]] | None = None,
          lists: list[tuple[str, str, str]] | None = None) -> Scores:
    """Scores every organization (batch, C++ with the GIL released). ``lists``: (code, polarity,
    domain) of lists a measures catalog declares (its ``lists:``), which win over catalog.md §5
    for the polarity/domain filters and related_risk (docs/scoring.md)."""
    if not isinstance(model, Model):
        model = load_model(model)
    escalations = DEFAULT_ESCALATIONS if escalations is None else escalations
    entity_ids, entity_columns, entity_days = _columns(entities, ENTITY_COLUMNS)
    fact_ids, fact_columns, fact_days = _columns(facts, FACT_COLUMNS)
    if edges is not None and len(edges):
        src = edges["src"].astype("int64").tolist()
        dst = edges["dst"].astype("int64").tolist()
        label = edges["label"].astype(str).tolist()
    else:
        src, dst, label = [], [], []
    if restrictions is not None and len(restrictions):
        r_ids = restrictions["entity"].astype("int64").tolist()
        r_effect = restrictions["effect"].astype(str).tolist()
        r_count = restrictions["count"].astype("int64").tolist()
    else:
        r_ids, r_effect, r_count = [], [], []
    engine = _scoring.Engine(model.yaml, as_of or "", int(max_years), list(escalations),
                             entity_ids, entity_columns, entity_days, fact_ids, fact_columns,
                             fact_days, src, dst, label,
                             r_ids, r_effect, r_count, [tuple(map(str, x)) for x in lists or []])
    return Scores(engine, model, entities)


def scores_frame(result: Scores) -> pd.DataFrame:
    """The export table (for ``creditgraph export scores``): entity, score, grade, class,
    inspection_rate and every indicator's value, points and contribution."""
    base = ["entity", "score", "grade", "class", "inspection_rate"]
    rest = [c for c in result.frame.columns if c not in base + ["score_grade", "veto"]]
    return result.frame[base + ["score_grade", "veto"] + rest]


def inspect(result: Scores, seed: int) -> pd.DataFrame:
    """双随机 draw: per class, ceil(rate × members) entities, reproducible from ``seed``."""
    picks = result._engine.inspect(int(seed))
    return pd.DataFrame({"class": picks["class"], "entity": picks["entity"]})


def _group_key(attributes: pd.DataFrame, by: str) -> pd.Series:
    if by == "city":
        return attributes["region"].str[:4].replace("", "unknown")
    if by == "industry":
        return attributes["industry"].map(_industry_key)
    raise InputError("scoring: group by 'city' or 'industry'")


def _industry_key(code: str) -> str:
    """GB/T 4754 section letter (A-T) if the code starts with one, else the 2-digit division."""
    if not code:
        return "unknown"
    if code[0].isalpha():
        return code[0].upper()
    return code[:2]


def grade_distribution(result: Scores, by: str = "city") -> pd.DataFrame:
    """Counts of each grade per city (region's first 4 digits) or industry (section / division)."""
    attributes = result.attributes()
    key = _group_key(attributes, by)
    table = pd.crosstab(key.rename(by), result.frame["grade"].rename("grade"))
    grades = [g["grade"] for g in result.model.grades]
    return table.reindex(columns=grades, fill_value=0)


def plot_grade_distribution(result: Scores, by: str = "city", path: str | Path | None = None,
                            share: bool = True):
    """Stacked bar chart of the grade distribution; saved to ``path`` if given. Returns the
    matplotlib Figure."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = grade_distribution(result, by)
    if share:
        table = table.div(table.sum(axis=1).replace(0, 1), axis=0)
    figure, axes = plt.subplots(figsize=(max(6, 0.5 * len(table) + 2), 4))
    table.plot(kind="bar", stacked=True, ax=axes, colormap="RdYlGn_r")
    axes.set_xlabel(by)
    axes.set_ylabel("share of organizations" if share else "organizations")
    axes.set_title(f"Grade distribution by {by} (as of {result.as_of})")
    axes.legend(title="grade")
    figure.tight_layout()
    if path is not None:
        figure.savefig(path)
    return figure
