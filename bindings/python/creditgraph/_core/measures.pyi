from __future__ import annotations
import typing
__all__: list[str] = ['Engine', 'Triggers', 'validate_catalog']
class Triggers:
    """
    Trigger records made by Engine.prepare_triggers.
    """
    @property
    def size(self) -> int:
        ...
class Engine:
    def __init__(self, catalog: str, num_nodes: typing.SupportsInt | typing.SupportsIndex, tails: typing.Any, heads: typing.Any, labels: typing.Any, tags: typing.Any, values: typing.Any, kinds: typing.Any) -> None:
        ...
    def add_edge(self, tail: typing.SupportsInt | typing.SupportsIndex, head: typing.SupportsInt | typing.SupportsIndex, label: str, tag: str = '', value: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> None:
        ...
    def add_list_entry(self, subject: typing.SupportsInt | typing.SupportsIndex, list: str, listed_on: str, removed_on: str = '', disputed: bool = False, source: str = '', rid: str = '') -> None:
        ...
    def add_penalty(self, arg0: typing.SupportsInt | typing.SupportsIndex, arg1: str, arg2: str, arg3: str, arg4: str, arg5: str) -> None:
        ...
    def add_rating(self, arg0: typing.SupportsInt | typing.SupportsIndex, arg1: str, arg2: str, arg3: str, arg4: str, arg5: str) -> None:
        ...
    def check(self, arg0: typing.SupportsInt | typing.SupportsIndex, arg1: str, arg2: str) -> tuple[bool, dict]:
        ...
    def is_bound(self, arg0: typing.SupportsInt | typing.SupportsIndex, arg1: str, arg2: str) -> bool:
        ...
    def key_supervised(self) -> dict:
        ...
    def prepare_triggers(self, lists: dict, penalties: dict, ratings: dict) -> Triggers:
        """
        The trigger records made from the columns (as propagate makes them), kept for propagate_prepared.
        """
    def propagate(self, lists: dict, penalties: dict, ratings: dict) -> None:
        ...
    def propagate_prepared(self, triggers: Triggers) -> None:
        """
        Full propagation from records made by prepare_triggers (copied into the engine).
        """
    def restrictions(self, as_of: str = '') -> dict:
        ...
    def set_disputed(self, arg0: str, arg1: str, arg2: bool) -> None:
        ...
    def set_removed(self, arg0: str, arg1: str, arg2: str) -> None:
        ...
    def table(self, as_of: str = '', entity: typing.SupportsInt | typing.SupportsIndex = -1, names: typing.Any = None) -> dict:
        """
        Restrictions column-wise (all, active at as_of, or of one entity): numpy arrays, dictionary-encoded text (codes, categories), path text.
        """
    def why(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> dict:
        ...
    @property
    def catalog(self) -> dict:
        ...
    @property
    def num_restrictions(self) -> int:
        ...
    @property
    def num_triggers(self) -> int:
        ...
def validate_catalog(arg0: str) -> dict:
    """
    Parses and validates a measures catalog (YAML text); returns a summary or raises InputError naming the measure and the problem.
    """
