"""``creditgraph resolve --db DB``: the entity-resolution stage: every mention of an ingested
database resolved into entities, stored in the database (docs/resolution.md)."""
from __future__ import annotations

import os

from ._common import add_json_flag, emit


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "resolve", help="resolve the mentions of a database into entities (entity resolution)",
        description="Deterministic keys (USCC, organization code, registration number, ID "
                    "number), then Fellegi-Sunter linking with EM-estimated weights, under hard "
                    "constraints. Stores entities and mentions; --out also writes them as CSV.")
    parser.add_argument("--db", required=True, help="database folder written by `creditgraph ingest`")
    parser.add_argument("--match-probability", type=float, default=0.99,
                        help="accept a probabilistic link at or above this probability (0.99)")
    parser.add_argument("--full", action="store_true",
                        help="resolve every record anew instead of resuming from the last resolve's state")
    parser.add_argument("--out", help="folder to write mentions.csv and entities.csv into (ID numbers masked)")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    eng = engine.open(args.db, progress=not args.json)
    report = eng.resolve(args.match_probability, incremental=not args.full)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        eng.mentions().to_csv(os.path.join(args.out, "mentions.csv"), index=False)
        eng.entities().to_csv(os.path.join(args.out, "entities.csv"), index=False)
    f = {k: int(v) for k, v in report["figures"].items()}
    emit(args, report,
         f"{f['mentions']:,} mentions of {f['records']:,} records -> {f['entities']:,} entities "
         f"({f['organizations']:,} organizations, {f['persons']:,} persons); {f['key_links']:,} key links, "
         f"{f['comparisons']:,} comparisons, {f['probabilistic_links']:,} probabilistic links, "
         f"{f['refused_links']:,} refused by constraints; "
         f"{'incremental: ' + format(f['new_mentions'], ',') + ' new mentions' if f.get('incremental') else 'full run'}; "
         f"{report['seconds']:.1f} s")
    return 0
