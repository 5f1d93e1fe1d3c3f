from __future__ import annotations
import typing
__all__: list[str] = ['add_period', 'parse']
def add_period(arg0: str, arg1: str) -> str:
    """
    Adds a period such as '3y', '6m', '90d' with the calendar rules of measures.md §3.
    """
def parse(arg0: str) -> str | None:
    """
    Parses one of the four date forms of catalog.md §3; returns ISO text or None.
    """
