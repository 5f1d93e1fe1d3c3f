"""``creditgraph export --db DB WHAT --out FILE``: a table of the database as CSV (or JSON lines).

WHAT is one of quarantine, mentions, entities, edges, restrictions, scores. ID numbers are
masked unless ``--unmask`` is given (for authorized matching work only).
"""
from __future__ import annotations

import sys

from ._common import add_json_flag

TABLES = ("quarantine", "mentions", "entities", "edges", "restrictions", "scores")


def register(sub) -> None:
    parser = sub.add_parser("export", help="export a table (" + ", ".join(TABLES) + ") as CSV")
    parser.add_argument("--db", required=True, help="database folder")
    parser.add_argument("what", choices=TABLES)
    parser.add_argument("--out", help="output file (default: standard output)")
    parser.add_argument("--as-of", dest="as_of", help="restrictions: only those binding on this date")
    parser.add_argument("--unmask", action="store_true", help="entities: full ID numbers")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def table(eng, what: str, as_of: str | None = None, unmask: bool = False):
    if what == "quarantine":
        return eng.quarantine()
    if what == "mentions":
        return eng.mentions()
    if what == "entities":
        frame = eng.entities()
        if unmask:
            import pandas as pd

            frame = frame.assign(id_no=pd.DataFrame(eng._core.entities())["id_no"])
        return frame
    if what == "edges":
        return eng.edges()
    if what == "restrictions":
        return eng.restrictions(as_of=as_of)
    return eng.scores()


def run(args) -> int:
    from .. import engine

    frame = table(engine.open(args.db), args.what, args.as_of, args.unmask)
    target = args.out or sys.stdout
    if args.json:
        frame.to_json(target, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_csv(target, index=False)
    if args.out:
        print(f"{len(frame):,} rows -> {args.out}", file=sys.stderr)
    return 0
