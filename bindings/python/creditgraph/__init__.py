"""CreditGraph: credit graph and entity-resolution engine for public credit information platforms.

The C++ engine lives in the private extension ``creditgraph._core``; this package re-exports it
with pandas in and out. See the README for the two set-up commands and docs/ for the design.
"""
from __future__ import annotations

from . import _core
from .engine import Engine, build, open
from .errors import CreditGraphError, InputError, NotFoundError, StorageError

__version__ = "0.1.0"

__all__ = [
    "CreditGraphError", "Engine", "InputError", "NotFoundError", "StorageError", "__version__",
    "_core", "build", "open",
]
