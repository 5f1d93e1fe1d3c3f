"""
CreditGraph's C++ engine (private; use the creditgraph package)
"""
from __future__ import annotations
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
__all__: list[str] = ['CreditGraphError', 'InputError', 'NotFoundError', 'StorageError', 'date', 'engine', 'generate', 'graph', 'ids', 'ingest', 'measures', 'resolve', 'scoring', 'text']
class CreditGraphError(Exception):
    pass
class InputError(CreditGraphError):
    pass
class NotFoundError(CreditGraphError):
    pass
class StorageError(CreditGraphError):
    pass
