"""``creditgraph build-graph --db DB``: the related-party graph stage alone."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("build-graph", help="build the related-party graph from resolved entities")
    parser.add_argument("--db", required=True, help="database folder")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    report = engine.open(args.db, progress=not args.json).build_graph()
    emit(args, report)
    return 0
