"""Whole-pipeline benchmark: generate a province at --scale, then time every stage of
``creditgraph.build`` (ingest, resolve, graph, propagate, score) and the peak memory, next to
DuckDB loading the same files (read_csv/read_json into tables: the floor of "a pile of SQL").

    PYTHONPATH=bindings/python python3 bench/pipeline_stage.py --scale 0.01 [--runs 3]

Figures are medians over --runs fresh builds; the machine is shared, so the ratio to the peer
measured in the same run is the number to quote.

Stage mode: the stages after resolve (graph, propagate, score, then score once more), each timed
alone on a copy of an already resolved database (built once with `creditgraph ingest` +
`creditgraph resolve`), wall and CPU seconds (user + system of this process), median over
--runs; "cold" runs every stage in a fresh Engine (as separate CLI commands would), "warm" in
one Engine (as `creditgraph build`). The first score reads the fact columns that graph and
propagate saved and derives the rest; "score again" (e.g. another model or --as-of) reads only
columns (docs/pipeline.md):

    PYTHONPATH=bindings/python python3 bench/pipeline_stage.py --resolved-db DB [--runs 3]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml


def duckdb_load(dataset: Path) -> float:
    import duckdb

    catalog = yaml.safe_load((dataset / "catalog.yaml").read_text(encoding="utf-8"))
    started = time.perf_counter()
    con = duckdb.connect()
    for source in catalog["sources"]:
        path = dataset / source["path"]
        fmt = source.get("format") or path.suffix.lstrip(".")
        encoding = source.get("encoding", "utf-8")
        if fmt == "jsonl":
            con.execute(f"CREATE TABLE {source['id']} AS SELECT * FROM read_json_auto('{path}', format='newline_delimited')")
        elif fmt == "csv" and encoding.lower() == "utf-8":
            con.execute(f"CREATE TABLE {source['id']} AS SELECT * FROM read_csv('{path}', all_varchar=true, header=true)")
        else:  # DuckDB reads UTF-8 only: decode GB18030 in Python first, as a user would
            text = path.read_bytes().decode("gb18030")
            tmp = path.with_suffix(".utf8.csv")
            tmp.write_text(text, encoding="utf-8")
            con.execute(f"CREATE TABLE {source['id']} AS SELECT * FROM read_csv('{tmp}', all_varchar=true, header=true)")
            tmp.unlink()
    con.close()
    return time.perf_counter() - started


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stages_on(resolved: Path, runs: int, scratch: Path | None) -> None:
    """Times graph, propagate and score on copies of a resolved database."""
    import os

    import creditgraph as cg

    work = Path(tempfile.mkdtemp(prefix="cg-stages-", dir=scratch))
    figures: dict[str, dict[str, list[float]]] = {}
    try:
        for run in range(runs):
            for mode in ("cold", "warm"):
                db = work / f"{mode}{run}.db"
                shutil.copytree(resolved, db)
                eng = cg.open(db, progress=False) if mode == "warm" else None
                for stage, call in (("graph", "build_graph"), ("propagate", "propagate"),
                                    ("score", "score"), ("score again", "score")):
                    one = eng if mode == "warm" else cg.open(db, progress=False)
                    wall, cpu = time.perf_counter(), _cpu()
                    report = getattr(one, call)()
                    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
                    row = figures.setdefault(f"{stage} ({mode})", {"wall": [], "cpu": [], "engine": []})
                    row["wall"].append(wall)
                    row["cpu"].append(cpu)
                    row["engine"].append(report["seconds"])
                    if run == 0 and mode == "cold":
                        print(f"  {stage}: {dict(list(report['figures'].items())[:4])}")
                        phases = report.get("phases") or {}
                        if phases:
                            print("    phases: " + ", ".join(
                                f"{name} {seconds:.2f}" for name, seconds in dict(phases).items()))
                shutil.rmtree(db)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'stage':<20}{'wall s':>9}{'cpu s':>9}{'engine s':>10}   (median of {runs})")
    for name, row in figures.items():
        print(f"{name:<20}{statistics.median(row['wall']):>9.2f}{statistics.median(row['cpu']):>9.2f}"
              f"{statistics.median(row['engine']):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--resolved-db", type=Path,
                        help="stage mode: time graph, propagate and score on copies of this database")
    parser.add_argument("--scratch", type=Path, help="folder for the copies (default: the system's)")
    args = parser.parse_args()
    if args.resolved_db:
        stages_on(args.resolved_db, args.runs, args.scratch)
        return

    import creditgraph as cg
    from creditgraph.generate import generate

    work = Path(tempfile.mkdtemp(prefix="cg-pipeline-"))
    dataset = work / "data"
    started = time.perf_counter()
    generate(args.scale, args.seed, str(dataset), progress=False)
    print(f"generate SF={args.scale}: {time.perf_counter() - started:.2f} s")

    stages: dict[str, list[float]] = {}
    peer: list[float] = []
    for run in range(args.runs):
        db = work / f"run{run}.db"
        started = time.perf_counter()
        eng = cg.build(dataset, db, progress=False)
        stages.setdefault("total", []).append(time.perf_counter() - started)
        for stage, seconds in eng.timings.items():
            stages.setdefault(stage, []).append(seconds)
        records = eng.summary()["records"].get("records", 0)
        shutil.rmtree(db)
        peer.append(duckdb_load(dataset))

    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"records: {records:,}   peak RSS of this process: {peak_gb:.2f} GB")
    print(f"{'stage':<12}{'median s':>10}{'records/s':>14}")
    for stage, values in stages.items():
        median = statistics.median(values)
        print(f"{stage:<12}{median:>10.3f}{records / median:>14,.0f}")
    ingest = statistics.median(stages["ingest"])
    duck = statistics.median(peer)
    print(f"peer: DuckDB loading the same files into tables: {duck:.3f} s "
          f"-> CreditGraph ingest (validated, quarantined, stored) / DuckDB load = {ingest / duck:.2f}x the time")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
