"""Privacy and list-status helpers shared by the analyst's desk (reports, plots, notebooks).

* ``mask_id_no`` / ``scrub_text`` / ``scrub_frame``: natural persons' identity numbers
  (公民身份号码, GB 11643) are never shown in full in public-facing output. The engine already
  masks the ``id_no`` columns of its views; these helpers are the second line of defence for
  anything else that reaches a report (free-text reasons, opaque attributes, names typed with
  a number in them).
* ``list_entry_status`` / ``list_summary``: the status of red and black list entries
  (active / removed / disputed / expired) by the rule of measures.md section 3.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

import pandas as pd

from . import _core

# The red lists of catalog.md section 5; every other list code is a black list unless the
# record carries its own ``polarity`` column.
RED_LISTS = frozenset({"tax_a", "contract_honoring"})

# List entries stop counting ``max_years`` after they start (Shandong Art. 38, measures.md §3).
DEFAULT_MAX_YEARS = 5

_ISO7064_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ISO7064_CHECK = "10X98765432"

# 18-character numbers: 6-digit region, 8-digit birth date, 3-digit sequence, check character.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3})([\dXx])(?![0-9A-Za-z])")
# Old 15-digit identity numbers: 6-digit region, 6-digit birth date (YYMMDD), 3-digit sequence.
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
# The same typed with spaces, hyphens or in full width (second sweep, docs/sweep2.md).
_SEPARATED_ID = re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])[0-9０-９](?:[ \-\u3000－]?[0-9０-９]){13,16}"
                           r"[ \-\u3000－]?[0-9０-９XxＸｘ](?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")
# An already masked number, as the engine writes it.
MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dXx]|\d{6}\*{6}\d{3}")


def _valid_date(text: str) -> bool:
    """An 8-digit YYYYMMDD birth date between 1900 and 2099."""
    if text[0:2] not in ("19", "20"):
        return False
    try:
        _dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def id18_check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ISO7064_WEIGHTS))
    return _ISO7064_CHECK[total % 11]


def looks_like_id_no(text: str) -> bool:
    """True when ``text`` is a plausible full identity number (18 with a valid birth date, or 15)."""
    text = text.strip()
    match = _ID18.fullmatch(text)
    if match:
        return _valid_date(match.group(2))
    match = _ID15.fullmatch(text)
    if match:
        return _valid_date("19" + match.group(2))
    return False


def mask_id_no(text: Any) -> Any:
    """``370102199001011234`` -> ``370102********1234``; 15-digit numbers keep 6 + last 3.

    Values that are not identity numbers (None, NaN, already masked text) come back unchanged.
    """
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    if len(stripped) == 18 and re.fullmatch(r"\d{17}[\dXx]", stripped):
        return stripped[:6] + "*" * 8 + stripped[14:]
    if len(stripped) == 15 and stripped.isdigit():
        return stripped[:6] + "*" * 6 + stripped[12:]
    return text


def scrub_text(text: Any) -> Any:
    """Mask every identity number that appears inside a free-text value.

    An 18-character number is masked when its digits 7-14 are a valid date: that is every real
    identity number (whatever its check character: a mistyped number is still a person's), and
    it leaves USCCs alone, which carry letters or an organization code in those places. Old
    15-digit numbers are masked when digits 7-12 are a valid YYMMDD date. Callers leave the
    columns they know to be USCCs or registration numbers out of the scrub (see ``scrub_frame``).
    """
    if not isinstance(text, str):
        return text

    def _mask18(match: re.Match) -> str:
        if not _valid_date(match.group(2)):
            return match.group(0)
        return match.group(1) + "*" * 8 + match.group(3) + match.group(4)

    def _mask15(match: re.Match) -> str:
        if not _valid_date("19" + match.group(2)):
            return match.group(0)
        return match.group(1) + "*" * 6 + match.group(3)

    def _mask_separated(match: re.Match) -> str:
        raw = match.group(0)
        if raw.isascii() and raw.isalnum():
            return raw  # a plain run: the rules above
        digits = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("-", "").upper()
        if len(digits) == 18 and digits[:17].isdigit() and _valid_date(digits[6:14]):
            return digits[:6] + "*" * 8 + digits[14:]
        if len(digits) == 15 and digits.isdigit() and _valid_date("19" + digits[6:12]):
            return digits[:6] + "*" * 6 + digits[12:]
        return raw

    text = _SEPARATED_ID.sub(_mask_separated, text)
    return _ID15.sub(_mask15, _ID18.sub(_mask18, text))


# Columns that hold organization codes, never a person's number: left as they are.
_CODE_COLUMNS = re.compile(r"(^|_)(uscc|reg_no|org_code|license_no|decision_no|case_no|rid)$")


def scrub_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with identity numbers masked in every text cell.

    ``id_no`` columns are masked outright; code columns (``uscc``, ``reg_no``, ``org_code``, …)
    are kept; every other text column goes through ``scrub_text``.
    """
    out = frame.copy()
    for column in out.columns:
        name = str(column)
        dtype = out[column].dtype
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
            continue
        if name == "id_no" or name.endswith("_id_no"):
            out[column] = out[column].map(lambda v: scrub_text(mask_id_no(v)))
        elif _CODE_COLUMNS.search(name):
            continue
        else:
            out[column] = out[column].map(scrub_text)
    return out


# ---------------------------------------------------------------------------------------------
# List entries


def _iso(value: Any) -> str | None:
    """A date cell as 'YYYY-MM-DD' (any of the four forms of catalog.md), or None."""
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none"}:
        return None
    return _core.date.parse(text)


def _truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "y", "t", "是"}
    return bool(value)


def list_polarity(code: Any, polarity: Any = None) -> str:
    """'red' or 'black' for a list code (the record's own ``polarity`` wins when it has one)."""
    if isinstance(polarity, str) and polarity.strip().lower() in {"red", "black"}:
        return polarity.strip().lower()
    return "red" if str(code) in RED_LISTS else "black"


def list_entry_status(row: Any, as_of: str, max_years: int = DEFAULT_MAX_YEARS) -> str:
    """Status of one list entry at ``as_of``: 'active', 'removed', 'disputed', 'expired' or 'future'.

    ``row`` is a mapping with ``listed_on`` (or ``date``), ``removed_on`` and ``disputed``.
    measures.md §3: active when listed_on <= T < removed_on, T < listed_on + max_years, and not
    disputed. Removal is reported before a dispute, a dispute before expiry.
    """
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    listed_on = _iso(get("listed_on", None)) or _iso(get("date", None))
    removed_on = _iso(get("removed_on", None))
    if listed_on is not None and as_of < listed_on:
        return "future"
    if removed_on is not None and removed_on <= as_of:
        return "removed"
    if _truthy(get("disputed", None)):
        return "disputed"
    if listed_on is not None and _core.date.add_period(listed_on, f"{max_years}y") <= as_of:
        return "expired"
    return "active"


def list_table(records: pd.DataFrame, as_of: str, max_years: int = DEFAULT_MAX_YEARS) -> pd.DataFrame:
    """The ``list`` records of an entity with two added columns: ``polarity`` and ``status``."""
    if records is None or len(records) == 0:
        return pd.DataFrame(columns=["list", "polarity", "status", "listed_on", "removed_on",
                                     "disputed", "source", "rid"])
    lists = records
    if "kind" in lists.columns:
        lists = lists[lists["kind"] == "list"]
    lists = lists.copy()
    if "list" not in lists.columns:
        lists["list"] = None
    polarity_col = lists["polarity"] if "polarity" in lists.columns else [None] * len(lists)
    lists["polarity"] = [list_polarity(code, pol) for code, pol in zip(lists["list"], polarity_col)]
    lists["status"] = [list_entry_status(row, as_of, max_years) for _, row in lists.iterrows()]
    return lists.reset_index(drop=True)


def list_summary(lists: pd.DataFrame) -> str:
    """'black' if any black entry is active, else 'red' if any red entry is active, else 'clean'.

    Only entries the entity is the subject of count: a list record also names, as its party,
    the legal representative of a listed organization, who is not listed by that entry.
    """
    if lists is None or len(lists) == 0:
        return "clean"
    active = lists[lists["status"] == "active"]
    if "role" in active.columns:
        active = active[active["role"].isna() | (active["role"] == "subject")]
    if (active["polarity"] == "black").any():
        return "black"
    if (active["polarity"] == "red").any():
        return "red"
    return "clean"
