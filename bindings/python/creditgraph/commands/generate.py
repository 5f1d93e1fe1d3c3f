"""``creditgraph generate --scale SF --seed N --out DIR``: write a synthetic province data set."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate", help="write a synthetic province data set (catalog.md) with ground truth",
        description="Writes a synthetic Shandong-like data set: SF=1 is the whole province, "
                    "SF=0.001 a small town. Same seed and scale give identical files.")
    parser.add_argument("--scale", type=float, default=0.001, help="scale factor (1 = Shandong)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="folder to write the data set into")
    parser.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    parser.add_argument("--as-of", default="2026-06-30", help="the data set's as_of date")
    parser.add_argument("--noise", action="append", default=[], metavar="NAME=RATE",
                        help="override a noise rate, e.g. --noise typo=0.1 (repeatable)")
    parser.add_argument("--no-progress", action="store_true", help="do not show progress")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..errors import InputError
    from ..generate import generate

    noise = {}
    for item in args.noise:
        name, _, value = item.partition("=")
        try:
            noise[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"--noise expects NAME=RATE, e.g. typo=0.05; got {item!r}") from None
    stats = generate(args.scale, args.seed, args.out, threads=args.threads,
                     progress=not args.no_progress and not args.json, as_of=args.as_of,
                     noise=noise)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(f"wrote {args.out}: {stats['market_entities']} market entities, "
              f"{stats['persons']} persons, {stats['records']} records in "
              f"{len(stats['records_per_source'])} sources, {stats['mentions']} mentions, "
              f"{stats['bytes'] / 1e6:.1f} MB in {stats['seconds']:.1f} s")
    return 0
