#!/usr/bin/env bash
# Runs every benchmark: the Google Benchmark kernel programs (cg_bench_*) and the side-by-side
# comparisons with peer tools (bench/*_vs_peers.py), each printing CreditGraph's figure next to
# the peer's from the same run. Results go to build/bench/ (JSON for the kernels, text for the scripts) and the terminal.
# Usage: bash bench/run_all.sh [BUILD_DIR] [script args…]   (never part of `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build/dev}
shift || true
out=build/bench
mkdir -p "$out"
export PYTHONPATH="$PWD/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
python3 -m pip install -q --disable-pip-version-check 'splink>=4,<5' 2>/dev/null || \
  echo "bench: splink could not be installed; the resolution comparison will say so"
for program in "$build_dir"/bench/cg_bench_*; do
  [ -x "$program" ] || continue
  name=$(basename "$program")
  echo "=== $name"
  "$program" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json
done
# (bench/scoring_stage.py times stages on a database you give it: run by hand, see its docstring)
for script in bench/*_vs_peers.py bench/pipeline_stage.py; do
  [ -f "$script" ] || continue
  echo "=== $script"
  python3 "$script" "$@" 2>&1 | tee "$out/$(basename "$script" .py).txt"
done
