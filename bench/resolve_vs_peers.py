"""Entity resolution, CreditGraph vs Splink 4 (DuckDB backend), on the same mentions.

    PYTHONPATH=bindings/python python3 bench/resolve_vs_peers.py \
        --dataset /work/data/sf0.01 --work /work/scratch/splink [--runs 3] [--splink-runs 1]

Ingests the data set (or generates one with --scale unless --dataset is given) into a database,
resolves it with CreditGraph (median of --runs; timed twice: from the database, reading and
normalizing the records included, and from the normalized mentions held in memory, which is what
Splink is timed on; blocking keys freed before the comparisons, as the engine's resolve stage
does), then gives Splink the same mention table (the
normalized fields CreditGraph's MentionTable holds: codes, folded name, core name, trade name,
region, birth, phone, address, related name) and scores both against truth/ (pairwise P/R/F1 and
B-cubed per class). Prints both, the comparison counts and the time ratio.

Splink is configured the way its documentation recommends for a deduplication job of this size:

* organizations and persons are two separate Splink models (different fields), run one after the
  other in one process; the Splink time is the sum of both, from the in-memory DataFrame to the
  clusters (training + predict + cluster), training reported separately;
* deterministic codes are pre-linked the Splink way: exact-match blocking rules on each code for
  prediction, with `ExactMatch` comparisons on the codes (a shared code gets a weight of ~+20);
* lambda (probability_two_random_records_match) from those deterministic code rules with an
  assumed recall (`estimate_probability_two_random_records_match`);
* u by random sampling with a bounded `max_pairs` (--u-pairs, default 1e6);
* m by EM on two tight blocking rules per class (one on a code, one on a name);
* tight prediction blocking rules: codes, name + region/birth, phone, related name + name part;
* term-frequency adjustment on exact name levels (CreditGraph adjusts for name frequency too);
* DuckDB with --threads (default 2, the cores CreditGraph gets) and a memory limit.

The Splink side runs in a child process (`--splink-child`) with a wall-time cap (--splink-cap);
each step's time is printed as it completes, so a capped run still says how far it got.
Needs `pip install "splink>=4,<5"` (not part of the default install; Splink 5 changed the Linker API).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import pandas as pd

CLASSES = ("organizations", "persons")


# --------------------------------------------------------------------------- CreditGraph side

def run_creditgraph(db: str, runs: int, probability: float):
    """From the database: reading, decoding and normalizing the records included."""
    from creditgraph import resolve as er
    times, cpu, res = [], [], None
    for _ in range(runs):
        res = None
        started, started_cpu = time.perf_counter(), time.process_time()
        res = er.resolve(db=db, match_probability=probability, incremental=False)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return res, times, cpu


def run_creditgraph_on_mentions(db: str, runs: int, probability: float):
    """From the normalized mentions in memory (a copy of them included): what Splink is timed on."""
    from creditgraph import resolve as er
    mention_set = er.read_mentions(db)
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        res = er.resolve(mentions=mention_set, match_probability=probability, incremental=False)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        del res
    return times, cpu


# --------------------------------------------------------------------------- Splink side

def _frames(fields: pd.DataFrame):
    """Splits the mention table into the organization and person inputs Splink gets: blanks are
    NULL (Splink's null levels), derived region prefixes for the city/province levels."""
    frame = fields.copy()
    frame["unique_id"] = range(len(frame))
    for column in frame.columns:
        # (pandas >= 3 gives "str" columns, not object: test for strings, not for object)
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].mask(frame[column] == "")
    frame["city"] = frame["region"].str.slice(0, 4)
    frame["province"] = frame["region"].str.slice(0, 2)
    org = frame[frame["class"] == "organization"][
        ["unique_id", "uscc", "org_code", "reg_no", "name", "core", "trade", "region", "city",
         "province", "address", "phone", "rel_name"]].reset_index(drop=True)
    person = frame[frame["class"] == "person"][
        ["unique_id", "id_no", "core", "trade", "birth", "region", "city", "province", "address",
         "phone", "rel_name"]].reset_index(drop=True)
    person = person.rename(columns={"core": "name", "trade": "surname", "rel_name": "tied_org"})
    return org, person


def _region_comparison(cl, cll):
    return cl.CustomComparison(
        output_column_name="region",
        comparison_levels=[
            cll.NullLevel("region"),
            cll.ExactMatchLevel("region"),
            cll.ExactMatchLevel("city"),
            cll.ExactMatchLevel("province"),
            cll.ElseLevel(),
        ])


def _org_model(cl, cll, block_on):
    comparisons = [
        cl.ExactMatch("uscc"), cl.ExactMatch("org_code"), cl.ExactMatch("reg_no"),
        cl.CustomComparison(
            output_column_name="name",
            comparison_levels=[
                cll.NullLevel("core"),
                cll.ExactMatchLevel("name", term_frequency_adjustments=True),
                cll.ExactMatchLevel("core", term_frequency_adjustments=True),
                cll.JaroWinklerLevel("core", 0.92),
                cll.ExactMatchLevel("trade"),
                cll.JaroWinklerLevel("core", 0.8),
                cll.ElseLevel(),
            ]),
        _region_comparison(cl, cll),
        cl.JaroWinklerAtThresholds("address", [0.9]),
        cl.ExactMatch("phone"),
        cl.ExactMatch("rel_name"),
    ]
    deterministic = [block_on("uscc"), block_on("org_code"), block_on("reg_no")]
    prediction = deterministic + [block_on("name"), block_on("core", "city"), block_on("phone"),
                                  block_on("rel_name", "trade")]
    # EM: one code rule (trains the name, region, address, phone and legal-rep levels), one name
    # rule (trains the code levels).
    em = [block_on("uscc"), block_on("core", "city")]
    return comparisons, deterministic, prediction, em


def _person_model(cl, cll, block_on):
    comparisons = [
        cl.ExactMatch("id_no"),
        cl.CustomComparison(
            output_column_name="name",
            comparison_levels=[
                cll.NullLevel("name"),
                cll.ExactMatchLevel("name", term_frequency_adjustments=True),
                cll.DamerauLevenshteinLevel("name", 1),
                cll.ExactMatchLevel("surname"),
                cll.ElseLevel(),
            ]),
        cl.CustomComparison(
            output_column_name="birth",
            comparison_levels=[
                cll.NullLevel("birth"),
                cll.ExactMatchLevel("birth"),
                cll.DamerauLevenshteinLevel("birth", 1),
                cll.ElseLevel(),
            ]),
        _region_comparison(cl, cll),
        cl.ExactMatch("tied_org"),
        cl.ExactMatch("phone"),
        cl.JaroWinklerAtThresholds("address", [0.9]),
    ]
    deterministic = [block_on("id_no")]
    prediction = deterministic + [block_on("name", "birth"), block_on("name", "city"),
                                  block_on("birth", "region"), block_on("name", "tied_org"),
                                  block_on("phone")]
    em = [block_on("id_no"), block_on("name", "birth")]
    return comparisons, deterministic, prediction, em


def run_splink_class(frame: pd.DataFrame, model, probability: float, floor: float, recall: float,
                     u_pairs: float, threads: int, memory: str, temp: str, log, predictions_out):
    """One Splink model, start to clusters at `probability` (pairs scored at >= `floor` are kept
    for the threshold sweep, written to `predictions_out` after the clock stops).
    Returns (clusters, timings)."""
    import duckdb
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    comparisons, deterministic, prediction, em = model(cl, cll, block_on)
    steps = {}
    started = last = time.perf_counter()
    started_cpu = time.process_time()

    def step(name):
        nonlocal last
        now = time.perf_counter()
        steps[name] = now - last
        last = now
        log(f"  {name}: {steps[name]:.1f} s")

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET memory_limit = '{memory}'")
    con.execute(f"SET temp_directory = '{temp}'")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=prediction,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        max_iterations=20,
        em_convergence=1e-4,
    )
    linker = Linker(frame, settings, db_api=DuckDBAPI(connection=con))
    step("register")
    # The rule counter's pre-check counts NULL keys as one block; the real join skips them, so the
    # limit only needs to be out of the way.
    linker.training.estimate_probability_two_random_records_match(
        deterministic, recall=recall, max_rows_limit=int(1e13))
    step("lambda")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    step("u")
    for rule in em:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    step("em")
    training = time.perf_counter() - started
    predictions = linker.inference.predict(threshold_match_probability=floor)
    step("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, probability)
    result = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    step("cluster")
    total = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    links = con.execute(f"SELECT count(*) FROM {predictions.physical_name} "
                        f"WHERE match_probability >= {probability}").fetchall()[0][0]
    con.execute(f"COPY (SELECT unique_id_l, unique_id_r, match_probability FROM "
                f"{predictions.physical_name}) TO '{predictions_out}' (FORMAT parquet)")
    con.close()
    return result, {"training": training, "total": total, "cpu": cpu, "links": links, **steps}


def count_splink_comparisons(frame: pd.DataFrame, model) -> int:
    """Candidate pairs Splink scores (the union of the prediction blocking rules). Not timed."""
    import duckdb
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, block_on
    from splink.blocking_analysis import \
        cumulative_comparisons_to_be_scored_from_blocking_rules_data

    _, _, prediction, _ = model(cl, cll, block_on)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    data = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
        table_or_tables=frame, blocking_rules=prediction, link_type="dedupe_only",
        db_api=DuckDBAPI(connection=con), max_rows_limit=int(1e13))
    con.close()
    return int(data["cumulative_rows"].iloc[-1])


def splink_child(args) -> int:
    """Runs both Splink models on the fields parquet; writes clusters and timings."""
    def log(text):
        print(text, file=sys.stderr, flush=True)

    fields = pd.read_parquet(args.splink_child)
    org, person = _frames(fields)
    out = pathlib.Path(args.splink_child).with_suffix("")
    temp = str(out) + "_duckdb_tmp"
    os.makedirs(temp, exist_ok=True)
    clusters, timings = [], {}
    for label, frame, model in (("organizations", org, _org_model),
                                ("persons", person, _person_model)):
        log(f"Splink {label} ({len(frame)} mentions)")
        result, info = run_splink_class(frame, model, args.probability, args.predict_floor,
                                        args.recall, args.u_pairs, args.threads, args.memory,
                                        temp, log, f"{out}_predictions_{label}.parquet")
        # cluster ids of the two models must not collide
        result["cluster_id"] = label[0] + result["cluster_id"].astype(str)
        clusters.append(result)
        timings[label] = info
        (out.parent / (out.name + "_timings.json")).write_text(json.dumps(timings))
    pd.concat(clusters).to_parquet(str(out) + "_clusters.parquet")
    if args.count_comparisons:
        for label, frame, model in (("organizations", org, _org_model),
                                    ("persons", person, _person_model)):
            timings[label]["comparisons"] = count_splink_comparisons(frame, model)
    (out.parent / (out.name + "_timings.json")).write_text(json.dumps(timings))
    return 0


FIELDS = ("source", "rid", "role", "class", "uscc", "org_code", "reg_no", "id_no", "name", "core",
          "trade", "region", "birth", "phone", "address", "rel_name", "weak_codes")


def write_handover(resolution, work: pathlib.Path) -> pd.DataFrame:
    """Writes the mention fields Splink is given (once, for every run) and returns the mentions'
    (source, rid, role) in the same order. The table is taken a column at a time into Arrow
    strings (as Python objects the whole table takes some 10 GB at SF=0.1), and the parent keeps
    only the keys while CreditGraph runs again and Splink's child runs."""
    columns = {}
    for field in FIELDS:
        columns[field] = pd.array(resolution._core.mention_column(field), dtype="str")
    fields = pd.DataFrame(columns)
    del columns
    fields.to_parquet(str(work / "splink_fields") + ".parquet")
    return fields[["source", "rid", "role"]].copy()


def run_splink(keys: pd.DataFrame, args, work: pathlib.Path, count: bool):
    """One Splink run in a child process under the wall-time cap, on the fields write_handover
    wrote; `keys` is its (source, rid, role). Returns (mentions or None, timings dict, wall
    seconds, finished?)."""
    stem = work / "splink_fields"
    for suffix in ("_clusters.parquet", "_timings.json"):
        pathlib.Path(str(stem) + suffix).unlink(missing_ok=True)
    command = [sys.executable, os.path.abspath(__file__), "--splink-child", str(stem) + ".parquet",
               "--probability", str(args.probability), "--recall", str(args.recall),
               "--u-pairs", str(args.u_pairs), "--threads", str(args.threads),
               "--memory", args.memory, "--predict-floor", str(args.predict_floor)]
    if count:
        command.append("--count-comparisons")
    started = time.perf_counter()
    child = subprocess.Popen(command)
    finished = True
    try:
        child.wait(timeout=args.splink_cap)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        finished = False
    wall = time.perf_counter() - started
    timings_path = pathlib.Path(str(stem) + "_timings.json")
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    clusters_path = pathlib.Path(str(stem) + "_clusters.parquet")
    if not finished:
        timings["outcome"] = f"not finished within the {args.splink_cap:.0f} s cap"
        return None, timings, wall, False
    if child.returncode != 0 or not clusters_path.exists():
        killed = child.returncode is not None and child.returncode < 0
        timings["outcome"] = (f"killed by signal {-child.returncode} after {wall:.0f} s"
                              + (" (9: the kernel's out-of-memory killer, most likely)"
                                 if child.returncode == -9 else "") if killed
                              else f"exited with status {child.returncode} after {wall:.0f} s")
        return None, timings, wall, False
    clusters = pd.read_parquet(clusters_path).sort_values("unique_id")
    if len(clusters) != len(keys):
        raise RuntimeError(f"Splink returned {len(clusters)} rows for {len(keys)} mentions")
    out = keys.copy()
    out["entity_id"] = clusters["cluster_id"].to_numpy()
    return out, timings, wall, True


# --------------------------------------------------------------------------- main

def sweep_splink(keys, stem, args, dataset, er, cg_scores):
    """Splink's pairwise F1 per class when its pairs are clustered (connected components, as
    Splink's own clustering does) at other thresholds: the best Splink could do with a threshold
    chosen knowing the truth. Not timed."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pairs = pd.concat([pd.read_parquet(f"{stem}_predictions_{label}.parquet") for label in CLASSES])
    n = len(keys)
    best = {}
    print("Splink threshold sweep (same predictions, clusters = connected components):")
    for threshold in sorted({args.predict_floor, 0.3, 0.5, 0.7, 0.9, 0.95, args.probability,
                             0.999, 0.9999}):
        if threshold < args.predict_floor:
            continue
        kept = pairs[pairs["match_probability"] >= threshold]
        graph = coo_matrix((np.ones(len(kept)), (kept["unique_id_l"].to_numpy(),
                                                  kept["unique_id_r"].to_numpy())), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        mentions = keys.copy()
        mentions["entity_id"] = labels.astype(str)
        scores = er.evaluate(mentions, dataset / "truth")
        print(f"  >= {threshold:<7} " + "  ".join(
            f"{label} P {scores.loc[label, 'precision']:.5f} R {scores.loc[label, 'recall']:.5f} "
            f"F1 {scores.loc[label, 'f1']:.5f}" for label in CLASSES), flush=True)
        for label in CLASSES:
            if scores.loc[label, "f1"] > best.get(label, (0, 0))[1]:
                best[label] = (threshold, scores.loc[label, "f1"])
    print("Splink's best F1 per class over the sweep vs CreditGraph at its default: " + ", ".join(
        f"{label} {best[label][1]:.5f} (at {best[label][0]}) vs {cg_scores.loc[label, 'f1']:.5f}"
        for label in CLASSES))


def _return_freed_memory():
    """Gives the heap CreditGraph's runs freed back to the system (glibc keeps it otherwise: the
    parent stayed at 4.5 GB at SF=0.1 while Splink's child ran out of memory)."""
    import ctypes
    import gc
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _remove_handover(work: pathlib.Path):
    """The parent/child hand-over files hold ID numbers in clear: never leave them behind."""
    import shutil
    for path in work.glob("splink_fields*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _print_scores(scores):
    for label in CLASSES:
        row = scores.loc[label]
        print(f"  {label:13s} P {row.precision:.5f} R {row.recall:.5f} F1 {row.f1:.5f}  "
              f"B3 F1 {row.bcubed_f1:.5f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dataset", help="an existing data set folder (skips generation)")
    parser.add_argument("--work", help="folder for the data set and database (default: a temp dir)")
    parser.add_argument("--runs", type=int, default=3, help="CreditGraph runs (median)")
    parser.add_argument("--splink-runs", type=int, default=1, help="Splink runs (median)")
    parser.add_argument("--splink-cap", type=float, default=3600,
                        help="wall-time cap of one Splink run in seconds (default 3600)")
    parser.add_argument("--probability", type=float, default=0.99)
    parser.add_argument("--recall", type=float, default=0.8,
                        help="Splink: assumed recall of the deterministic code rules (lambda)")
    parser.add_argument("--u-pairs", type=float, default=1e6,
                        help="Splink: max_pairs for u (default 1e6: 5e6 gave the same F1 at SF=0.01 "
                             "and cost Splink ~100 s more, so the faster setting is the fair one)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument("--memory", default="6GB", help="DuckDB memory limit")
    parser.add_argument("--predict-floor", type=float, default=0.1,
                        help="Splink: predict() keeps pairs at or above this probability (for the "
                             "threshold sweep); clusters are made at --probability")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--splink-child", help=argparse.SUPPRESS)
    parser.add_argument("--count-comparisons", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.splink_child:
        return splink_child(args)

    from creditgraph import _core
    from creditgraph import resolve as er

    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="cg_er_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    dataset = pathlib.Path(args.dataset) if args.dataset else work / f"sf{args.scale}"
    if not args.dataset and not (dataset / "catalog.yaml").exists():
        from creditgraph.generate import generate
        generate(args.scale, args.seed, dataset, progress=False)
    db = work / f"{dataset.name}.db"
    if not db.exists():
        _core.ingest.ingest_dataset(str(dataset), str(db), False)

    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
          f"on {os.cpu_count()} cores", flush=True)
    res, times, cpu = run_creditgraph(str(db), args.runs, args.probability)
    stats = res.stats
    cg_scores = er.evaluate(er.mentions(res), dataset / "truth")
    cg_time = statistics.median(times)
    print(f"data set {dataset} ({stats['mentions']} mentions, {stats['records']} records)")
    print(f"CreditGraph: {cg_time:.2f} s median of {len(times)} "
          f"({', '.join(f'{t:.1f}' for t in times)}; {statistics.median(cpu):.1f} CPU-s; "
          f"resolve from the database, "
          f"{stats['seconds_blocking'] + stats['seconds_em'] + stats['seconds_cluster']:.2f} s in "
          f"blocking+EM+clustering), {stats['comparisons']} comparisons", flush=True)
    _print_scores(cg_scores)
    keys = None
    if not args.no_splink:
        keys = write_handover(res, work)
    del res  # the in-memory runs below and Splink's child need the memory
    mem_times, mem_cpu = run_creditgraph_on_mentions(str(db), args.runs, args.probability)
    cg_mem_time = statistics.median(mem_times)
    print(f"CreditGraph from the mentions in memory (as Splink): {cg_mem_time:.2f} s median of "
          f"{len(mem_times)} ({', '.join(f'{t:.1f}' for t in mem_times)}; "
          f"{statistics.median(mem_cpu):.1f} CPU-s; the same partition)", flush=True)
    sys.stdout.flush()
    if args.no_splink:
        return 0
    _return_freed_memory()
    try:
        import splink
    except ImportError:
        print("Splink is not installed (pip install 'splink>=4,<5'); skipped", file=sys.stderr)
        return 0
    runs = []
    for run in range(args.splink_runs):
        mentions, timings, wall, finished = run_splink(keys, args, work, count=run == 0)
        if not finished:
            done = {label: [k for k in ("register", "lambda", "u", "em", "predict", "cluster")
                            if k in timings.get(label, {})] for label in CLASSES}
            outcome = timings.pop("outcome", "did not finish")
            print(f"Splink {splink.__version__} (DuckDB): {outcome}; steps completed: {done}; "
                  f"timings {timings}")
            _remove_handover(work)
            return 1
        runs.append((mentions, timings, wall))
    times_sp = [sum(t[label]["total"] for label in CLASSES) for _, t, _ in runs]
    cpu_sp = [sum(t[label]["cpu"] for label in CLASSES) for _, t, _ in runs]
    training_sp = [sum(t[label]["training"] for label in CLASSES) for _, t, _ in runs]
    sp_time = statistics.median(times_sp)
    first = runs[0][1]
    sp_scores = er.evaluate(runs[-1][0], dataset / "truth")
    print(f"Splink {splink.__version__} (DuckDB, {args.threads} threads): {sp_time:.2f} s median "
          f"of {len(times_sp)} ({', '.join(f'{t:.1f}' for t in times_sp)}; "
          f"{statistics.median(cpu_sp):.1f} CPU-s; train + predict + "
          f"cluster from the in-memory mention table, organizations and persons as two models), "
          f"training {statistics.median(training_sp):.2f} s, "
          f"{sum(first[label].get('comparisons', 0) for label in CLASSES)} comparisons")
    for label in CLASSES:
        t = first[label]
        print(f"  {label:13s} " + ", ".join(
            f"{k} {t[k]:.1f} s" for k in ("register", "lambda", "u", "em", "predict", "cluster"))
            + f"; {t.get('comparisons', 0)} comparisons, {t['links']} links >= {args.probability}")
    _print_scores(sp_scores)
    print(f"speed ratio Splink / CreditGraph from the database: {sp_time / cg_time:.1f}x wall, "
          f"{statistics.median(cpu_sp) / statistics.median(cpu):.1f}x CPU; "
          f"from the same mentions in memory: {sp_time / cg_mem_time:.1f}x wall, "
          f"{statistics.median(cpu_sp) / statistics.median(mem_cpu):.1f}x CPU; F1 CreditGraph vs "
          f"Splink at {args.probability}: "
          + ", ".join(f"{label} {cg_scores.loc[label, 'f1']:.5f} vs {sp_scores.loc[label, 'f1']:.5f}"
                      for label in CLASSES + ("all",)))
    sweep_splink(keys, work / "splink_fields", args, dataset, er, cg_scores)
    _remove_handover(work)
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
