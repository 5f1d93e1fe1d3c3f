"""Ingest throughput and peak memory: CreditGraph vs DuckDB ``read_csv`` on the same CSV files.

    PYTHONPATH=bindings/python python3 bench/ingest_vs_peers.py --scale 0.01 --runs 3
    PYTHONPATH=bindings/python python3 bench/ingest_vs_peers.py --dataset /work/data/sf0.1 \
        --work /work/scratch/ingest/bench --runs 3
    PYTHONPATH=bindings/python python3 bench/ingest_vs_peers.py --dataset /work/data/sf0.1 \
        --work /work/scratch/ingest/bench --runs 3 --whole

Data: the generator (``creditgraph.generate.generate``) when it is built in, else synthetic CSVs
written here. Both tools read exactly the same files: the data set's UTF-8 CSV sources (a
catalog subset is written beside them). Each measurement runs in a fresh subprocess so that
peak memory (ru_maxrss) is the tool's own. CreditGraph: ``creditgraph.ingest.ingest`` into a
fresh RocksDB folder (parse, validate, quarantine, encode, write, commit). DuckDB: ``CREATE
TABLE … AS SELECT * FROM read_csv(file)`` per source into a fresh database file. Medians of
``--runs`` runs and their ratio are printed.

``--whole``: CreditGraph ingests the whole data set (every source: CSV, JSONL and the
GB18030-encoded ones), DuckDB still reads the UTF-8 CSV part (it has no GB18030 reader); the
records per second of each, and an extrapolation of CreditGraph's time to SF=1 (10x SF=0.1).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHONPATH = str(ROOT / "bindings" / "python")

CHILD_OURS = r"""
import json, resource, sys, time
from creditgraph import ingest
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
cpu_before = usage()
t = time.perf_counter()
frame = ingest.ingest(sys.argv[1], sys.argv[2], progress=False)
seconds = time.perf_counter() - t
cpu_after = usage()
print(json.dumps({"seconds": seconds, "records": int(frame["read"].sum()),
                  "quarantined": int(frame["quarantined"].sum()),
                  "cpu": cpu_after - cpu_before,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_DUCKDB = r"""
import json, resource, sys, time
import duckdb
files = json.loads(sys.argv[2])
usage = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
cpu_before = usage()
t = time.perf_counter()
con = duckdb.connect(sys.argv[1])
con.execute("SET threads TO 2")
rows = 0
for index, path in enumerate(files):
    con.execute(f"CREATE TABLE t{index} AS SELECT * FROM read_csv('{path}', header=true, all_varchar=true)")
    rows += con.execute(f"SELECT count(*) FROM t{index}").fetchone()[0]
con.close()
seconds = time.perf_counter() - t
cpu_after = usage()
print(json.dumps({"seconds": seconds, "records": rows, "cpu": cpu_after - cpu_before,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def synthetic(folder: Path, rows: int, seed: int) -> None:
    """Fallback data: a registry and a list source with Chinese names and quoted fields."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    (folder / "catalog.yaml").write_text(
        "name: synthetic\nas_of: 2026-06-30\nsources:\n"
        "  - id: registry\n    kind: registry\n    path: registry.csv\n"
        "  - id: lists\n    kind: list\n    path: lists.csv\n", encoding="utf-8")
    with open(folder / "registry.csv", "w", encoding="utf-8") as out:
        out.write("rid,subject_name,subject_region,status,est_date,reg_capital,industry\n")
        for index in range(rows):
            out.write(f"r{index},\"山东测试{index}有限公司\",3701{rng.randint(10, 99)},存续,"
                      f"20{rng.randint(0, 23):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},"
                      f"{rng.randint(1, 10000)},C{rng.randint(10, 99)}\n")
    with open(folder / "lists.csv", "w", encoding="utf-8") as out:
        out.write("rid,subject_name,list,listed_on,disputed\n")
        for index in range(rows // 4):
            out.write(f"l{index},\"山东测试{index}有限公司\",court_dishonest_debtor,"
                      f"2024/{rng.randint(1, 12)}/{rng.randint(1, 28)},否\n")


def csv_subset(dataset: Path, target: Path) -> list[Path]:
    """Writes target/catalog.yaml with the UTF-8 CSV sources of `dataset` (files symlinked)."""
    import yaml

    catalog = yaml.safe_load((dataset / "catalog.yaml").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    kept, files = [], []
    for source in catalog["sources"]:
        path = dataset / source["path"]
        fmt = source.get("format") or path.suffix.lstrip(".")
        if fmt != "csv" or str(source.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
            continue
        link = target / Path(source["path"]).name
        if not link.exists():
            link.symlink_to(path.resolve())
        kept.append({**source, "path": link.name})
        files.append(link.resolve())
    catalog["sources"] = kept
    (target / "catalog.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True),
                                         encoding="utf-8")
    return files


def run_child(code: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": PYTHONPATH})
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="generator scale factor")
    parser.add_argument("--rows", type=int, default=400000, help="synthetic rows (fallback)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default=None, help="work folder (default: a temp folder)")
    parser.add_argument("--dataset", default=None,
                        help="an existing data set folder (catalog.yaml) to read instead of "
                             "generating one, e.g. /work/data/sf0.01")
    parser.add_argument("--whole", action="store_true",
                        help="CreditGraph ingests every source of the data set (JSONL and "
                             "GB18030 too); DuckDB reads the UTF-8 CSV part")
    args = parser.parse_args()

    work = Path(args.work or tempfile.mkdtemp(prefix="cg_ingest_bench_"))
    dataset = Path(args.dataset) if args.dataset else work / "dataset"
    source = f"existing data set {dataset}"
    if not (dataset / "catalog.yaml").exists():
        try:
            sys.path.insert(0, PYTHONPATH)
            from creditgraph.generate import generate  # type: ignore
            generate(args.scale, args.seed, dataset, progress=False)
            source = f"generator SF={args.scale}"
        except (ImportError, AttributeError):
            synthetic(dataset, args.rows, args.seed)
            source = f"synthetic, {args.rows} registry rows"
    subset = work / "csv_only"
    files = csv_subset(dataset, subset)
    size_mb = sum(path.stat().st_size for path in files) / 1e6

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ours, duck = [], []
    for run in range(args.runs):
        db = work / f"cg_db_{run}"
        shutil.rmtree(db, ignore_errors=True)
        ours.append(run_child(CHILD_OURS, str(dataset if args.whole else subset), str(db)))
        shutil.rmtree(db, ignore_errors=True)
        duck_db = work / f"duck_{run}.duckdb"
        duck_db.unlink(missing_ok=True)
        duck.append(run_child(CHILD_DUCKDB, str(duck_db), json.dumps([str(f) for f in files])))
        duck_db.unlink(missing_ok=True)

    def summary(results: list[dict]) -> tuple[float, float, float, int, float]:
        seconds = statistics.median(r["seconds"] for r in results)
        records = results[0]["records"]
        return (seconds, records / seconds, statistics.median(r["peak_mb"] for r in results),
                records, statistics.median(r["cpu"] for r in results))

    our_s, our_rate, our_mem, our_records, our_cpu = summary(ours)
    duck_s, duck_rate, duck_mem, duck_records, duck_cpu = summary(duck)
    print(f"data: {source}, {len(files)} CSV sources, {size_mb:.1f} MB, cores: {os.cpu_count()}, "
          f"runs: {args.runs} (medians)")
    if args.whole:
        whole_mb = sum(path.stat().st_size for path in dataset.iterdir()
                       if path.suffix in (".csv", ".jsonl")) / 1e6
        print(f"--whole: CreditGraph ingests every source ({whole_mb:.1f} MB: CSV, JSONL, "
              f"GB18030), DuckDB the {len(files)} UTF-8 CSV sources")
    print(f"{'tool':<34} {'records':>10} {'seconds':>8} {'records/s':>12} {'peak MB':>8}"
          f" {'CPU s':>7}")
    print(f"{'CreditGraph ingest (RocksDB)':<34} {our_records:>10} {our_s:>8.2f} {our_rate:>12,.0f}"
          f" {our_mem:>8.0f} {our_cpu:>7.2f}")
    print(f"{'DuckDB read_csv -> tables':<34} {duck_records:>10} {duck_s:>8.2f} {duck_rate:>12,.0f}"
          f" {duck_mem:>8.0f} {duck_cpu:>7.2f}")
    try:
        load = os.getloadavg()[0]
        print(f"load average (1 min) before / after the runs: {load_before:.1f} / {load:.1f} on "
              f"{os.cpu_count()} cores")
    except OSError:
        pass
    print(f"cores busy (CPU s / wall s): CreditGraph {our_cpu / our_s:.2f}, DuckDB "
          f"{duck_cpu / duck_s:.2f}")
    print(f"CPU per record: CreditGraph {our_cpu / our_records * 1e6:.2f} us, DuckDB "
          f"{duck_cpu / duck_records * 1e6:.2f} us (2 idle cores bound: CreditGraph "
          f"{2 * our_records / our_cpu:,.0f} records/s)")
    print(f"ratio CreditGraph/DuckDB records/s: {our_rate / duck_rate:.2f}  "
          f"(quarantined by CreditGraph: {ours[0]['quarantined']})")
    if args.whole:
        # The generator's SF=1 is 10x SF=0.1 in records; ingest time grows about linearly.
        print(f"whole data set: {our_records:,} records in {our_s:.2f} s = {our_rate:,.0f} "
              f"records/s; at this rate 78 M records (SF=1) take {78e6 / our_rate:.0f} s "
              f"(target 120 s)")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
