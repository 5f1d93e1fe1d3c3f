"""``creditgraph propagate --db DB [--measures FILE]``: apply the measures catalog (measures.md) to
the resolved graph in the database and store the restrictions (the `propagate` stage).

``--tables DIR`` runs the same engine on a folder of resolved CSV tables instead (nodes, edges,
lists, penalties, ratings; docs/measures.md), without a database. ``--validate-only`` checks a
catalog and lists its measures.
"""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "propagate", help="apply the measures catalog: who is bound by which measure, and why")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", help="database folder (the engine's propagate stage)")
    source.add_argument("--tables", help="folder of resolved tables (CSV) instead of a database")
    parser.add_argument("--measures", default=None,
                        help="measures catalog YAML (default: the one used last, else the shipped one)")
    parser.add_argument("--as-of", dest="as_of", default=None, help="with --tables: only restrictions active then")
    parser.add_argument("--out", default=None, help="with --tables: write the restrictions as CSV here")
    parser.add_argument("--validate-only", action="store_true",
                        help="only validate the catalog and print its measures")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..errors import InputError
    from ..measures import validate_catalog

    if args.validate_only:
        summary = validate_catalog(args.measures)
        text = "\n".join(f"{m['id']:40s} {m['effect']:7s} {m['domain']:24s} {m['basis']}"
                         for m in summary["measures"])
        emit(args, summary, text)
        return 0
    if args.db:
        from .. import engine

        report = engine.open(args.db, progress=not args.json).propagate(args.measures)
        figures = report["figures"]
        text = "\n".join([f"restrictions: {int(figures['restrictions']):,} from "
                          f"{int(figures['trigger_records']):,} trigger records in {report['seconds']:.2f} s"]
                         + [f"  {k.removeprefix('measure_'):<40} {int(v):>10,}"
                            for k, v in figures.items() if k.startswith("measure_")])
        emit(args, report, text)
        return 0
    if not args.tables:
        raise InputError("give --db DB (a database built by `creditgraph build`) or --tables DIR")
    from ..measures_tables import engine_from_tables

    table = engine_from_tables(args.tables, args.measures).restrictions(args.as_of)
    if args.out:
        table.to_csv(args.out, index=False)
        print(f"wrote {len(table)} restrictions to {args.out}")
        return 0
    emit(args, table)
    return 0
