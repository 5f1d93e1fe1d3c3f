"""Joint punishment and reward (measures.md): load a measures catalog, propagate it over a
related-party graph, and ask which measures bind an entity on a date and why.

Everything goes in and out as pandas DataFrames. Entities are named by any hashable id (the
``entity`` column of ``nodes``); edges and triggers refer to those ids.

    >>> from creditgraph import measures
    >>> engine = measures.MeasureEngine(nodes, edges)            # default catalog
    >>> table = engine.propagate(lists=lists, ratings=ratings)   # restrictions DataFrame
    >>> bound, reasons = engine.check("E1", "consumption", "2024-05-01")
    >>> engine.why("P7")

Input columns (dates as ISO text, ``datetime``/``Timestamp``, or empty/NaN for none):
  nodes:     entity, kind (enterprise | individual_business | organization | person | "")
  edges:     tail, head, label (legal_rep | officer | shareholder | branch | guarantee |
             controller), optional tag (officer role, or declared/derived), optional value
  lists:     subject, list, listed_on, optional removed_on, disputed, source, rid
  penalties: subject, severity, optional domain, decided_on, source, rid
  ratings:   subject, scheme, grade, rated_on, source, rid
"""
from __future__ import annotations

import datetime as _dt
from concurrent.futures import ThreadPoolExecutor as _ThreadPoolExecutor
import math
import pathlib
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _core
from .errors import InputError, NotFoundError

_m = _core.measures

__all__ = [
    "DEFAULT_CATALOG",
    "MeasureEngine",
    "default_catalog_path",
    "load_catalog",
    "propagate",
    "validate_catalog",
]


def default_catalog_path() -> pathlib.Path:
    """The shipped default catalog (datasets/measures/default.yaml)."""
    here = pathlib.Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "datasets" / "measures" / "default.yaml"
        if candidate.exists():
            return candidate
    raise NotFoundError("default measures catalog datasets/measures/default.yaml not found; "
                        "pass a catalog file explicitly")


DEFAULT_CATALOG = "default"


def _catalog_text(catalog: str | pathlib.Path | None) -> str:
    if catalog is None or catalog == DEFAULT_CATALOG:
        return default_catalog_path().read_text(encoding="utf-8")
    path = pathlib.Path(catalog)
    if "\n" not in str(catalog) and path.exists():
        return path.read_text(encoding="utf-8")
    if "\n" in str(catalog):
        return str(catalog)  # YAML text given directly
    raise NotFoundError(f"measures catalog file '{catalog}' does not exist")


def validate_catalog(catalog: str | pathlib.Path | None = None) -> dict:
    """Parses and validates a catalog (a path, YAML text, or None for the default).
    Returns a summary; raises InputError naming the measure and the problem."""
    return _m.validate_catalog(_catalog_text(catalog))


def load_catalog(catalog: str | pathlib.Path | None = None) -> pd.DataFrame:
    """The catalog's measures as a DataFrame (one row per measure)."""
    return pd.DataFrame(validate_catalog(catalog)["measures"])


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


_NO_DATE = np.iinfo(np.int32).min


def _encoded(column: pd.Series) -> tuple:
    """Dictionary-encoded text: (int32 codes, -1 for none; categories as str)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int32, copy=False), _texts(uniques)


def _texts(uniques) -> list[str]:
    """Categories as a list of str (a C-level tolist; str() only for non-text values)."""
    values = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    if all(type(value) is str for value in values):
        return values
    return ["" if value is None else str(value) for value in values]


def _day_column(column: pd.Series):
    """A date column: int32 days since 1970-01-01 (INT32_MIN for none) for datetime columns;
    other columns as dictionary-encoded text that C++ parses (the four forms of catalog.md §3,
    or datetime/date objects)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        days = column.to_numpy().astype("datetime64[D]")
        out = days.astype(np.int64)
        out[np.isnat(days)] = _NO_DATE
        return out.astype(np.int32)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int32, copy=False), [_date(value) for value in uniques]


def _arrow_strings(offsets: np.ndarray, data: np.ndarray) -> pa.Array:
    """An Arrow large_string array over C++-made buffers (int64 offsets, UTF-8 bytes)."""
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets),
                                            pa.py_buffer(data))


# pandas >= 3 keeps text as Arrow-backed "str" columns: hand it the Arrow array as is.
_ARROW_TEXT = int(pd.__version__.split(".")[0]) >= 3


def _text_column(values: pa.Array):
    """A text column for a DataFrame (pandas' own text dtype: Arrow-backed "str" on pandas 3,
    object on pandas 2)."""
    if _ARROW_TEXT:
        return pd.array(values, dtype="str")
    return values.to_numpy(zero_copy_only=False)


class MeasureEngine:
    """A measures engine over one graph. Build it, ``propagate`` the triggers, then ask."""

    def __init__(self, nodes: pd.DataFrame, edges: pd.DataFrame,
                 catalog: str | pathlib.Path | None = None):
        # Vectorised: ids through a pandas Index, text columns dictionary-encoded
        # (pd.factorize), numbers as numpy arrays; no Python loop over rows.
        if "entity" not in nodes.columns:
            raise InputError("nodes needs an 'entity' column")
        self._id_index = pd.Index(nodes["entity"])
        if not self._id_index.is_unique:
            duplicate = self._id_index[self._id_index.duplicated()][0]
            raise InputError(f"nodes.entity has duplicate ids (e.g. {duplicate!r})")
        self._id_values = self._id_index.to_numpy()
        # Ids that are the node numbers 0..n-1 themselves: positions need no lookup.
        self._dense_ids = (pd.api.types.is_integer_dtype(self._id_index.dtype)
                           and self._id_index.equals(pd.RangeIndex(len(self._id_index))))
        self._id_list: list | None = None  # made on first output
        self._name_list: list | None = None  # str names for path text, made on first output
        if edges is None or len(edges) == 0:
            edges = pd.DataFrame({"tail": [], "head": [], "label": []})
        if "label" not in edges.columns:
            raise InputError(f"edges: column 'label' is missing "
                             f"(have: {', '.join(map(str, edges.columns))})")
        tails = self._nodes(edges, "tail", "edges")
        heads = self._nodes(edges, "head", "edges")
        # The text columns are dictionary-encoded side by side (pandas' Arrow-backed text
        # hashes without the GIL).
        texts = [(edges, "label")] + [(frame, name) for frame, name in ((edges, "tag"), (nodes, "kind"))
                                      if name in frame.columns]
        with _ThreadPoolExecutor(max_workers=2) as pool:
            encoded = dict(zip((name for _, name in texts),
                               pool.map(lambda item: _encoded(item[0][item[1]]), texts)))
        labels = encoded["label"]
        if (labels[0] < 0).any():
            raise InputError("edges.label: a label is missing")
        tags = encoded.get("tag")
        kinds = encoded.get("kind")
        if "value" in edges.columns:
            try:
                values = pd.to_numeric(edges["value"]).fillna(0.0).to_numpy(np.float32)
            except (TypeError, ValueError) as error:
                raise InputError(f"edges.value: not a number ({error})") from None
        else:
            values = np.zeros(len(edges), dtype=np.float32)
        self._engine = _m.Engine(_catalog_text(catalog), len(self._id_values), tails, heads,
                                 labels, tags, values, kinds)

    @property
    def _ids(self) -> list:
        """Entity ids by node position, as Python objects (for output)."""
        if self._id_list is None:
            self._id_list = self._id_values.tolist()
        return self._id_list

    def _nodes(self, frame: pd.DataFrame | None, name: str, where: str) -> np.ndarray:
        """Dense node ids (uint32) of an id column (vectorized)."""
        if frame is None or len(frame) == 0:
            return np.zeros(0, dtype=np.uint32)
        if name not in frame.columns:
            raise InputError(f"{where}: column '{name}' is missing")
        column = frame[name]
        if self._dense_ids and pd.api.types.is_integer_dtype(column.dtype):
            positions = column.to_numpy()
            positions = np.where((positions >= 0) & (positions < len(self._id_values)), positions, -1)
        else:
            positions = self._id_index.get_indexer(column)
        if (positions < 0).any():
            missing = frame[name][positions < 0].iloc[0]
            missing = missing.item() if isinstance(missing, np.generic) else missing
            raise NotFoundError(f"{where}.{name}: unknown entity {missing!r}")
        return positions.astype(np.uint32)

    def _node(self, entity: Any, where: str = "entity") -> int:
        try:
            position = self._id_index.get_loc(entity)
        except (KeyError, TypeError):
            position = None
        if not isinstance(position, (int, np.integer)):
            raise NotFoundError(f"{where}: unknown entity {entity!r}")
        return int(position)

    # ---- full propagation
    def propagate(self, lists: pd.DataFrame | None = None, penalties: pd.DataFrame | None = None,
                  ratings: pd.DataFrame | None = None, frame: bool = True) -> pd.DataFrame | None:
        """Full propagation (parallel in C++); returns every restriction (``frame=False``: returns
        None, the answers stay in the engine for ``check``/``why``/``restrictions``)."""
        self._engine.propagate(*self._trigger_columns(lists, penalties, ratings))
        return self.restrictions() if frame else None

    def _trigger_columns(self, lists, penalties, ratings) -> tuple:
        """The trigger tables as the columns the C++ engine takes: one dict per table, subjects
        as dense node ids, dates as int32 days (or dictionary-encoded text, parsed in C++),
        text dictionary-encoded (codes, categories)."""
        def table(frame, where, texts, dates, flags=()):
            if frame is None or len(frame) == 0:
                return {}
            out = {"subject": self._nodes(frame, "subject", where)}
            for columns, convert in ((texts, _encoded), (dates, _day_column)):
                for name, required in columns:
                    if name in frame.columns:
                        out[name] = convert(frame[name])
                    elif required:
                        raise InputError(f"column '{name}' is missing "
                                         f"(have: {', '.join(map(str, frame.columns))})")
            for name in flags:
                if name in frame.columns:
                    out[name] = frame[name].fillna(False).astype(bool).to_numpy()
            return out

        list_columns = table(lists, "lists", [("list", True), ("source", False), ("rid", True)],
                             [("listed_on", True), ("removed_on", False)], ["disputed"])
        penalty_columns = table(penalties, "penalties",
                                [("severity", True), ("domain", False), ("source", False),
                                 ("rid", True)], [("decided_on", True)])
        rating_columns = table(ratings, "ratings",
                               [("scheme", True), ("grade", True), ("source", False), ("rid", True)],
                               [("rated_on", True)])
        return list_columns, penalty_columns, rating_columns

    # ---- answers
    def _frame(self, columns: dict) -> pd.DataFrame:
        ids = self._ids
        paths = []
        for nodes, steps in zip(columns["path_nodes"], columns["path_steps"]):
            text = str(ids[nodes[0]])
            for step, node in zip(steps, nodes[1:]):
                text += f" -{step}-> {ids[node]}"
            paths.append(text)
        frame = pd.DataFrame({
            "entity": [ids[v] for v in columns["entity"]],
            "measure": columns["measure"],
            "effect": columns["effect"],
            "domain": columns["domain"],
            "withheld": columns["withheld"],
            "start": columns["start"],
            "end": columns["end"],
            "trigger_kind": columns["trigger_kind"],
            "trigger_code": columns["trigger_code"],
            "escalated_from": columns["escalated_from"],
            "source": columns["source"],
            "rid": columns["rid"],
            "subject": [ids[v] for v in columns["subject"]],
            "path": paths,
        })
        return frame

    def _names(self) -> list | None:
        """Node names for path text, by node position (None: the ids are 0..n-1, C++ prints
        them itself). Made once."""
        if self._dense_ids:
            return None
        if self._name_list is None:
            ids = self._ids
            self._name_list = ids if all(type(v) is str for v in ids) else [str(v) for v in ids]
        return self._name_list

    def _table_frame(self, columns: dict) -> pd.DataFrame:
        """The DataFrame of ``_core`` ``table`` columns, without a Python loop over rows: numbers
        are numpy arrays, text arrives as Arrow string buffers (dictionary-encoded columns are
        decoded with Arrow's take)."""
        measure = columns["measure"]

        def per_measure(values):
            return _text_column(pa.array(values, pa.large_string()).take(pa.array(measure)))

        def text(encoded):
            codes, offsets, data = encoded
            return _text_column(_arrow_strings(offsets, data).take(pa.array(codes)))

        return pd.DataFrame({
            "entity": self._id_values[columns["entity"]],
            "measure": per_measure(columns["measure_ids"]),
            "effect": per_measure(columns["measure_effects"]),
            "domain": per_measure(columns["measure_domains"]),
            "withheld": columns["withheld"],
            "start": text(columns["start"]),
            "end": text(columns["end"]),
            "trigger_kind": text(columns["trigger_kind"]),
            "trigger_code": text(columns["trigger_code"]),
            "escalated_from": text(columns["escalated_from"]),
            "source": text(columns["source"]),
            "rid": text(columns["rid"]),
            "subject": self._id_values[columns["subject"]],
            "path": _text_column(_arrow_strings(*columns["path"])),
        })

    def restrictions(self, as_of: Any = None) -> pd.DataFrame:
        """Every restriction, or those active on ``as_of``. ``end`` is "" when open; a reward
        is split into pieces, ``withheld`` on dates the entity is bound by a punish measure."""
        return self._table_frame(self._engine.table(_date(as_of), -1, self._names()))

    def check(self, entity: Any, domain: str, date: Any) -> tuple[bool, pd.DataFrame]:
        """(yes, reasons): is the entity bound (punish/alert) or granted (reward) in ``domain``
        on ``date``, with the restrictions that say so."""
        yes, columns = self._engine.check(self._node(entity), domain, _date(date))
        return bool(yes), self._frame(columns)

    def why(self, entity: Any) -> pd.DataFrame:
        """Every restriction on the entity, with its measure, basis-bearing id, trigger and path."""
        return self._table_frame(self._engine.table("", self._node(entity), self._names()))

    def key_supervised(self) -> pd.DataFrame:
        """重点监管对象: intervals when an entity is on black lists of >= min_domains domains."""
        columns = self._engine.key_supervised()
        return pd.DataFrame({"entity": [self._ids[v] for v in columns["entity"]],
                             "start": columns["start"], "end": columns["end"],
                             "domains": columns["domains"]})

    # ---- incremental updates
    def add_list_entry(self, subject: Any, list_code: str, listed_on: Any, removed_on: Any = None,
                       disputed: bool = False, source: str = "", rid: str = "") -> None:
        self._engine.add_list_entry(self._node(subject), list_code, _date(listed_on),
                                    _date(removed_on), disputed, source, rid)

    def set_removed(self, source: str, rid: str, removed_on: Any) -> None:
        """Credit repair: the entry leaves its list on ``removed_on`` (None undoes it)."""
        self._engine.set_removed(source, rid, _date(removed_on))

    def set_disputed(self, source: str, rid: str, disputed: bool) -> None:
        """An objection opened (True) or closed (False)."""
        self._engine.set_disputed(source, rid, disputed)

    def add_penalty(self, subject: Any, severity: str, domain: str, decided_on: Any,
                    source: str = "", rid: str = "") -> None:
        self._engine.add_penalty(self._node(subject), severity, domain, _date(decided_on), source, rid)

    def add_rating(self, subject: Any, scheme: str, grade: str, rated_on: Any,
                   source: str = "", rid: str = "") -> None:
        self._engine.add_rating(self._node(subject), scheme, grade, _date(rated_on), source, rid)

    def add_edge(self, tail: Any, head: Any, label: str, tag: str = "", value: float = 0.0) -> None:
        self._engine.add_edge(self._node(tail), self._node(head), label, tag, value)

    @property
    def num_restrictions(self) -> int:
        return self._engine.num_restrictions


def propagate(nodes: pd.DataFrame, edges: pd.DataFrame, lists: pd.DataFrame | None = None,
              penalties: pd.DataFrame | None = None, ratings: pd.DataFrame | None = None,
              catalog: str | pathlib.Path | None = None, as_of: Any = None) -> pd.DataFrame:
    """One-shot: the restrictions DataFrame (all, or active on ``as_of``)."""
    engine = MeasureEngine(nodes, edges, catalog)
    engine.propagate(lists, penalties, ratings)
    return engine.restrictions(as_of)
