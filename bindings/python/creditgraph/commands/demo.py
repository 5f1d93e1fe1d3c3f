"""``creditgraph demo``: the whole job on a generated province, end to end, with a summary."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from ._common import add_json_flag, emit, format_summary


def register(sub) -> None:
    parser = sub.add_parser("demo", help="generate a province-like data set and run every stage on it")
    parser.add_argument("--out", default="build/demo", help="folder for the data set and the database")
    parser.add_argument("--scale", type=float, default=0.01,
                        help="scale factor (1 = Shandong, ~14M market entities; default 0.01)")
    parser.add_argument("--seed", type=int, default=42)
    add_json_flag(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from .. import engine
    from ..generate import generate

    out = Path(args.out)
    dataset = out / f"shandong-sf{args.scale:g}-seed{args.seed}"
    db = out / "demo.db"
    started = time.perf_counter()
    if not (dataset / "catalog.yaml").exists():
        generate(args.scale, args.seed, str(dataset), progress=not args.json)
    generate_seconds = time.perf_counter() - started
    if db.exists():
        shutil.rmtree(db)
    eng = engine.build(dataset, db, progress=not args.json)
    summary = eng.summary()
    summary["timings"] = {"generate": round(generate_seconds, 2), **summary["timings"]}
    summary["dataset"] = str(dataset)
    summary["db"] = str(db)
    quarantined = eng.quarantine()
    summary["quarantined"] = int(len(quarantined))
    text = format_summary(summary) + (
        f"\nquarantined records: {len(quarantined):,} (creditgraph export --db {db} quarantine --out q.csv)"
        f"\ndata set: {dataset}\ndatabase: {db}")
    emit(args, summary, text)
    return 0
