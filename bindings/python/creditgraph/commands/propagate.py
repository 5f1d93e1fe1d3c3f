"""``creditgraph propagate --tables DIR [--measures FILE] [--as-of DATE]``: apply the measures
catalog (measures.md) to a resolved graph and its triggers; print or write the restrictions."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "propagate", help="apply the measures catalog: who is bound by which measure, and why",
        description="Propagates the joint punishment and reward catalog over the related-party "
                    "graph. Input: a folder with nodes.csv, edges.csv and lists/penalties/"
                    "ratings.csv (see docs/measures.md). The database route (--db) is fed "
                    "by the engine stage.")
    parser.add_argument("--tables", required=True, help="folder of resolved tables (CSV)")
    parser.add_argument("--measures", default=None,
                        help="measures catalog YAML (default: datasets/measures/default.yaml)")
    parser.add_argument("--as-of", default=None, help="only restrictions active on this date")
    parser.add_argument("--out", default=None, help="write the restrictions as CSV here")
    parser.add_argument("--validate-only", action="store_true",
                        help="only validate the catalog and print its measures")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..measures import validate_catalog
    from ..measures_tables import engine_from_tables

    if args.validate_only:
        summary = validate_catalog(args.measures)
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            for measure in summary["measures"]:
                print(f"{measure['id']:40s} {measure['effect']:7s} {measure['domain']:24s} "
                      f"{measure['basis']}")
        return 0
    engine = engine_from_tables(args.tables, args.measures)
    table = engine.restrictions(args.as_of)
    if args.out:
        table.to_csv(args.out, index=False)
    if args.json:
        print(table.to_json(orient="records", force_ascii=False))
    elif not args.out:
        print(table.to_string(index=False) if len(table) else "no restrictions")
    else:
        print(f"wrote {len(table)} restrictions to {args.out}")
    return 0
