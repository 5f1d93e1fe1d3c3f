"""``creditgraph evaluate-resolution --db DB --truth DIR/truth``: accuracy of entity resolution."""
from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate-resolution", help="pairwise precision/recall/F1 and B-cubed against truth/",
        description="Resolves the database and scores the mentions against a generator's "
                    "truth/mentions.csv, separately for organizations and persons.")
    parser.add_argument("--db", required=True, help="database folder written by `creditgraph ingest`")
    parser.add_argument("--truth", required=True, help="the data set's truth/ folder")
    parser.add_argument("--match-probability", type=float, default=0.99)
    parser.set_defaults(handler=run)


def run(args) -> int:
    import pandas as pd

    from ..resolve import evaluate, mentions, resolve

    res = resolve(db=args.db, match_probability=args.match_probability)
    table = evaluate(mentions(res), args.truth)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table[["mentions", "precision", "recall", "f1", "bcubed_precision", "bcubed_recall",
                     "bcubed_f1"]].round(5).to_string())
    stats = res.stats
    print(f"comparisons {stats['comparisons']}, entities {stats['entities']}")
    return 0
