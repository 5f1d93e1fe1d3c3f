from __future__ import annotations
import collections.abc
import typing
__all__: list[str] = ['MentionSet', 'Resolution', 'mask_id_number', 'read_mentions', 'resolve_columns', 'resolve_db', 'resolve_mentions']
class Resolution:
    """
    Mentions resolved into entities.
    """
    def add_columns(self, arg0: collections.abc.Sequence[str], arg1: collections.abc.Sequence[collections.abc.Sequence[str | None]]) -> None:
        """
        Incremental: adds records (canonical columns) and resolves only what they touch.
        """
    def entities(self, mask_id_numbers: bool = True) -> dict:
        """
        Columns node (dense NodeId), id, kind, uscc, org_code, reg_no, id_no (masked unless asked), name, region, mentions.
        """
    def explain_link(self, a: str, b: str) -> dict:
        """
        Explains the link between two mentions written source/rid/role.
        """
    def mention_column(self, field: str) -> list:
        """
        One column of the normalized mention table as a list of str, in mention order (for benchmarks against peer tools, a column at a time: the whole table as Python objects takes gigabytes at SF=0.1). Fields: source, rid, role, class, uscc, org_code, reg_no, id_no, name (folded), core, trade, region, birth, phone, address, rel_name, weak_codes. id_no holds ID numbers in clear: internal use only, never for public-facing output.
        """
    def mentions(self) -> dict:
        """
        Columns source, rid, role, entity_id, class (one row per mention).
        """
    def stats(self) -> dict:
        """
        Counts and timings of the last resolve.
        """
class MentionSet:
    """
    The normalized mentions of a database, held in memory.
    """
    def __len__(self) -> int:
        ...
    @property
    def memory_bytes(self) -> int:
        ...
    @property
    def records(self) -> int:
        ...
def mask_id_number(arg0: str) -> str:
    """
    370102********1234
    """
def read_mentions(db: str) -> MentionSet:
    """
    Reads and normalizes the mentions of a database folder (no resolution).
    """
def resolve_columns(names: collections.abc.Sequence[str], columns: collections.abc.Sequence[collections.abc.Sequence[str | None]], match_probability: typing.SupportsFloat | typing.SupportsIndex = 0.99, em_iterations: typing.SupportsInt | typing.SupportsIndex = 200) -> Resolution:
    """
    Resolves records given as canonical columns (source, rid, kind, subject_*, party_*).
    """
def resolve_db(db: str, match_probability: typing.SupportsFloat | typing.SupportsIndex = 0.99, em_iterations: typing.SupportsInt | typing.SupportsIndex = 200, incremental: bool = True) -> Resolution:
    """
    Resolves every record of a database folder written by ingest (incremental=False: the blocking keys are freed early; a later add_columns then resolves everything again).
    """
def resolve_mentions(mentions: MentionSet, match_probability: typing.SupportsFloat | typing.SupportsIndex = 0.99, em_iterations: typing.SupportsInt | typing.SupportsIndex = 200, incremental: bool = True) -> Resolution:
    """
    Resolves mentions read by read_mentions (copied, so that they can be resolved again).
    """
