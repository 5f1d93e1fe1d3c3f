"""``creditgraph path --db DB KEY1 KEY2``: how is one entity tied to another (a shortest path)."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("path", help="a shortest chain of relations between two entities")
    parser.add_argument("a", help="USCC, ID number or entity id")
    parser.add_argument("b", help="USCC, ID number or entity id")
    parser.add_argument("--db", required=True, help="database folder")
    parser.add_argument("--labels", nargs="*", default=None, help="edge labels to walk (default: all)")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    steps = engine.open(args.db).path(args.a, args.b, labels=args.labels)
    if steps.empty:
        emit(args, [], f"no path between {args.a} and {args.b} within 6 steps")
        return 1
    text = "\n".join(f"{row.src_name} ({row.src}) -{row.label}-> {row.dst_name} ({row.dst})"
                     for row in steps.itertuples())
    emit(args, steps, text)
    return 0
