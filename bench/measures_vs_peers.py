#!/usr/bin/env python3
"""CreditGraph measures propagation vs the same default catalog written as DuckDB SQL.

Both run on the same synthetic related-party graph and triggers, in the same process:
  * CreditGraph: creditgraph.measures (C++ engine, TBB) — full propagation.
  * DuckDB: the catalog translated to SQL, one join chain per reach pattern, escalations as a
    UNION, the triggers a MATERIALIZED CTE, ratings ended by a window MIN over the strictly later
    dates, the max_years cap with LEAST(), the subject-kind join only where a measure filters
    kinds, UNION ALL and one DISTINCT; the result materialized with CREATE TABLE.
Timed, on both sides:
  * engine call: from in-memory inputs to the full restriction set. DuckDB: the query from its
    tables (loaded before the clock starts). CreditGraph: from its trigger records (made from
    the same DataFrames before the clock starts, `prepare_triggers`; the call copies them into
    the engine) to its full state: restrictions, reward pieces split by the punishments, key
    supervision and the per-entity index of check/why. The graph side is built before the
    clock on both sides too: DuckDB's edges table; CreditGraph's CSR and its step index (the
    catalog's pattern steps compiled against the CSR, made by the engine's constructor; its
    cost is in the "DataFrames in" line and printed as "engine construction"). Neither side
    makes witness paths here: DuckDB has none, CreditGraph walks them when an answer is asked
    (the DataFrame out line includes them). A second CreditGraph line times the call from the
    numpy / dictionary-encoded columns instead (the records made inside the clock);
  * DataFrames in: from the pandas DataFrames (nodes, edges, lists, penalties, ratings) to the
    full restriction set (DuckDB: CREATE TABLE from the registered DataFrames, then the query;
    CreditGraph: MeasureEngine(nodes, edges) then propagate(lists, penalties, ratings));
  * DataFrame out: the restriction set as a DataFrame (CreditGraph with the path text).
The restriction sets are asserted identical on (entity, measure, trigger source, rid, code,
start, end). Rewards are compared unsplit (the withholding split is interval subtraction,
tested against the reference in C++, not expressed in SQL here).

Run:  PYTHONPATH=bindings/python python3 bench/measures_vs_peers.py --nodes 300000 --runs 3
"""
from __future__ import annotations

import argparse
import pathlib
import re
import statistics
import sys
import time

import duckdb
import numpy as np
import pandas as pd
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
from creditgraph import measures  # noqa: E402

ROLES = ["chair", "director", "supervisor", "manager", "principal"]
LISTS = ["court_dishonest_debtor", "tax_major_violation", "amr_abnormal_operation",
         "amr_serious_illegal", "env_serious", "tax_a", "contract_honoring"]


def synthetic(num_nodes: int, seed: int = 7):
    """Same shape as bench/measures_bench.cc: 40% enterprises, heavy-tailed legal reps."""
    rng = np.random.default_rng(seed)
    ent = num_nodes * 2 // 5
    per = num_nodes - ent
    kinds = np.where(np.arange(num_nodes) < ent, "enterprise", "person")
    nodes = pd.DataFrame({"entity": np.arange(num_nodes), "kind": kinds})

    def persons(n):
        u = rng.random(n)
        return ent + (per * u * u).astype(np.int64)

    companies = np.arange(ent)
    parts = [pd.DataFrame({"tail": companies, "head": persons(ent), "label": "legal_rep", "tag": "", "value": 0.0})]
    for _ in range(2):
        parts.append(pd.DataFrame({"tail": companies, "head": persons(ent), "label": "officer",
                                   "tag": rng.choice(ROLES, ent), "value": 0.0}))
    for extra in range(2):
        pick = companies if extra == 0 else companies[rng.random(ent) < 0.5]
        owner = np.where(rng.random(len(pick)) < 1 / 3, rng.integers(0, ent, len(pick)), persons(len(pick)))
        parts.append(pd.DataFrame({"tail": pick, "head": owner, "label": "shareholder", "tag": "",
                                   "value": rng.integers(1, 101, len(pick)) / 100.0}))
    ctl = companies[rng.random(ent) < 0.3]
    parts.append(pd.DataFrame({"tail": ctl, "head": persons(len(ctl)), "label": "controller", "tag": "derived", "value": 0.0}))
    br = companies[rng.random(ent) < 0.05]
    parts.append(pd.DataFrame({"tail": br, "head": rng.integers(0, ent, len(br)), "label": "branch", "tag": "", "value": 0.0}))
    edges = pd.concat(parts, ignore_index=True)
    edges = edges[edges["tail"] != edges["head"]]
    # The C++ builder keeps the first of duplicate (tail, head, label) edges; do the same here.
    edges = edges.drop_duplicates(["tail", "head", "label"], keep="first").reset_index(drop=True)
    edges["value"] = edges["value"].astype(np.float32).astype(np.float64)

    base = np.datetime64("2019-01-01")
    n_lists = num_nodes // 50
    subj = np.where(rng.random(n_lists) < 0.25, persons(n_lists), rng.integers(0, ent, n_lists))
    listed = base + rng.integers(0, 2000, n_lists).astype("timedelta64[D]")
    removed = listed + rng.integers(0, 1500, n_lists).astype("timedelta64[D]")
    removed = pd.Series(removed).where(rng.random(n_lists) < 1 / 3)
    lists = pd.DataFrame({"subject": subj, "list": rng.choice(LISTS, n_lists), "listed_on": listed,
                          "removed_on": removed, "disputed": rng.random(n_lists) < 0.02,
                          "source": "lists", "rid": [f"L{i}" for i in range(n_lists)]})
    n_rat = ent // 4
    roll = rng.integers(0, 100, n_rat)
    ratings = pd.DataFrame({"subject": rng.integers(0, ent, n_rat), "scheme": "tax",
                            "grade": np.where(roll < 5, "D", np.where(roll < 25, "A", "B")),
                            "rated_on": base + (365 * rng.integers(0, 6, n_rat)).astype("timedelta64[D]"),
                            "source": "tax", "rid": [f"T{i}" for i in range(n_rat)]})
    n_pen = num_nodes // 50
    penalties = pd.DataFrame({"subject": rng.integers(0, ent, n_pen),
                              "severity": np.where(rng.random(n_pen) < 0.25, "serious", "general"),
                              "domain": np.where(rng.random(n_pen) < 0.5, "market", "environment"),
                              "decided_on": base + rng.integers(0, 2000, n_pen).astype("timedelta64[D]"),
                              "source": "penalties", "rid": [f"P{i}" for i in range(n_pen)]})
    return nodes, edges, lists, penalties, ratings


# ---------------------------------------------------------------- the catalog as SQL

def period_sql(text: str) -> str:
    m = re.fullmatch(r"(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?", text)
    years, months, days = (int(g or 0) for g in m.groups())
    return f"INTERVAL {years} YEAR + INTERVAL {months} MONTH + INTERVAL {days} DAY" if days == 0 else \
        f"INTERVAL {years * 12 + months} MONTH + INTERVAL {days} DAY"


def add_period(column: str, text: str) -> str:
    m = re.fullmatch(r"(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?", text)
    years, months, days = (int(g or 0) for g in m.groups())
    expr = f"CAST({column} + INTERVAL {years * 12 + months} MONTH AS DATE)"
    if days:
        expr = f"CAST({expr} + INTERVAL {days} DAY AS DATE)"
    return expr


def step_sql(step: str, alias: str, prev: str) -> tuple[str, str]:
    """JOIN clause for one pattern step; returns (join, the column naming the reached node)."""
    backward = step.startswith("~")
    step = step.lstrip("~")
    m = re.fullmatch(r"(\w+)(?:\[(.*)\])?", step)
    label, flt = m.group(1), m.group(2)
    near, far = ("head", "tail") if backward else ("tail", "head")
    cond = [f"{alias}.{near} = {prev}", f"{alias}.label = '{label}'"]
    if flt:
        fm = re.fullmatch(r"\s*(\w+)\s*(>=|<=|>|<|=|\sin\s)\s*(.*)", flt)
        attr, op, rhs = fm.group(1), fm.group(2).strip(), fm.group(3).strip()
        if attr in ("role", "kind"):
            names = [name.strip() for name in rhs.split(",")] if op == "in" else [rhs]
            cond.append(f"{alias}.tag IN ({', '.join(repr(n) for n in names)})")
        else:
            cond.append(f"{alias}.value {op} CAST({float(rhs)} AS FLOAT)")
    return f"JOIN edges {alias} ON " + " AND ".join(cond), f"{alias}.{far}"


def catalog_sql(catalog: dict) -> str:
    max_years = catalog.get("max_years", 5)
    esc = []
    for rule in catalog.get("escalations", []):
        moved = add_period("listed_on", rule["after"])
        esc.append(f"""SELECT subject, '{rule['to']}' AS list, {moved} AS listed_on, removed_on, disputed,
                      source, rid FROM lists WHERE list = '{rule['from']}'
                      AND (removed_on IS NULL OR removed_on > {moved})""")
    entries = " UNION ALL ".join(["SELECT subject, list, listed_on, removed_on, disputed, source, rid FROM lists"] + esc)
    triggers = f"""
      SELECT 'list' AS kind, subject, list AS code, '' AS detail, source, rid, listed_on AS start,
             removed_on AS natural_end
        FROM ({entries}) WHERE NOT disputed AND (removed_on IS NULL OR removed_on > listed_on)
      UNION ALL
      SELECT 'penalty', subject, severity, domain, source, rid, decided_on, NULL FROM penalties
      UNION ALL
      SELECT 'rating', subject, grade, scheme, source, rid, rated_on,
             MIN(rated_on) OVER (PARTITION BY subject, scheme ORDER BY rated_on
                                 RANGE BETWEEN INTERVAL 1 DAY FOLLOWING AND UNBOUNDED FOLLOWING)
        FROM ratings"""
    selects = []
    for measure in catalog["measures"]:
        trig = measure["trigger"]
        where = []
        if "lists" in trig:
            where.append("t.kind = 'list' AND t.code IN (" + ", ".join(repr(c) for c in trig["lists"]) + ")")
            listed_end = "t.natural_end"
        elif "penalties" in trig:
            p = trig["penalties"]
            where.append("t.kind = 'penalty' AND t.code IN (" + ", ".join(repr(s) for s in p["severity"]) + ")")
            if p.get("domain"):
                where.append("t.detail IN (" + ", ".join(repr(d) for d in p["domain"]) + ")")
            listed_end = add_period("t.start", p["within"])
        else:
            r = trig["ratings"]
            grades = r["grade"] if isinstance(r["grade"], list) else [r["grade"]]
            where.append(f"t.kind = 'rating' AND t.detail = '{r['scheme']}' AND t.code IN (" +
                         ", ".join(repr(g) for g in grades) + ")")
            listed_end = "t.natural_end"
        if measure.get("subjects"):
            where.append("n.kind IN (" + ", ".join(repr(k) for k in measure["subjects"]) + ")")
        lasts = measure.get("lasts", "listed")
        end = listed_end if lasts == "listed" else add_period("t.start", lasts)
        cap = add_period("t.start", f"{max_years}y")
        end_sql = f"LEAST(COALESCE({end}, DATE '9999-12-31'), {cap})"
        for pattern in measure.get("reach", ["self"]):
            joins, node = [], "t.subject"
            if pattern != "self":
                for index, step in enumerate(pattern.split("/")):
                    join, node = step_sql(step, f"e{index}", node)
                    joins.append(join)
            extra = [] if pattern == "self" else [f"{node} <> t.subject"]
            kinds = "JOIN nodes n ON n.entity = t.subject" if measure.get("subjects") else ""
            selects.append(f"""SELECT {node} AS entity, '{measure['id']}' AS measure, t.source, t.rid,
                   t.code, t.start, {end_sql} AS "end"
              FROM trig t {kinds} {' '.join(joins)}
             WHERE {' AND '.join(where + extra)}""")
    body = "\nUNION ALL\n".join(selects)
    return f"""WITH trig AS MATERIALIZED ({triggers})
      SELECT DISTINCT * FROM ({body}) WHERE start < "end" """


def run(args) -> int:
    nodes, edges, lists, penalties, ratings = synthetic(args.nodes)
    catalog_path = measures.default_catalog_path()
    catalog = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    print(f"nodes={len(nodes):,} edges={len(edges):,} list entries={len(lists):,} "
          f"penalties={len(penalties):,} ratings={len(ratings):,}")

    # 1. The engine call: prepared trigger columns -> the engine's full state.
    engine = measures.MeasureEngine(nodes, edges, catalog_path)
    ours_core, ours_cpu, ours_columns = [], [], []
    prepared = _prepared(engine, lists, penalties, ratings)
    triggers = engine._engine.prepare_triggers(*prepared)
    for _ in range(args.runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        engine._engine.propagate_prepared(triggers)
        ours_core.append(time.perf_counter() - began)
        ours_cpu.append(time.process_time() - began_cpu)
        began = time.perf_counter()
        engine._engine.propagate(*prepared)
        ours_columns.append(time.perf_counter() - began)
    # 2. DataFrames in: a new engine from the node and edge DataFrames, then propagate from the
    #    trigger DataFrames (columns converted on the way), the answers in the engine.
    ours_df, builds = [], []
    for _ in range(args.runs):
        began = time.perf_counter()
        engine = measures.MeasureEngine(nodes, edges, catalog_path)
        built = time.perf_counter()
        engine.propagate(lists=lists, penalties=penalties, ratings=ratings, frame=False)
        ours_df.append(time.perf_counter() - began)
        builds.append(built - began)
    # 3. DataFrame out: the restrictions table with path text.
    ours_out = []
    for _ in range(args.runs):
        began = time.perf_counter()
        table = engine.restrictions()
        ours_out.append(time.perf_counter() - began)

    con = duckdb.connect()
    con.execute(f"SET threads TO {args.threads}")
    con.register("nodes_df", nodes)
    con.register("edges_df", edges)
    con.register("lists_df", lists)
    con.register("pen_df", penalties)
    con.register("rat_df", ratings)
    loads = [
        "CREATE OR REPLACE TABLE nodes AS SELECT entity::INTEGER AS entity, kind FROM nodes_df",
        "CREATE OR REPLACE TABLE edges AS SELECT tail::INTEGER AS tail, head::INTEGER AS head, label, tag, value::FLOAT AS value FROM edges_df",
        "CREATE OR REPLACE TABLE lists AS SELECT subject::INTEGER AS subject, list, listed_on::DATE AS listed_on, removed_on::DATE AS removed_on, disputed, source, rid FROM lists_df",
        "CREATE OR REPLACE TABLE penalties AS SELECT subject::INTEGER AS subject, severity, domain, decided_on::DATE AS decided_on, source, rid FROM pen_df",
        "CREATE OR REPLACE TABLE ratings AS SELECT subject::INTEGER AS subject, scheme, grade, rated_on::DATE AS rated_on, source, rid FROM rat_df",
    ]
    sql = catalog_sql(catalog)
    theirs, theirs_cpu, theirs_df, theirs_out = [], [], [], []
    for _ in range(args.runs):
        # DataFrames in: the tables loaded from the same DataFrames, then the query.
        began = time.perf_counter()
        for statement in loads:
            con.execute(statement)
        con.execute("DROP TABLE IF EXISTS restrictions")
        began_query, began_cpu = time.perf_counter(), time.process_time()
        con.execute(f"CREATE TABLE restrictions AS {sql}")
        done = time.perf_counter()
        theirs.append(done - began_query)
        theirs_cpu.append(time.process_time() - began_cpu)
        theirs_df.append(done - began)
        began = time.perf_counter()
        con.execute("SELECT * FROM restrictions").df()
        theirs_out.append(time.perf_counter() - began)
    duck = con.execute("SELECT entity, measure, source, rid, code, CAST(start AS VARCHAR), CAST(\"end\" AS VARCHAR) FROM restrictions").fetchall()

    # Compare: rewards unsplit (min start, max end over pieces).
    ours_rows = table.groupby(["entity", "measure", "source", "rid", "trigger_code"], as_index=False).agg(
        start=("start", "min"), end=("end", "max"))
    mine = {(int(r.entity), r.measure, r.source, r.rid, r.trigger_code, r.start, r.end)
            for r in ours_rows.itertuples(index=False)}
    peer = {(int(e), m, s, r, c, st, en) for e, m, s, r, c, st, en in duck}
    if mine != peer:
        print(f"MISMATCH: only CreditGraph {len(mine - peer)}, only DuckDB {len(peer - mine)}")
        for row in list(mine - peer)[:5]:
            print("  cg  ", row)
        for row in list(peer - mine)[:5]:
            print("  duck", row)
        return 1
    med = statistics.median
    core_med, duck_med = med(ours_core), med(theirs)
    df_med, duck_df_med = med(ours_df), med(theirs_df)
    out_med, duck_out_med = med(ours_out), med(theirs_out)
    print(f"restrictions (identical sets): {len(mine):,}   runs={args.runs}, medians")
    print(f"engine call (records -> restrictions):   CreditGraph {core_med * 1000:8.1f} ms   "
          f"DuckDB SQL ({args.threads} threads) {duck_med * 1000:8.1f} ms   ratio {duck_med / core_med:5.1f}x")
    columns_med = med(ours_columns)
    print(f"  CreditGraph from the columns instead:  {columns_med * 1000:8.1f} ms"
          f"{'':39}ratio {duck_med / columns_med:5.1f}x")
    cpu_ours, cpu_theirs = med(ours_cpu), med(theirs_cpu)
    print(f"  CPU seconds (all threads):             CreditGraph {cpu_ours:8.3f} s    "
          f"DuckDB {cpu_theirs:8.3f} s                ratio {cpu_theirs / cpu_ours:5.1f}x")
    print(f"DataFrames in (graph + triggers):        CreditGraph {df_med * 1000:8.1f} ms   "
          f"DuckDB load + SQL        {duck_df_med * 1000:8.1f} ms   ratio {duck_df_med / df_med:5.1f}x")
    print(f"  of which engine construction (graph from DataFrames): {med(builds) * 1000:.1f} ms")
    print(f"DataFrame out (restrictions with paths): CreditGraph {out_med * 1000:8.1f} ms   "
          f"DuckDB .df() (no paths) {duck_out_med * 1000:8.1f} ms")
    return 0


def _prepared(engine, lists, penalties, ratings):
    """The converted columns, as MeasureEngine.propagate builds them."""
    return engine._trigger_columns(lists, penalties, ratings)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    sys.exit(run(parser.parse_args()))
