"""Chinese identifiers, vectorized: USCC (GB 32100), organization code (GB 11714), 15-digit
registration number, resident ID number (GB 11643), masking and the 15 -> 18 upgrade.

Every ``check_*`` function takes a list, tuple, numpy array or pandas Series of strings (None/NaN
are treated as empty) and returns a pandas DataFrame with one row per input, in order. The work
is one C++ call per batch with the GIL released (and TBB across cores for large batches; pass
``threads=1`` to stay on one core). Status is ``valid``, ``invalid`` (see ``reason``) or
``check_digit_failed`` (well-formed, flagged, not rejected). Rules: docs/identifiers.md.

>>> from creditgraph import ids
>>> ids.check_uscc(["91350100M000100Y43"]).loc[0, "status"]
'valid'
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core

__all__ = [
    "check_uscc",
    "check_id_number",
    "check_org_code",
    "check_reg_no",
    "upgrade_id_15_to_18",
    "mask_id_number",
    "normalize_code",
    "is_valid_uscc",
    "is_valid_id_number",
    "divisions",
]

Texts = Union[Sequence[Optional[str]], np.ndarray, pd.Series, Iterable[Optional[str]]]

_ids = _core.ids


def _as_list(values: Texts) -> list:
    """The input as a Python list (no per-item Python work beyond what numpy/pandas do in C)."""
    if isinstance(values, str):
        raise TypeError("expected a sequence of strings, got one string: wrap it in a list")
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object, na_value=None)
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iu":  # a numeric column of all-digit codes
            values = values.astype(str)
        return values.tolist()
    if isinstance(values, list):
        return values
    return list(values)


try:  # Arrow-backed string columns straight from the C++ byte buffers (no per-item objects)
    import pyarrow as _pa
except ImportError:  # pragma: no cover - pandas without pyarrow
    _pa = None

try:  # pandas >= 2.3: the default "str" dtype of pandas 3
    _STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
except TypeError:  # pragma: no cover - pandas 2.0-2.2
    _STR_DTYPE = pd.StringDtype("pyarrow")


def _str_column(fixed: np.ndarray) -> Union[pd.Series, np.ndarray]:
    """A fixed-width ASCII byte array ("S18", zero-padded) as a pandas string column."""
    if _pa is None:
        return fixed.astype(str).astype(object)
    count, width = len(fixed), fixed.dtype.itemsize
    matrix = fixed.view(np.uint8).reshape(count, width) if width else np.zeros((count, 0), np.uint8)
    lengths = (matrix != 0).sum(axis=1, dtype=np.int32)
    offsets = np.zeros(count + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] == count * width:  # every code full width: the buffer is already packed
        data = fixed.tobytes()
    else:
        data = matrix[np.arange(width) < lengths[:, None]].tobytes()
    array = _pa.Array.from_buffers(_pa.string(), count,
                                   [None, _pa.py_buffer(offsets), _pa.py_buffer(data)])
    return pd.Series(array, dtype=_STR_DTYPE)


def _labelled(inverse: np.ndarray, labels: list) -> pd.Categorical:
    """A categorical whose row i is labels[inverse[i]] (labels may repeat)."""
    unique, positions = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
    return pd.Categorical.from_codes(positions[inverse], categories=list(unique))


def _index(values: Texts) -> Optional[pd.Index]:
    return values.index if isinstance(values, pd.Series) else None


@lru_cache(maxsize=None)
def _names(kind: str) -> tuple:
    return tuple(getattr(_ids, f"{kind}_names")())


def _categorical(codes: np.ndarray, kind: str) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int16), categories=list(_names(kind)))


def _warnings(bits: np.ndarray) -> pd.Categorical:
    unique = np.unique(bits)
    labels = [_ids.warnings_to_string(int(value)) for value in unique]
    codes = np.searchsorted(unique, bits)
    # Categories must be unique; the bit patterns map one to one to their label strings.
    return pd.Categorical.from_codes(codes, categories=labels)


@lru_cache(maxsize=None)
def _division_table() -> pd.DataFrame:
    return pd.DataFrame(_ids.divisions())


def _division_names(index: np.ndarray) -> pd.Categorical:
    table = _division_table()
    # Names repeat (市中区); categories must be unique, so map positions to unique names.
    names = table["name"].to_numpy()
    unique, inverse = np.unique(names, return_inverse=True)
    codes = np.where(index >= 0, inverse[np.maximum(index, 0)], -1)
    return pd.Categorical.from_codes(codes, categories=list(unique))


def _frame(values: Texts, inputs: list, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame({"input": pd.Series(inputs, dtype=object), **columns}, copy=False)
    index = _index(values)
    if index is not None:
        frame.index = index
    return frame


def _common(raw: dict) -> dict:
    # Division checks mean nothing for invalid codes: leave them empty (NaN).
    if "division_check" in raw:
        raw["division_check"] = np.where(raw["status"] == 1, -1,
                                         raw["division_check"].astype(np.int16))
    return {
        "normalized": _str_column(raw["normalized"]),
        "status": _categorical(raw["status"], "status"),
        "reason": _categorical(raw["reason"], "reason"),
    }


def check_uscc(values: Texts, *, threads: int = 0) -> pd.DataFrame:
    """Validates and parses unified social credit codes (GB 32100-2015).

    Columns: input, normalized, status, reason, warnings, bad_position, authority,
    authority_name, org_type, org_type_name, kind (enterprise / individual_business /
    organization), division, division_name, division_check, org_code.
    """
    inputs = _as_list(values)
    raw = _ids.check_uscc(inputs, threads=threads)
    authority = raw["authority"].view(np.uint8)
    org_type = raw["org_type"].view(np.uint8)
    pairs, inverse = np.unique(authority.astype(np.uint16) * 256 + org_type, return_inverse=True)
    columns = {
        **_common(raw),
        "warnings": _warnings(raw["warnings"]),
        "bad_position": raw["bad_position"],
        "authority": _labelled(inverse, [chr(p >> 8) if p else "" for p in pairs]),
        "authority_name": _labelled(
            inverse, [_ids.uscc_authority_name(chr(p >> 8)) if p else "" for p in pairs]),
        "org_type": _labelled(inverse, [chr(p & 255) if p else "" for p in pairs]),
        "org_type_name": _labelled(
            inverse, [_ids.uscc_org_type_name(chr(p >> 8), chr(p & 255)) if p else ""
                      for p in pairs]),
        "kind": _categorical(raw["kind"], "kind"),
        "division": _str_column(raw["division"]),
        "division_name": _division_names(raw["division_index"]),
        "division_check": _categorical(raw["division_check"], "division_check"),
        "org_code": _str_column(raw["org_code"]),
    }
    return _frame(values, inputs, columns)


def check_id_number(values: Texts, *, today: Optional[str] = None, mask: bool = False,
                    threads: int = 0) -> pd.DataFrame:
    """Validates and parses resident ID numbers (GB 11643-1999); 15-digit numbers are upgraded.

    ``today`` (YYYY-MM-DD, default: the system's date) bounds the birth date. With ``mask=True``
    the ``input`` and ``normalized`` columns are masked (370102********1234) for public output.
    Columns: input, normalized, status, reason, warnings, bad_position, from_15, division,
    division_name, division_check, birth_date, sequence, sex (M/F).
    """
    inputs = _as_list(values)
    raw = _ids.check_id_number(inputs, today=today, mask=mask, threads=threads)
    sex = pd.Categorical.from_codes(raw["sex"].astype(np.int16), categories=["", "M", "F"])
    columns = {
        **_common(raw),
        "warnings": _warnings(raw["warnings"]),
        "bad_position": raw["bad_position"],
        "from_15": raw["from_15"],
        "division": _str_column(raw["division"]),
        "division_name": _division_names(raw["division_index"]),
        "division_check": _categorical(raw["division_check"], "division_check"),
        "birth_date": raw["birth_date"].view("datetime64[D]").astype("datetime64[s]"),
        "sequence": raw["sequence"],
        "sex": sex,
    }
    if mask:
        inputs = _ids.mask_id_number(inputs)
    return _frame(values, inputs, columns)


def check_org_code(values: Texts, *, threads: int = 0) -> pd.DataFrame:
    """Validates organization codes (GB 11714-1997), with or without the hyphen.

    Columns: input, normalized (9 characters), formatted (XXXXXXXX-X), status, reason,
    bad_position.
    """
    inputs = _as_list(values)
    raw = _ids.check_org_code(inputs, threads=threads)
    columns = {**_common(raw), "formatted": _str_column(raw["formatted"]),
               "bad_position": raw["bad_position"]}
    return _frame(values, inputs, columns)


def check_reg_no(values: Texts, *, threads: int = 0) -> pd.DataFrame:
    """Validates 15-digit business registration numbers (format and ISO 7064 MOD 11,10).

    Columns: input, normalized, status, reason, warnings, bad_position, kind (a hint from
    position 7), division (of the registering authority), division_name, division_check.
    """
    inputs = _as_list(values)
    raw = _ids.check_reg_no(inputs, threads=threads)
    columns = {
        **_common(raw),
        "warnings": _warnings(raw["warnings"]),
        "bad_position": raw["bad_position"],
        "kind": _categorical(raw["kind"], "kind"),
        "division": _str_column(raw["division"]),
        "division_name": _division_names(raw["division_index"]),
        "division_check": _categorical(raw["division_check"], "division_check"),
    }
    return _frame(values, inputs, columns)


def _map(values: Texts, function) -> Union[list, pd.Series]:
    result = function(_as_list(values))
    index = _index(values)
    return pd.Series(result, index=index, dtype=object) if index is not None else result


def upgrade_id_15_to_18(values: Texts) -> Union[list, pd.Series]:
    """The 18-digit form of 15-digit ID numbers ('' where the input is not 15 digits)."""
    return _map(values, _ids.upgrade_id_15_to_18)


def mask_id_number(values: Texts) -> Union[list, pd.Series]:
    """Masks ID numbers for public output: first 6 and last 4 kept (370102********1234)."""
    return _map(values, _ids.mask_id_number)


def normalize_code(values: Texts) -> Union[list, pd.Series]:
    """Normalized input forms: full-width to ASCII, upper case, spaces and hyphens removed."""
    return _map(values, _ids.normalize_code)


def is_valid_uscc(code: str) -> bool:
    """True for a valid USCC (one code; use check_uscc for many)."""
    return _ids.is_valid_uscc(code)


def is_valid_id_number(code: str, today: Optional[str] = None) -> bool:
    """True for a valid resident ID number (one code; use check_id_number for many)."""
    return _ids.is_valid_id_number(code, today)


def divisions() -> pd.DataFrame:
    """The embedded GB/T 2260 table: code, name, short_name, level, parent, current, successor."""
    return _division_table().copy()
