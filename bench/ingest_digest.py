"""Logical digest of an ingested database, to check that two builds store the same content:
    PYTHONPATH=bindings/python python3 bench/ingest_digest.py DB
Every decoded record (all fields) per kind, the change log, the quarantine, the per-source counts
and meta (minus the data set folder), each hashed; the last line is the digest of them all."""
import hashlib
import json
import sys

from creditgraph import _core

db = sys.argv[1]
ing = _core.ingest
h = hashlib.sha256()
def feed(name, obj):
    d = hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    print(f"{name:28s} {d[:16]}")
    h.update(d.encode())
counts = ing.counts(db)
feed("counts", counts)
kinds = sorted(set(counts["kind"])) if isinstance(counts, dict) else None
for kind in kinds:
    feed(f"records/{kind}", ing.records(db, kind, "", 0))
feed("changes", ing.changes(db, 0))
feed("quarantine", ing.quarantine(db, ""))
meta = {k: v for k, v in ing.meta(db, "").items() if not k.startswith("stage/ingest/dataset_dir")}
feed("meta", meta)
print("TOTAL", h.hexdigest())
