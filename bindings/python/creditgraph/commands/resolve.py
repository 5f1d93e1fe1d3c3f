"""``creditgraph resolve --db DB``: resolve every mention of an ingested database into entities."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "resolve", help="resolve the mentions of a database into entities (entity resolution)",
        description="Deterministic keys (USCC, organization code, registration number, ID "
                    "number), then Fellegi-Sunter linking with EM-estimated weights, under hard "
                    "constraints. Prints the counts; --out writes mentions.csv and entities.csv.")
    parser.add_argument("--db", required=True, help="database folder written by `creditgraph ingest`")
    parser.add_argument("--match-probability", type=float, default=0.99,
                        help="accept a probabilistic link at or above this probability (0.99)")
    parser.add_argument("--out", help="folder to write mentions.csv and entities.csv into")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    import os

    from ..resolve import entities, mentions, resolve

    res = resolve(db=args.db, match_probability=args.match_probability)
    stats = res.stats
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        mentions(res).to_csv(os.path.join(args.out, "mentions.csv"), index=False)
        entities(res).drop(columns=["node"]).to_csv(os.path.join(args.out, "entities.csv"), index=False)
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        seconds = stats["seconds_blocking"] + stats["seconds_em"] + stats["seconds_cluster"]
        print(f"{stats['mentions']} mentions of {stats['records']} records -> {stats['entities']} "
              f"entities; {stats['key_links']} key links, {stats['comparisons']} comparisons "
              f"(largest block {stats['largest_block']}), {stats['accepted_links']} probabilistic "
              f"links, {stats['refused_links']} refused by constraints; {seconds:.1f} s")
    return 0
