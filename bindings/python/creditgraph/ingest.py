"""Ingest a data set (catalog.md) into a CreditGraph database, and read back what it holds.

``ingest(dataset_dir, db_path)`` reads every source: csv and jsonl in C++ (TBB pipeline), Parquet
here with pyarrow, record batch by record batch, pushed through the same validation as the other
formats (``Session.add_rows``). The run commits atomically: nothing is visible until the end.

>>> counts = ingest("shandong-sf0.01", "db")          # doctest: +SKIP
>>> quarantine("db").groupby("reason").size()          # doctest: +SKIP
"""
from __future__ import annotations

import re
import unicodedata
import sys
import time
from typing import Iterator

import pandas as pd

from . import _core

__all__ = ["ingest", "quarantine", "mask_id_numbers", "records", "counts", "changes", "meta", "PARQUET_BATCH_ROWS"]

#: Rows per pyarrow record batch pushed into the engine (memory stays bounded by this).
PARQUET_BATCH_ROWS = 65536

_COUNT_COLUMNS = ["source", "kind", "read", "loaded", "quarantined", "flagged", "inserted",
                  "updated", "deleted"]


def _parquet_batches(path: str) -> Iterator[tuple[list[str], list[list[str | None]]]]:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        names = list(batch.schema.names)
        columns = []
        for column in batch.columns:
            if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
                column = pc.strftime(column, format="%Y-%m-%d")
            elif not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
                if pa.types.is_boolean(column.type):
                    column = pc.if_else(column, "true", "false")
                else:
                    column = column.cast(pa.string())
            columns.append(column.to_pylist())
        yield names, columns


def ingest(dataset_dir: str, db_path: str, progress: bool = True) -> pd.DataFrame:
    """Ingests the data set folder ``dataset_dir`` into the database folder ``db_path``.

    Returns one row per source: read, loaded, quarantined (loaded + quarantined = read), flagged
    (loaded with a bad optional field), and the change-log entries of this run (inserted, updated,
    deleted). Raises ``InputError`` for a catalog that is refused (nothing is written).
    """
    started = time.perf_counter()
    session = _core.ingest.Session(str(dataset_dir), str(db_path), progress=progress)
    session.ingest_file_sources()
    for source in session.sources():
        if source["format"] != "parquet":
            continue
        session.begin_external(source["id"])
        for names, columns in _parquet_batches(source["full_path"]):
            session.add_rows(names, columns)
        session.end_external()
    report = session.commit()
    frame = pd.DataFrame(report["sources"], columns=_COUNT_COLUMNS)
    frame.attrs["report"] = {k: v for k, v in report.items() if k != "sources"}
    if progress:
        print(report["text"], end="", file=sys.stderr)
        seconds = time.perf_counter() - started
        rate = report["read"] / seconds if seconds > 0 else 0.0
        print(f"ingest: {report['read']} records in {seconds:.2f} s ({rate:,.0f} records/s), "
              f"run {report['run']}", file=sys.stderr)
    return frame


#: Resident ID numbers (18 characters or the old 15 digits) inside free text.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{4,7}[0-9]{1})(\d{3}[0-9Xx])(?![0-9A-Za-z])")


#: The same typed with spaces, hyphens or in full width ("370102 19800101 0015",
#: "３７０１０２…", "370102-19800101-0015"): 15 or 18 digits (the last may be X) with single
#: separators between them.
_SEPARATED_ID = re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])[0-9０-９](?:[ \-\u3000－]?[0-9０-９]){13,16}"
                           r"[ \-\u3000－]?[0-9０-９XxＸｘ](?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")


def _birth_date_ok(digits: str) -> bool:
    import datetime

    try:
        datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return digits[0:2] in ("19", "20")


def _mask_separated(match: "re.Match") -> str:
    raw = match.group(0)
    if raw.isascii() and raw.isalnum():
        return raw  # a plain run: _ID_NUMBER's rule
    digits = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("-", "").upper()
    # a birth date where an ID number has it: a phone number with an extension is left alone
    if len(digits) == 18 and digits[:17].isdigit() and _birth_date_ok(digits[6:14]):
        return digits[:6] + "*" * 8 + digits[14:]
    if len(digits) == 15 and digits.isdigit() and _birth_date_ok("19" + digits[6:12]):
        return digits[:6] + "*" * 5 + digits[11:]
    return raw


def mask_id_numbers(text: str) -> str:
    """Masks every resident-ID-number-like run in text: first 6 and last 4 kept
    (``370102********1234``), as core/ids MaskIdNumber does for one number; also numbers typed
    with spaces, hyphens or in full width, when they carry a birth date (second sweep)."""
    text = _SEPARATED_ID.sub(_mask_separated, text)
    return _ID_NUMBER.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3)[-4:]
                          if len(m.group(0)) in (15, 18) else m.group(0), text)


def quarantine(db_path: str, source: str = "", mask: bool = True) -> pd.DataFrame:
    """Quarantined rows: source, rid, row (1-based position in its source), field, reason, raw.

    ``raw`` is the row as read (a JSON object; columns refused by Art. 42 are never stored).
    With ``mask`` (the default, for anything public-facing) resident ID numbers in ``raw`` and
    ``reason`` are masked; ``mask=False`` gives the stored text to operators.
    """
    frame = pd.DataFrame(_core.ingest.quarantine(str(db_path), source),
                         columns=["source", "rid", "row", "field", "reason", "raw"])
    if mask and not frame.empty:
        for column in ("raw", "reason"):
            frame[column] = frame[column].map(mask_id_numbers)
    return frame


def records(db_path: str, kind: str, source: str = "", limit: int = 0) -> pd.DataFrame:
    """Records of one kind as text columns (dates ISO, unknown = ""), for small databases."""
    return pd.DataFrame(_core.ingest.records(str(db_path), kind, source, limit))


def counts(db_path: str) -> pd.DataFrame:
    """Per-source counts stored by the last ingest of each source."""
    return pd.DataFrame(_core.ingest.counts(str(db_path)), columns=_COUNT_COLUMNS)


def changes(db_path: str, after: int = 0) -> pd.DataFrame:
    """The change log (seq, op, kind, source, rid) after sequence number ``after``."""
    return pd.DataFrame(_core.ingest.changes(str(db_path), after),
                        columns=["seq", "op", "kind", "source", "rid"])


def meta(db_path: str, prefix: str = "") -> dict[str, str]:
    """Meta entries: catalog/<name>, stage/ingest/*, count/<source>, art42/<source>, cursor/*."""
    return dict(_core.ingest.meta(str(db_path), prefix))
