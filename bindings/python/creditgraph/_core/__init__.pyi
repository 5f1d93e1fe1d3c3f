"""
CreditGraph's C++ engine (private; use the creditgraph package)
"""
from __future__ import annotations
import typing
from . import date
from . import engine
from . import generate
from . import graph
from . import ids
from . import ingest
from . import measures
from . import resolve
from . import scoring
from . import text
__all__: list[str] = ['CreditGraphError', 'InputError', 'NotFoundError', 'StorageError', 'cores', 'date', 'engine', 'generate', 'graph', 'ids', 'ingest', 'measures', 'resolve', 'scoring', 'set_threads', 'text']
class CreditGraphError(Exception):
    pass
class InputError(CreditGraphError):
    pass
class NotFoundError(CreditGraphError):
    pass
class StorageError(CreditGraphError):
    pass
def cores() -> int:
    """
    The number of threads the engine uses by default.
    """
def set_threads(threads: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    Caps the engine's worker threads at `threads` (0: as many as the machine has); returns the cap in force.
    """
