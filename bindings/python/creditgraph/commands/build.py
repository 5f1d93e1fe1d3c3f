"""``creditgraph build DIR --db DB``: every stage on a data set, then the summary."""
from __future__ import annotations

from ._common import add_json_flag, emit, format_summary


def register(sub) -> None:
    parser = sub.add_parser("build", help="ingest, resolve, build the graph, propagate and score a data set")
    parser.add_argument("dataset", help="data set folder with catalog.yaml (catalog.md)")
    parser.add_argument("--db", required=True, help="database folder (created if missing)")
    parser.add_argument("--measures", help="measures catalog YAML (default: the shipped one)")
    parser.add_argument("--model", help="scoring model YAML (default: the shipped one)")
    parser.add_argument("--as-of", dest="as_of", help="score as of this date (default: the data set's)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    eng = engine.build(args.dataset, args.db, measures=args.measures, model=args.model,
                       as_of=args.as_of, progress=not args.quiet)
    summary = eng.summary()
    emit(args, summary, format_summary(summary))
    return 0
