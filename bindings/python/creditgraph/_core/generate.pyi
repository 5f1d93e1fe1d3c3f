from __future__ import annotations
import collections.abc
import typing
__all__: list[str] = ['generate', 'source_ids']
def generate(scale: typing.SupportsFloat | typing.SupportsIndex, seed: typing.SupportsInt | typing.SupportsIndex, out: str, threads: typing.SupportsInt | typing.SupportsIndex = 0, as_of: str = '2026-06-30', noise: collections.abc.Mapping[str, typing.SupportsFloat | typing.SupportsIndex] = {}, progress: collections.abc.Callable | None = None) -> dict:
    """
    Writes a synthetic province data set (catalog.md) to `out`; returns counts. progress(fraction, stage) is called now and then.
    """
def source_ids() -> list[str]:
    """
    The ids of the sources the generator writes.
    """
