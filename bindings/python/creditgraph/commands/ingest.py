"""``creditgraph ingest DIR --db DB [--json]``: read a data set into a database."""
from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest", help="read a data set (catalog.yaml + sources) into a database",
        description="Reads every source of the data set folder DIR into the database DB. "
                    "Rows that cannot be used are quarantined (creditgraph export --db DB "
                    "quarantine). The run commits atomically.")
    parser.add_argument("dataset", metavar="DIR", help="data set folder with catalog.yaml")
    parser.add_argument("--db", required=True, metavar="DB", help="database folder")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..ingest import ingest

    frame = ingest(args.dataset, args.db, progress=False)
    report = frame.attrs.get("report", {})
    if args.json:
        print(json.dumps({
            "dataset": report.get("dataset"),
            "db": args.db,
            "run": report.get("run"),
            "read": report.get("read"),
            "loaded": report.get("loaded"),
            "quarantined": report.get("quarantined"),
            "seconds": report.get("seconds"),
            "refused_columns": [list(pair) for pair in report.get("refused_columns", [])],
            "sources": json.loads(frame.to_json(orient="records", force_ascii=False)),
        }, ensure_ascii=False, indent=2))
    elif not args.quiet:
        print(report.get("text", frame.to_string(index=False)), end="")
        seconds = report.get("seconds") or 0.0
        rate = (report.get("read") or 0) / seconds if seconds > 0 else 0.0
        print(f"{report.get('read')} records in {seconds:.2f} s ({rate:,.0f} records/s); "
              f"loaded + quarantined = read for every source; run {report.get('run')}")
    return 0
