"""Entity resolution: which mentions (record sides) are the same enterprise, organization or person.

``resolve(db=...)`` or ``resolve(records=DataFrame)`` returns a :class:`Resolution`;
``mentions(res)`` and ``entities(res)`` give DataFrames; ``explain_link(res, a, b)`` says why two
mentions are (or are not) one entity; ``evaluate(mentions_df, truth_dir)`` scores a resolution
against a generator's ``truth/`` (pairwise precision/recall/F1 and B-cubed, per class).
See docs/resolution.md.
"""
from __future__ import annotations

import os
from typing import Optional

import numpy as np
import pandas as pd

from . import _core
from .errors import InputError

__all__ = ["Resolution", "read_mentions", "resolve", "resolve_dataset", "mentions", "entities", "explain_link",
           "evaluate", "RECORD_COLUMNS"]

_IDENTITY = ["uscc", "reg_no", "org_code", "id_no", "name", "kind", "region", "address", "phone", "birth"]
#: The canonical record columns ``resolve(records=...)`` reads (others are ignored).
RECORD_COLUMNS = ["source", "rid", "kind"] + [f"{side}_{f}" for side in ("subject", "party")
                                             for f in _IDENTITY]


class Resolution:
    """Resolved mentions and entities (wraps ``_core.resolve.Resolution``)."""

    def __init__(self, core):
        self._core = core

    @property
    def stats(self) -> dict:
        """Counts (mentions, comparisons, links, entities) and timings of the last resolve."""
        return dict(self._core.stats())

    def mentions(self) -> pd.DataFrame:
        """One row per mention: source, rid, role, entity_id, class."""
        return pd.DataFrame(self._core.mentions())

    def entities(self, mask_id_numbers: bool = True) -> pd.DataFrame:
        """One row per entity: node (dense id), id, kind, codes, name, region, mentions.

        ID numbers of persons are masked (``370102********1234``) unless asked otherwise."""
        return pd.DataFrame(self._core.entities(mask_id_numbers))

    def explain_link(self, a: str, b: str) -> dict:
        """Why mentions ``a`` and ``b`` (``source/rid/role``) are or are not one entity."""
        return dict(self._core.explain_link(a, b))

    def add_records(self, records: pd.DataFrame) -> dict:
        """Incremental update: resolves new records against the existing entities."""
        names, columns = _columns(records)
        self._core.add_columns(names, columns)
        return self.stats


def _columns(records: pd.DataFrame):
    missing = [c for c in ("source", "rid", "kind") if c not in records.columns]
    if missing:
        raise InputError(f"records need the columns {missing}; see creditgraph.resolve.RECORD_COLUMNS")
    names = [c for c in RECORD_COLUMNS if c in records.columns]
    columns = []
    for name in names:
        values = records[name]
        columns.append([None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v)
                        for v in values.tolist()])
    return names, columns


def read_mentions(db: str | os.PathLike):
    """Reads and normalizes the mentions of a database folder, without resolving them.

    The result can be given to ``resolve(mentions=...)`` any number of times: resolution timed
    alone, on the same normalized mentions another tool is given (bench/resolve_vs_peers.py).
    """
    return _core.resolve.read_mentions(os.fspath(db))


def resolve(db: Optional[str | os.PathLike] = None, records: Optional[pd.DataFrame] = None,
            match_probability: float = 0.99, em_iterations: int = 200, mentions=None,
            incremental: bool = True) -> Resolution:
    """Resolves every record of a database folder (``db``), a DataFrame of canonical records
    (``records``) or mentions read before (``mentions``, from ``read_mentions``).

    ``incremental=False`` (``db`` and ``mentions``): the blocking keys are not kept for
    ``Resolution.add_records`` but freed before the comparisons — less memory, the same
    partition; a later ``add_records`` then resolves everything again. The engine's resolve stage
    runs this way and resumes from its saved state instead."""
    if sum(x is not None for x in (db, records, mentions)) != 1:
        raise InputError("give exactly one of db= (a database folder), records= (a DataFrame) "
                         "or mentions= (from read_mentions)")
    if mentions is not None:
        return Resolution(_core.resolve.resolve_mentions(mentions, match_probability, em_iterations,
                                                         incremental))
    if db is not None:
        return Resolution(_core.resolve.resolve_db(os.fspath(db), match_probability, em_iterations,
                                                   incremental))
    names, columns = _columns(records)
    return Resolution(_core.resolve.resolve_columns(names, columns, match_probability, em_iterations))


def resolve_dataset(dataset: str | os.PathLike, db: str | os.PathLike, **kwargs) -> Resolution:
    """Ingests a data set folder into ``db`` (if it does not exist yet) and resolves it."""
    if not os.path.exists(db):
        from .ingest import ingest

        ingest(os.fspath(dataset), os.fspath(db), progress=False)
    return resolve(db=db, **kwargs)


def mentions(resolution: Resolution) -> pd.DataFrame:
    """source, rid, role, entity_id: the export the truth is joined with."""
    return resolution.mentions()[["source", "rid", "role", "entity_id"]]


def entities(resolution: Resolution, mask_id_numbers: bool = True) -> pd.DataFrame:
    """id, kind, uscc, org_code, reg_no, id_no (masked), name, region (and node, mentions)."""
    return resolution.entities(mask_id_numbers)


def explain_link(resolution: Resolution, a: str, b: str) -> dict:
    return resolution.explain_link(a, b)


def _pairs(counts: pd.Series) -> float:
    values = counts.to_numpy(dtype=np.float64)
    return float((values * (values - 1) / 2).sum())


def _scores(frame: pd.DataFrame) -> dict:
    """Pairwise and B-cubed scores of predicted (entity_id) vs true (entity) labels."""
    n = len(frame)
    if n == 0:
        return dict(mentions=0, precision=1.0, recall=1.0, f1=1.0, bcubed_precision=1.0,
                    bcubed_recall=1.0, bcubed_f1=1.0)
    both = frame.groupby(["entity_id", "entity"]).size()
    predicted = frame.groupby("entity_id").size()
    truth = frame.groupby("entity").size()
    correct, predicted_pairs, true_pairs = _pairs(both), _pairs(predicted), _pairs(truth)
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    joint = both.reset_index(name="n")
    joint["p"] = predicted.reindex(joint["entity_id"]).to_numpy()
    joint["t"] = truth.reindex(joint["entity"]).to_numpy()
    bp = float((joint["n"] ** 2 / joint["p"]).sum() / n)
    br = float((joint["n"] ** 2 / joint["t"]).sum() / n)
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return dict(mentions=n, true_pairs=true_pairs, predicted_pairs=predicted_pairs,
                correct_pairs=correct, precision=precision, recall=recall, f1=f1(precision, recall),
                bcubed_precision=bp, bcubed_recall=br, bcubed_f1=f1(bp, br))


def evaluate(mentions_df: pd.DataFrame, truth_dir: str | os.PathLike) -> pd.DataFrame:
    """Scores a resolution (``source, rid, role, entity_id``) against ``truth/`` (catalog.md §6).

    Returns one row per class (organizations, persons, all) with pairwise precision, recall, F1
    and B-cubed precision, recall, F1. Mentions absent from either side are left out (and
    counted in the ``unmatched`` column)."""
    truth_dir = os.fspath(truth_dir)
    path = os.path.join(truth_dir, "mentions.csv")
    if not os.path.exists(path):
        raise InputError(f"no {path}: give the truth/ folder a generator wrote")
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    kinds = pd.read_csv(os.path.join(truth_dir, "entities.csv"), dtype=str,
                        keep_default_na=False, usecols=["entity", "kind"])
    truth = truth.merge(kinds, on="entity", how="left")
    predicted = mentions_df[["source", "rid", "role", "entity_id"]].astype(str)
    joined = predicted.merge(truth, on=["source", "rid", "role"], how="inner")
    unmatched = len(predicted) + len(truth) - 2 * len(joined)
    rows = []
    for label, mask in (("organizations", joined["kind"] != "person"),
                        ("persons", joined["kind"] == "person"),
                        ("all", pd.Series(True, index=joined.index))):
        row = {"class": label, **_scores(joined[mask])}
        row["unmatched"] = unmatched
        rows.append(row)
    return pd.DataFrame(rows).set_index("class")
