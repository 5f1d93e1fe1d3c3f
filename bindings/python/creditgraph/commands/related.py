"""``creditgraph related --db DB KEY [--hops N] [--labels …]``: the related parties of an entity."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("related", help="entities within N steps of an entity in the related-party graph")
    parser.add_argument("key", help="USCC, ID number or entity id")
    parser.add_argument("--db", required=True, help="database folder")
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--labels", nargs="*", default=None,
                        help="edge labels to walk (default: all): legal_rep officer shareholder branch guarantee controller")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    emit(args, engine.open(args.db).related(args.key, hops=args.hops, labels=args.labels))
    return 0
