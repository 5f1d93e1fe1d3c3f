"""The ``creditgraph`` command line.

Each sub-command lives in its own module under ``creditgraph.commands`` and exposes
``register(subparsers)``; this file only discovers them, parses, and maps errors to exit codes.
Every command that prints results accepts ``--json``.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands
from .errors import CreditGraphError, InputError, NotFoundError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="creditgraph",
        description="Credit graph and entity-resolution engine (公共信用信息平台).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):  # shared helpers, not commands
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as error:
        print(f"creditgraph: error: {error}", file=sys.stderr)
        return 2
    except NotFoundError as error:
        print(f"creditgraph: not found: {error}", file=sys.stderr)
        return 3
    except CreditGraphError as error:
        print(f"creditgraph: {error}", file=sys.stderr)
        return 1
