"""CreditGraph: credit graph and entity-resolution engine for public credit information platforms.

The C++ engine lives in the private extension ``creditgraph._core``; this package re-exports it
with pandas in and out. See the README for the two set-up commands and docs/ for the design.
"""
from __future__ import annotations

import os as _os

from . import _core
from .engine import Engine, build, open
from .errors import CreditGraphError, InputError, NotFoundError, StorageError

__version__ = "0.1.0"


def set_threads(threads: int) -> int:
    """Caps the engine's worker threads (0: all cores); returns the cap in force.

    The environment variable ``CREDITGRAPH_THREADS`` sets it when the package is imported.
    """
    return _core.set_threads(int(threads))


if _os.environ.get("CREDITGRAPH_THREADS"):
    try:
        set_threads(int(_os.environ["CREDITGRAPH_THREADS"]))
    except ValueError as error:
        raise ValueError(f"CREDITGRAPH_THREADS={_os.environ['CREDITGRAPH_THREADS']!r} is not a thread count "
                         "(0 for all cores, or a positive number)") from error

__all__ = [
    "CreditGraphError", "Engine", "InputError", "NotFoundError", "StorageError", "__version__",
    "_core", "build", "open", "set_threads",
]
