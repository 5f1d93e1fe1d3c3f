"""Entity resolution, CreditGraph vs Splink 4 (DuckDB backend), on the same mentions.

    PYTHONPATH=bindings/python python3 bench/resolve_vs_peers.py --scale 0.01 [--runs 3]

Generates a province (creditgraph.generate) unless --dataset is given, ingests it into a
database, resolves it with CreditGraph (median of --runs), then gives Splink the same mention
table (the normalized fields CreditGraph's MentionTable holds: codes, canonical name, name key,
trade name, region, birth, phone, address) with blocking on names and codes and comparisons on
the same fields, trains it the usual way (random-sampling u, EM per blocking rule), predicts at
the same match probability, clusters, and scores both against truth/ (pairwise F1 per class).
Prints both, and the time ratio. Needs `pip install splink` (not part of the default install).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

import pandas as pd


def run_creditgraph(db: str, runs: int, probability: float):
    from creditgraph import resolve as er
    times, res = [], None
    for _ in range(runs):
        started = time.perf_counter()
        res = er.resolve(db=db, match_probability=probability)
        times.append(time.perf_counter() - started)
    return res, times


def run_splink(fields: pd.DataFrame, probability: float):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = fields.copy()
    frame["unique_id"] = range(len(frame))
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].mask(frame[column] == "")
    blocking = [block_on("class", "uscc"), block_on("class", "id_no"), block_on("class", "org_code"),
                block_on("class", "reg_no"), block_on("class", "core"),
                block_on("class", "trade", "region"), block_on("class", "phone")]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.ExactMatch("uscc"), cl.ExactMatch("id_no"), cl.ExactMatch("org_code"),
            cl.ExactMatch("reg_no"),
            cl.JaroWinklerAtThresholds("core", [0.92, 0.8]),
            cl.ExactMatch("region"), cl.ExactMatch("birth"), cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("address", [0.9]), cl.ExactMatch("rel_name"),
        ],
        retain_intermediate_calculation_columns=False,
        # ~ true pairs / all pairs of the generator's data (Splink's own estimator refuses the
        # sparse code columns: it counts null keys as one block)
        probability_two_random_records_match=1e-5,
    )
    started = time.perf_counter()
    linker = Linker(frame, settings, db_api=DuckDBAPI())
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in (block_on("class", "core"), block_on("class", "uscc"), block_on("class", "id_no")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=probability)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, probability)
    result = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - started
    result = result.sort_values("unique_id")
    out = fields[["source", "rid", "role"]].copy()
    out["entity_id"] = result["cluster_id"].astype(str).to_numpy()
    return out, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dataset", help="an existing data set folder (skips generation)")
    parser.add_argument("--work", help="folder for the data set and database (default: a temp dir)")
    parser.add_argument("--runs", type=int, default=3, help="CreditGraph runs (median)")
    parser.add_argument("--splink-runs", type=int, default=1)
    parser.add_argument("--probability", type=float, default=0.99)
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args()

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

    res, times = run_creditgraph(str(db), args.runs, args.probability)
    stats = res.stats
    cg_scores = er.evaluate(er.mentions(res), dataset / "truth")
    cg_time = statistics.median(times)
    print(f"data set {dataset} ({stats['mentions']} mentions, {stats['records']} records)")
    print(f"CreditGraph: {cg_time:.2f} s median of {len(times)} (resolve from the database, "
          f"{stats['seconds_blocking'] + stats['seconds_em'] + stats['seconds_cluster']:.2f} s in "
          f"blocking+EM+clustering), {stats['comparisons']} comparisons")
    for label in ("organizations", "persons"):
        row = cg_scores.loc[label]
        print(f"  {label:13s} P {row.precision:.5f} R {row.recall:.5f} F1 {row.f1:.5f}  "
              f"B3 F1 {row.bcubed_f1:.5f}")
    if args.no_splink:
        return 0
    try:
        import splink  # noqa: F401
    except ImportError:
        print("Splink is not installed (pip install splink); skipped", file=sys.stderr)
        return 0
    fields = pd.DataFrame(res._core.mention_fields())
    splink_times, splink_mentions = [], None
    for _ in range(args.splink_runs):
        splink_mentions, seconds = run_splink(fields, args.probability)
        splink_times.append(seconds)
    sp_scores = er.evaluate(splink_mentions, dataset / "truth")
    sp_time = statistics.median(splink_times)
    print(f"Splink {splink.__version__} (DuckDB): {sp_time:.2f} s median of {len(splink_times)} "
          f"(train + predict + cluster, mentions given in memory)")
    for label in ("organizations", "persons"):
        row = sp_scores.loc[label]
        print(f"  {label:13s} P {row.precision:.5f} R {row.recall:.5f} F1 {row.f1:.5f}  "
              f"B3 F1 {row.bcubed_f1:.5f}")
    print(f"speed ratio Splink / CreditGraph: {sp_time / cg_time:.1f}x; F1 (all) CreditGraph "
          f"{cg_scores.loc['all', 'f1']:.5f} vs Splink {sp_scores.loc['all', 'f1']:.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
