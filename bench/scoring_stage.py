#!/usr/bin/env python3
"""Times engine stages on a database, one after the other in one fresh engine: wall and CPU
seconds (user + system, every thread) and the stage's phases. The stages run on DB itself, so
give it a copy (`cp -r`) of a resolved database.

    python3 bench/scoring_stage.py DB bindings/python score,score
    python3 bench/scoring_stage.py DB bindings/python propagate,score,score
    python3 bench/scoring_stage.py DB bindings/python resolve,resolve   (full, then resumed)
"""
import resource
import sys
import time

if len(sys.argv) < 3:
    sys.exit(__doc__)
sys.path.insert(0, sys.argv[2])
import creditgraph as cg  # noqa: E402

stages = sys.argv[3].split(",") if len(sys.argv) > 3 else ["propagate", "score", "score"]
engine = cg.open(sys.argv[1])
runs = {"resolve": engine.resolve, "graph": engine.build_graph, "propagate": engine.propagate, "score": engine.score}
for name in stages:
    wall, cpu = time.time(), time.process_time()
    report = runs[name]()
    phases = {k: round(v, 2) for k, v in dict(report.get("phases") or {}).items()}
    print(f"{name}: {time.time() - wall:.2f} s wall, {time.process_time() - cpu:.2f} CPU-s", phases,
          flush=True)
print("peak RSS GB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6)
