"""CPU seconds of one whole-data-set ingest (C++ IngestDataset: every csv/jsonl source, no pandas),
for comparing builds back to back on a shared machine, where CPU-s are steadier than wall time:

    PYTHONPATH=bindings/python python3 bench/ingest_cpu.py /work/data/sf0.1 /work/scratch/ingest/db
    PYTHONPATH=OTHER_BUILD python3 bench/ingest_cpu.py ...      # e.g. a copy of another _core .so

Prints wall, user, system and total CPU seconds of the process (all threads), peak RSS and the
1-minute load average; the database folder is removed before and after (pass --keep to keep it).
"""
import os
import resource
import shutil
import sys
import time

from creditgraph import _core

dataset, db = sys.argv[1], sys.argv[2]
shutil.rmtree(db, ignore_errors=True)
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
report = _core.ingest.ingest_dataset(dataset, db, False)
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF)
user = after.ru_utime - before.ru_utime
system = after.ru_stime - before.ru_stime
print(f"wall {wall:.2f} s  user {user:.2f}  sys {system:.2f}  cpu {user + system:.2f}  "
      f"peak {after.ru_maxrss / 1024:.0f} MB  load {os.getloadavg()[0]:.1f}")
if "--keep" not in sys.argv[3:]:
    shutil.rmtree(db, ignore_errors=True)
