from __future__ import annotations
import collections.abc
import typing
__all__: list[str] = ['Engine', 'parse_model']
class Engine:
    """
    A scored data set (batch result, explanations, draws).
    """
    def __init__(self, model_yaml: str, as_of: str, max_years: typing.SupportsInt | typing.SupportsIndex, escalations: collections.abc.Sequence[tuple[str, str, str]], entity_ids: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], entities: collections.abc.Mapping[str, collections.abc.Sequence[str]], entity_days: collections.abc.Mapping[str, collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]], fact_ids: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], facts: collections.abc.Mapping[str, collections.abc.Sequence[str]], fact_days: collections.abc.Mapping[str, collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex]], edge_src: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], edge_dst: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], edge_label: collections.abc.Sequence[str], restriction_ids: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], restriction_effect: collections.abc.Sequence[str], restriction_count: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], lists: collections.abc.Sequence[tuple[str, str, str]] = []) -> None:
        ...
    def as_of(self) -> str:
        ...
    def explain(self, entity: typing.SupportsInt | typing.SupportsIndex) -> dict:
        ...
    def industry(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def inspect(self, seed: typing.SupportsInt | typing.SupportsIndex) -> dict:
        ...
    def region(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def score_all(self) -> None:
        """
        Rescores every organization (batch); the table is replaced.
        """
    def score_one(self, entity: typing.SupportsInt | typing.SupportsIndex) -> tuple[float, str, list[float]]:
        ...
    def table(self) -> dict:
        ...
def parse_model(yaml: str) -> dict:
    """
    Parses and validates a model; raises InputError naming the problem.
    """
