"""``creditgraph explain-link --db DB A B``: why two mentions are, or are not, one entity."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "explain-link", help="explain the link between two mentions (source/rid/role)",
        description="Prints the shared key or the hard constraint, and every comparison with "
                    "its level and match weight.")
    parser.add_argument("--db", required=True, help="database folder written by `creditgraph ingest`")
    parser.add_argument("a", help="first mention, e.g. amr_registry/R000000001/subject")
    parser.add_argument("b", help="second mention")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..resolve import resolve

    explanation = resolve(db=args.db).explain_link(args.a, args.b)
    emit(args, explanation, explanation["text"].rstrip("\n"))
    return 0
