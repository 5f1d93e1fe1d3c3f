from __future__ import annotations
import typing
__all__: list[str] = ['ambiguous_branch_markers', 'branch_markers', 'industry_words', 'normalize_person_name', 'normalize_text', 'org_forms', 'org_name_key', 'parse_org_names']
def ambiguous_branch_markers() -> list[str]:
    ...
def branch_markers() -> list[str]:
    ...
def industry_words() -> list[str]:
    ...
def normalize_person_name(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> list:
    """
    Person names: dots and spaces unified.
    """
def normalize_text(values: typing.Any, upper_ascii: bool = False, drop_all_spaces: bool = False, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> list:
    """
    NFKC, Traditional->Simplified, brackets, punctuation, spaces.
    """
def org_forms() -> list[tuple[str, str]]:
    ...
def org_name_key(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> list:
    """
    Blocking keys: canonical name without region.
    """
def parse_org_names(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Canonical organization names and their parts; a dict of columns.
    """
