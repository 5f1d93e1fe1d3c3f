"""Name normalization, vectorized: organization names (canonical form and parts) and persons.

Inputs are a list, tuple, numpy array or pandas Series of strings (None/NaN stay missing). One
C++ call per batch, the GIL released (TBB across cores for large batches; ``threads=1`` keeps
it on one core). Rules and word lists: docs/names.md.

>>> from creditgraph import text
>>> text.normalize_org_name(["淄博鑫源商贸有限责任公司"]).loc[0, "canonical"]
'淄博市鑫源商贸有限公司'
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from .ids import _as_list, _index

__all__ = [
    "normalize_org_name",
    "org_name_key",
    "normalize_person_name",
    "normalize_text",
    "industry_words",
    "org_forms",
    "branch_markers",
]

Texts = Union[Sequence[Optional[str]], np.ndarray, pd.Series, Iterable[Optional[str]]]

_text = _core.text

_PART_COLUMNS = [
    "canonical", "key", "region", "region_code", "trade_name", "industry", "form", "branch",
    "branch_marker", "branch_region_code", "parent_canonical", "is_branch",
]


def normalize_org_name(values: Texts, *, parts: bool = True,
                       threads: int = 0) -> Union[pd.DataFrame, pd.Series]:
    """Canonical organization names and their parts.

    With ``parts=True`` (default) a DataFrame with columns input, canonical, key, region,
    region_code, trade_name, industry, form, branch, branch_marker, branch_region_code,
    parent_canonical, is_branch; with ``parts=False`` a Series of canonical names.
    """
    inputs = _as_list(values)
    raw = _text.parse_org_names(inputs, threads=threads)
    index = _index(values)
    if not parts:
        return pd.Series(raw["canonical"], index=index, dtype=object, name="canonical")
    frame = pd.DataFrame({"input": pd.Series(inputs, dtype=object),
                          **{column: raw[column] for column in _PART_COLUMNS}})
    if index is not None:
        frame.index = index
    return frame


def _series_or_list(values: Texts, result: list, name: str) -> Union[list, pd.Series]:
    index = _index(values)
    if index is not None:
        return pd.Series(result, index=index, dtype=object, name=name)
    return result


def org_name_key(values: Texts, *, threads: int = 0) -> Union[list, pd.Series]:
    """Blocking keys: the canonical name without its region (a branch keeps its branch part)."""
    return _series_or_list(values, _text.org_name_key(_as_list(values), threads=threads), "key")


def normalize_person_name(values: Texts, *, threads: int = 0) -> Union[list, pd.Series]:
    """Person names: NFKC, Traditional -> Simplified, middle dots unified to '·', spaces."""
    result = _text.normalize_person_name(_as_list(values), threads=threads)
    return _series_or_list(values, result, "name")


def normalize_text(values: Texts, *, upper_ascii: bool = False, drop_all_spaces: bool = False,
                   threads: int = 0) -> Union[list, pd.Series]:
    """The general text normalization under both (NFKC, T->S, brackets, punctuation, spaces)."""
    result = _text.normalize_text(_as_list(values), upper_ascii=upper_ascii,
                                  drop_all_spaces=drop_all_spaces, threads=threads)
    return _series_or_list(values, result, "text")


def industry_words() -> list:
    """The documented industry words (longest match wins)."""
    return list(_text.industry_words())


def org_forms() -> pd.DataFrame:
    """Organization forms: variant and canonical."""
    return pd.DataFrame(_text.org_forms(), columns=["variant", "canonical"])


def branch_markers() -> pd.DataFrame:
    """Branch markers, with whether they need a parent's form before them to count."""
    always = [(marker, False) for marker in _text.branch_markers()]
    after_parent = [(marker, True) for marker in _text.ambiguous_branch_markers()]
    return pd.DataFrame(always + after_parent, columns=["marker", "needs_parent_form"])
