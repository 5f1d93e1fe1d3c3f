from __future__ import annotations
import collections.abc
import typing
__all__: list[str] = ['Session', 'changes', 'counts', 'ingest_dataset', 'meta', 'quarantine', 'record_count', 'records']
class Session:
    """
    One ingest run: catalog checked at open, staged until commit().
    """
    def __init__(self, dataset_dir: str, db_path: str, batch_rows: typing.SupportsInt | typing.SupportsIndex = 4096, progress: bool = False) -> None:
        ...
    def add_rows(self, names: collections.abc.Sequence[str], columns: collections.abc.Sequence[collections.abc.Sequence[str | None]]) -> None:
        """
        One batch of rows, column-major: lists of str or None.
        """
    def begin_external(self, arg0: str) -> None:
        ...
    def commit(self) -> dict:
        ...
    def end_external(self) -> None:
        ...
    def ingest_file_sources(self) -> None:
        """
        Reads every csv and jsonl source.
        """
    def sources(self) -> list:
        ...
def changes(db_path: str, after: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    The change log after a sequence number.
    """
def counts(db_path: str) -> dict:
    """
    Per-source counts stored by the last ingest (meta count/<source>).
    """
def ingest_dataset(dataset_dir: str, db_path: str, progress: bool = False) -> dict:
    """
    Ingests a data set of csv/jsonl sources (Parquet: use creditgraph.ingest.ingest).
    """
def meta(db_path: str, prefix: str = '') -> dict:
    """
    Meta entries (catalog, stage status, counts).
    """
def quarantine(db_path: str, source: str = '') -> dict:
    """
    Quarantined rows: source, rid, row (1-based, in the source), field, reason, raw (JSON).
    """
def record_count(db_path: str, kind: str, source: str = '') -> int:
    """
    Number of records of a kind (of one source, or all) stored.
    """
def records(db_path: str, kind: str, source: str = '', limit: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Records of one kind as columns of text (for small databases).
    """
