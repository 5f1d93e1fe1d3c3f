"""``creditgraph inspect --db DB --seed N --out FILE.csv``: the random-inspection list (双随机、一公开):
per supervision class, that class's inspection rate of its entities, reproducible from the seed."""
from __future__ import annotations

from ._common import add_json_flag, emit


def register(sub) -> None:
    parser = sub.add_parser("inspect", help="draw the random-inspection list from the scores")
    parser.add_argument("--db", required=True, help="database folder")
    parser.add_argument("--seed", type=int, required=True, help="seed of the draw (the same seed, the same list)")
    parser.add_argument("--out", help="CSV file for the list")
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine

    picks = engine.open(args.db).inspect(args.seed)
    if args.out:
        picks.to_csv(args.out, index=False)
    counts = picks.groupby("class").size().to_dict()
    emit(args, picks if not args.out else {"out": args.out, "per_class": counts},
         "\n".join([f"{len(picks):,} entities drawn (seed {args.seed})" + (f" -> {args.out}" if args.out else "")]
                   + [f"  {klass}: {count:,}" for klass, count in counts.items()]))
    return 0
