#!/usr/bin/env python3
"""CreditGraph's batch scoring beside pandas and DuckDB SQL, same model, same data, same run.

Synthetic province: N organizations, N/2 persons, dated facts (lists, penalties, licences,
commitments, tax/environment ratings), related-party edges (legal_rep, officer, shareholder,
guarantee, plus ignored controller edges) and punish-restriction counts. The default model
(datasets/scoring/default.yaml) is read once; the peers' code is generated from it (step tables
as CASE/np.select), so all three evaluate the same model.

Timed: the scoring of already-loaded data (CreditGraph: Engine.score_all(), the batch of the
stage glue; pandas: from DataFrames; DuckDB: from registered tables to a result table).
Untimed: data generation and the conversion of the DataFrames into the engine.
Asserted: every score equal within 1e-6 and every grade identical (per-indicator differences are
printed). All three use the documented step rule: a value within 1e-9 (relative) below a
threshold reaches it, so summation order cannot flip a value lying on a threshold.

    PYTHONPATH=bindings/python python3 bench/scoring_vs_peers.py --orgs 1000000 --runs 3

--no-peers times CreditGraph alone (for sizes at which pandas and DuckDB take too long). The
DataFrames -> engine conversion goes through Python lists of texts (~1 GB per million
organizations), so sizes beyond a few million organizations do not fit in 5 GB here: the SF=1
size (14M) is measured by the Google Benchmark instead (bench/scoring_bench.cc,
BM_BatchScoreLarge, same synthetic shape generated in C++).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
from creditgraph import scoring  # noqa: E402

AS_OF = np.datetime64("2025-06-30")
MAX_YEARS = 5
ESCALATION = ("amr_abnormal_operation", 3, "amr_serious_illegal")
LISTS = {  # code: (polarity, domain), catalog.md §5
    "court_dishonest_debtor": ("black", "judicial"), "tax_major_violation": ("black", "tax"),
    "amr_serious_illegal": ("black", "market"), "amr_abnormal_operation": ("black", "market"),
    "procurement_bad_record": ("black", "procurement"), "safety_blacklist": ("black", "safety"),
    "env_serious": ("black", "environment"), "labor_wage_arrears": ("black", "labor"),
    "tax_a": ("red", "tax"), "contract_honoring": ("red", "market"),
}
RELATED = ["legal_rep", "officer", "shareholder", "branch", "guarantee"]


# ---------------------------------------------------------------- data

def generate(orgs: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    persons = orgs // 2
    n = orgs + persons
    kinds = np.array(["enterprise", "individual_business", "organization"])[rng.integers(0, 3, orgs)]
    est = AS_OF - rng.integers(0, 10000, orgs).astype("timedelta64[D]")
    est = pd.Series(est).where(rng.random(orgs) > 0.05)
    entities = pd.DataFrame({
        "entity": np.arange(n),
        "kind": np.concatenate([kinds, np.full(persons, "person")]),
        "est_date": pd.concat([est, pd.Series([pd.NaT] * persons)], ignore_index=True),
        "region": np.concatenate([np.array(["370102", "370203", "370211", "371002"])[rng.integers(0, 4, orgs)],
                                  np.full(persons, "")]),
        "industry": np.concatenate([np.array(["C1310", "F5211", "I6510", "P8321"])[rng.integers(0, 4, orgs)],
                                    np.full(persons, "")]),
    })

    def days_back(size, spread):
        return AS_OF - rng.integers(0, spread, size).astype("timedelta64[D]")

    frames = []
    # lists: 15% of organizations, 3% of persons (court_dishonest_debtor)
    holders = np.concatenate([rng.choice(orgs, int(orgs * 0.15), replace=False),
                              orgs + rng.choice(persons, int(persons * 0.03), replace=False)])
    codes = np.array(list(LISTS))[rng.integers(0, len(LISTS), len(holders))]
    codes[holders >= orgs] = "court_dishonest_debtor"
    listed = days_back(len(holders), 3000)
    removed = pd.Series(listed + rng.integers(1, 2000, len(holders)).astype("timedelta64[D]"))
    removed = removed.where(rng.random(len(holders)) < 0.33)
    frames.append(pd.DataFrame({"entity": holders, "kind": "list", "list": codes, "listed_on": listed,
                                "removed_on": removed, "disputed": rng.random(len(holders)) < 0.05}))
    m = int(orgs * 0.3)
    frames.append(pd.DataFrame({"entity": rng.integers(0, orgs, m), "kind": "penalty",
                                "severity": np.array(["minor", "general", "serious"])[rng.integers(0, 3, m)],
                                "decided_on": days_back(m, 2500),
                                "domain": np.array(["market", "tax", "environment", "labor", "safety"])[rng.integers(0, 5, m)]}))
    m = int(orgs * 0.5)
    granted = days_back(m, 3000)
    valid = pd.Series(granted + rng.integers(0, 3000, m).astype("timedelta64[D]")).where(rng.random(m) < 0.5)
    frames.append(pd.DataFrame({"entity": rng.integers(0, orgs, m), "kind": "license",
                                "granted_on": granted, "valid_until": valid, "domain": "food"}))
    m = int(orgs * 0.2)
    frames.append(pd.DataFrame({"entity": rng.integers(0, orgs, m), "kind": "commitment",
                                "made_on": days_back(m, 1500),
                                "status": np.array(["pending", "kept", "breached"])[rng.integers(0, 3, m)]}))
    m = int(orgs * 0.6)
    scheme = np.where(rng.random(m) < 0.8, "tax", "environment")
    grade = np.where(scheme == "tax", np.array(list("ABMCD"))[rng.integers(0, 5, m)],
                     np.array(list("ABCD"))[rng.integers(0, 4, m)])
    frames.append(pd.DataFrame({"entity": rng.integers(0, orgs, m), "kind": "rating", "scheme": scheme,
                                "grade": grade, "rated_on": days_back(m, 1500)}))
    facts = pd.concat(frames, ignore_index=True)
    facts["source"] = "s"
    facts["rid"] = np.arange(len(facts)).astype(str)
    for column in ["listed_on", "removed_on", "decided_on", "granted_on", "valid_until", "made_on", "rated_on"]:
        facts[column] = pd.to_datetime(facts[column])
    facts["disputed"] = facts["disputed"].fillna(False).astype(bool)

    src = [np.arange(orgs), rng.integers(0, orgs, orgs // 2), rng.integers(0, orgs, orgs // 3),
           rng.integers(0, orgs, orgs // 20), rng.integers(0, orgs, orgs // 10)]
    dst = [orgs + rng.integers(0, persons, orgs), orgs + rng.integers(0, persons, orgs // 2),
           rng.integers(0, n, orgs // 3), rng.integers(0, orgs, orgs // 20), orgs + rng.integers(0, persons, orgs // 10)]
    labels = ["legal_rep", "officer", "shareholder", "guarantee", "controller"]
    edges = pd.DataFrame({"src": np.concatenate(src), "dst": np.concatenate(dst),
                          "label": np.concatenate([np.full(len(s), l) for s, l in zip(src, labels)])})
    r = rng.choice(orgs, orgs // 20, replace=False)
    restrictions = pd.DataFrame({"entity": r, "effect": "punish", "count": rng.integers(1, 6, len(r))})
    return entities, facts, edges, restrictions


def add_years(dates: pd.Series, years: int) -> pd.Series:
    """Calendar years with the day clamped to the month's end (measures.md §3)."""
    return dates + pd.DateOffset(years=years)


# ---------------------------------------------------------------- pandas peer

def points_np(values: np.ndarray, table) -> np.ndarray:
    thresholds = np.array([row[0] for row in table], dtype=float)
    pts = np.array([row[1] for row in table], dtype=float)
    # scoring.md as implemented (docs/scoring.md): a value within 1e-9 (relative) below a
    # threshold reaches it.
    effective = thresholds - 1e-9 * np.maximum(1.0, np.abs(thresholds))
    index = np.searchsorted(effective, values, side="right") - 1
    return pts[np.clip(index, 0, None)]


def pandas_peer(model: dict, entities, facts, edges, restrictions):
    as_of = pd.Timestamp(AS_OF)
    orgs = entities[entities["kind"].isin(["enterprise", "individual_business", "organization"])]["entity"].to_numpy()
    n = len(entities)
    lists = facts[facts["kind"] == "list"][["entity", "list", "listed_on", "removed_on", "disputed"]]
    moved = add_years(lists["listed_on"], ESCALATION[1])
    esc = lists[(lists["list"] == ESCALATION[0]) & (lists["removed_on"].isna() | (lists["removed_on"] > moved))].copy()
    esc["listed_on"] = moved[esc.index]
    esc["list"] = ESCALATION[2]
    lists = pd.concat([lists, esc], ignore_index=True)
    lists = lists[(~lists["disputed"]) & (lists["listed_on"] <= as_of) &
                  (lists["removed_on"].isna() | (as_of < lists["removed_on"])) &
                  (as_of < add_years(lists["listed_on"], MAX_YEARS))].copy()
    lists["polarity"] = lists["list"].map(lambda c: LISTS.get(c, ("unknown", ""))[0])
    lists["ldomain"] = lists["list"].map(lambda c: LISTS.get(c, ("unknown", ""))[1])
    pen = facts[facts["kind"] == "penalty"]
    pen = pen[(pen["decided_on"] <= as_of) & (as_of < add_years(pen["decided_on"], MAX_YEARS))]
    lic = facts[facts["kind"] == "license"]
    lic = lic[(lic["granted_on"] <= as_of) & (lic["valid_until"].isna() | (as_of < lic["valid_until"]))]
    com = facts[(facts["kind"] == "commitment") & (facts["made_on"] <= as_of)]
    rat = facts[(facts["kind"] == "rating") & (facts["rated_on"] <= as_of)]
    rat = rat[rat["rated_on"] == rat.groupby(["entity", "scheme"])["rated_on"].transform("max")]
    frames = {"list": lists, "penalty": pen, "license": lic, "commitment": com, "rating": rat}

    def per_org(series: pd.Series, fill=0.0) -> np.ndarray:
        return series.reindex(orgs, fill_value=fill).to_numpy(dtype=float)

    black = np.zeros(n)
    black[lists[lists["polarity"] == "black"]["entity"].unique()] = 1.0
    score = np.zeros(len(orgs))
    out = {"entity": orgs}
    for dim in model["dimensions"]:
        for ind in dim["indicators"]:
            fn, args = ind["fn"], dict(ind.get("args") or {})
            if fn in ("count", "decayed"):
                frame = frames[args.pop("kind")]
                weights, half = args.pop("weights", None), args.pop("half_life", None)
                for key, want in args.items():
                    want = want if isinstance(want, list) else [want]
                    column = {"list": "list", "polarity": "polarity", "severity": "severity",
                              "status": "status", "scheme": "scheme", "grade": "grade",
                              "domain": "ldomain" if frame is lists else "domain"}[key]
                    frame = frame[frame[column].isin(want)]
                if fn == "count":
                    value = per_org(frame.groupby("entity").size())
                else:
                    days = float(str(half)[:-1]) * {"y": 365, "m": 30, "d": 1}[str(half)[-1]]
                    age = (as_of - frame["decided_on"]).dt.days.to_numpy(dtype=float)
                    contrib = frame["severity"].map(weights).fillna(0).to_numpy() * np.power(0.5, age / days)
                    value = per_org(pd.Series(contrib, index=frame["entity"].to_numpy()).groupby(level=0).sum())
            elif fn == "years_since":
                est = entities.set_index("entity")["est_date"].reindex(orgs)
                value = ((as_of - est).dt.days / 365.25).fillna(args.get("missing", 0)).to_numpy()
            elif fn == "latest_grade":
                frame = rat[rat["scheme"] == args["scheme"]].copy()
                frame["mapped"] = frame["grade"].map(args["map"])
                value = per_org(frame.dropna(subset=["mapped"]).groupby("entity")["mapped"].min(), np.nan)
                value = np.where(np.isnan(value), args.get("missing", 0), value)
            elif fn == "restrictions":
                r = restrictions[restrictions["effect"] == args.get("effect", "punish")]
                value = per_org(r.groupby("entity")["count"].sum())
            elif fn == "related_risk":
                e = edges[edges["label"].isin(RELATED) & (edges["src"] != edges["dst"])]
                u = np.concatenate([e["src"].to_numpy(), e["dst"].to_numpy()])
                v = np.concatenate([e["dst"].to_numpy(), e["src"].to_numpy()])
                und = pd.DataFrame({"u": u, "v": v}).drop_duplicates()
                deg = und.groupby("u").size()
                und["w"] = 1.0 / und["u"].map(deg).to_numpy()
                x, r, factor = black, np.zeros(n), 1.0
                for _ in range(int(args.get("steps", 3))):
                    y = np.zeros(n)
                    sums = (und["w"].to_numpy() * x[und["v"].to_numpy()])
                    agg = pd.Series(sums).groupby(und["u"].to_numpy()).sum()
                    y[agg.index.to_numpy()] = agg.to_numpy()
                    factor *= float(args.get("damping", 0.5))
                    r = r + factor * y
                    x = y
                value = r[orgs]
            pts = points_np(value, ind["points"])
            out[ind["id"]] = value
            score = score + ind["weight"] * pts
    out["score"] = score
    grades = model["grades"]
    grade = np.full(len(orgs), grades[-1]["grade"], dtype=object)
    for g in reversed(grades):
        grade = np.where(score >= g["min"], g["grade"], grade)
    order = [g["grade"] for g in grades]
    for veto in model.get("vetoes") or []:
        hit = np.isin(orgs, lists[lists["list"].isin(veto["lists"])]["entity"].unique())
        grade = np.where(hit, veto["grade"], grade)  # one veto in the default model
    out["grade"] = grade
    del order
    return pd.DataFrame(out)


# ---------------------------------------------------------------- DuckDB peer

def case_sql(value: str, table) -> str:
    parts = " ".join(f"WHEN {value} >= {float(t) - 1e-9 * max(1.0, abs(float(t)))!r}::DOUBLE THEN {float(p)!r}::DOUBLE" for t, p in reversed(table))
    return f"(CASE {parts} ELSE {float(table[0][1])!r}::DOUBLE END)"


def duckdb_sql(model: dict) -> str:
    pol = " ".join(f"WHEN '{c}' THEN '{p}'" for c, (p, _) in LISTS.items())
    dom = " ".join(f"WHEN '{c}' THEN '{d}'" for c, (_, d) in LISTS.items())
    ctes = [f"""
lists0 AS (SELECT entity, list, listed_on::DATE AS listed_on, removed_on::DATE AS removed_on, disputed
           FROM facts WHERE kind = 'list'),
lists1 AS (SELECT * FROM lists0 UNION ALL
           SELECT entity, '{ESCALATION[2]}', (listed_on + INTERVAL {ESCALATION[1]} YEAR)::DATE, removed_on, disputed
           FROM lists0 WHERE list = '{ESCALATION[0]}' AND (removed_on IS NULL OR removed_on > (listed_on + INTERVAL {ESCALATION[1]} YEAR)::DATE)),
lists AS (SELECT *, CASE list {pol} ELSE 'unknown' END AS polarity, CASE list {dom} ELSE '' END AS ldomain
          FROM lists1 WHERE NOT disputed AND listed_on <= DATE '{AS_OF}'
          AND (removed_on IS NULL OR DATE '{AS_OF}' < removed_on)
          AND DATE '{AS_OF}' < (listed_on + INTERVAL {MAX_YEARS} YEAR)::DATE),
penalty AS (SELECT * FROM facts WHERE kind = 'penalty' AND decided_on::DATE <= DATE '{AS_OF}'
            AND DATE '{AS_OF}' < (decided_on::DATE + INTERVAL {MAX_YEARS} YEAR)::DATE),
license AS (SELECT * FROM facts WHERE kind = 'license' AND granted_on::DATE <= DATE '{AS_OF}'
            AND (valid_until IS NULL OR DATE '{AS_OF}' < valid_until::DATE)),
commitment AS (SELECT * FROM facts WHERE kind = 'commitment' AND made_on::DATE <= DATE '{AS_OF}'),
rating0 AS (SELECT * FROM facts WHERE kind = 'rating' AND rated_on::DATE <= DATE '{AS_OF}'),
rating AS (SELECT * FROM rating0 QUALIFY rated_on = max(rated_on) OVER (PARTITION BY entity, scheme)),
orgs AS (SELECT entity, est_date FROM entities WHERE kind IN ('enterprise','individual_business','organization')),
und AS (SELECT DISTINCT u, v FROM (SELECT src AS u, dst AS v FROM edges WHERE label IN ({','.join(repr(l) for l in RELATED)}) AND src <> dst
        UNION ALL SELECT dst, src FROM edges WHERE label IN ({','.join(repr(l) for l in RELATED)}) AND src <> dst)),
deg AS (SELECT u, 1.0::DOUBLE / count(*) AS w FROM und GROUP BY u),
s0 AS (SELECT DISTINCT entity AS node, 1.0::DOUBLE AS x FROM lists WHERE polarity = 'black')"""]
    selects, joins, score_terms = [], [], []
    related_done = False
    for dim in model["dimensions"]:
        for ind in dim["indicators"]:
            fn, args, iid = ind["fn"], dict(ind.get("args") or {}), ind["id"]
            if fn in ("count", "decayed"):
                kind = args.pop("kind")
                weights, half = args.pop("weights", None), args.pop("half_life", None)
                conds = ["TRUE"]
                for key, want in args.items():
                    want = want if isinstance(want, list) else [want]
                    column = "ldomain" if (key == "domain" and kind == "list") else key
                    conds.append(f"{column} IN ({','.join(repr(w) for w in want)})")
                if fn == "count":
                    agg = "count(*)::DOUBLE"
                else:
                    days = float(str(half)[:-1]) * {"y": 365, "m": 30, "d": 1}[str(half)[-1]]
                    wcase = " ".join(f"WHEN '{k}' THEN {float(v)!r}::DOUBLE" for k, v in weights.items())
                    agg = (f"sum((CASE severity {wcase} ELSE 0 END) * pow(0.5::DOUBLE, "
                           f"(DATE '{AS_OF}' - decided_on::DATE)::DOUBLE / {days!r}))")
                ctes.append(f"i_{iid} AS (SELECT entity, {agg} AS v FROM {'lists' if kind == 'list' else kind} WHERE {' AND '.join(conds)} GROUP BY entity)")
                joins.append(f"LEFT JOIN i_{iid} ON i_{iid}.entity = o.entity")
                value = f"coalesce(i_{iid}.v, 0)"
            elif fn == "years_since":
                value = f"coalesce((DATE '{AS_OF}' - o.est_date::DATE)::DOUBLE / 365.25, {float(args.get('missing', 0))!r}::DOUBLE)"
            elif fn == "latest_grade":
                mcase = " ".join(f"WHEN '{k}' THEN {float(v)!r}::DOUBLE" for k, v in args["map"].items())
                ctes.append(f"i_{iid} AS (SELECT entity, min(CASE grade {mcase} END) AS v FROM rating "
                            f"WHERE scheme = '{args['scheme']}' GROUP BY entity)")
                joins.append(f"LEFT JOIN i_{iid} ON i_{iid}.entity = o.entity")
                value = f"coalesce(i_{iid}.v, {float(args.get('missing', 0))!r}::DOUBLE)"
            elif fn == "restrictions":
                ctes.append(f"i_{iid} AS (SELECT entity, sum(\"count\")::DOUBLE AS v FROM restrictions "
                            f"WHERE effect = '{args.get('effect', 'punish')}' GROUP BY entity)")
                joins.append(f"LEFT JOIN i_{iid} ON i_{iid}.entity = o.entity")
                value = f"coalesce(i_{iid}.v, 0)"
            elif fn == "related_risk":
                assert not related_done, "one related_risk indicator in this peer"
                related_done = True
                steps, damping = int(args.get("steps", 3)), float(args.get("damping", 0.5))
                for k in range(1, steps + 1):
                    ctes.append(f"s{k} AS (SELECT und.u AS node, sum(deg.w * s{k-1}.x) AS x FROM und "
                                f"JOIN deg ON deg.u = und.u JOIN s{k-1} ON s{k-1}.node = und.v GROUP BY und.u)")
                    joins.append(f"LEFT JOIN s{k} ON s{k}.node = o.entity")
                terms = " + ".join(f"{damping ** k!r}::DOUBLE * coalesce(s{k}.x, 0)" for k in range(1, steps + 1))
                value = f"({terms})"
            selects.append(f"{value} AS \"{iid}\"")
            score_terms.append(f"{float(ind['weight'])!r}::DOUBLE * {case_sql(chr(34) + iid + chr(34), ind['points'])}")
    grade_case = " ".join(f"WHEN score >= {float(g['min'])!r} THEN '{g['grade']}'" for g in model["grades"])
    veto = (model.get("vetoes") or [None])[0]
    veto_sql = ""
    if veto:
        ctes.append(f"veto AS (SELECT DISTINCT entity FROM lists WHERE list IN ({','.join(repr(l) for l in veto['lists'])}))")
        veto_sql = f"CASE WHEN entity IN (SELECT entity FROM veto) THEN '{veto['grade']}' ELSE "
    return (f"WITH {','.join(ctes)},\nvals AS (SELECT o.entity, {', '.join(selects)} FROM orgs o {' '.join(joins)}),\n"
            f"scored AS (SELECT *, {' + '.join(score_terms)} AS score FROM vals)\n"
            f"SELECT *, {veto_sql}CASE {grade_case} END{' END' if veto else ''} AS grade FROM scored ORDER BY entity")


# ---------------------------------------------------------------- main

def median_time(fn, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="time CreditGraph alone")
    args = parser.parse_args()
    model_path = ROOT / "datasets" / "scoring" / "default.yaml"
    model_dict = yaml.safe_load(model_path.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    entities, facts, edges, restrictions = generate(args.orgs)
    print(f"data: {args.orgs:,} organizations, {len(entities):,} entities, {len(facts):,} facts, "
          f"{len(edges):,} edges (generated in {time.perf_counter() - t0:.1f} s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    t0 = time.perf_counter()
    result = scoring.score(facts, edges=edges, entities=entities, restrictions=restrictions,
                           model=scoring.load_model(model_path), as_of=str(AS_OF))
    load_seconds = time.perf_counter() - t0
    engine = result._engine
    cpu0 = time.process_time()
    cg_time, _ = median_time(engine.score_all, args.runs)
    cg_cpu = (time.process_time() - cpu0) / args.runs
    ours = pd.DataFrame(engine.table())
    if args.no_peers:
        print(f"CreditGraph batch scoring (Engine.score_all): {cg_time:8.3f} s  median of {args.runs}; "
              f"CPU {cg_cpu:.3f} s per batch (all threads); peers not run (--no-peers)")
        print(f"(untimed: DataFrames -> engine input {load_seconds:.1f} s)")
        return

    pd_time, theirs_pd = median_time(lambda: pandas_peer(model_dict, entities, facts, edges, restrictions), args.runs)
    con = duckdb.connect()
    con.execute(f"PRAGMA threads={os.cpu_count()}")
    for name, frame in [("entities", entities), ("facts", facts), ("edges", edges), ("restrictions", restrictions)]:
        con.register(name, frame)
    sql = duckdb_sql(model_dict)
    db_time, theirs_db = median_time(lambda: con.execute(sql).df(), args.runs)

    for name, theirs in [("pandas", theirs_pd), ("duckdb", theirs_db)]:
        merged = ours.merge(theirs, on="entity", suffixes=("", "_peer"))
        assert len(merged) == len(ours) == len(theirs), name
        diff = np.abs(merged["score"] - merged["score_peer"]).max()
        grades = (merged["grade"] != merged["grade_peer"]).sum()
        for ind in [i["id"] for d in model_dict["dimensions"] for i in d["indicators"]]:
            table = [i for d in model_dict["dimensions"] for i in d["indicators"] if i["id"] == ind][0]["points"]
            bad = merged[(np.abs(merged[f"{ind}.value"] - merged[ind]) > 1e-9) |
                         (merged[f"{ind}.points"] != points_np(merged[ind].to_numpy(), table))]
            if len(bad):
                print(f"  {name}: indicator {ind} differs on {len(bad)} rows, e.g.")
                print(bad[["entity", f"{ind}.value", ind, f"{ind}.points"]].head(5).to_string(float_format=lambda v: repr(float(v))))
        assert diff < 1e-6 and grades == 0, f"{name}: max score difference {diff}, {grades} grades differ"
        print(f"check {name}: {len(merged):,} scores agree (max |diff| {diff:.2e}), grades identical")

    fastest = min(pd_time, db_time)
    print(f"CreditGraph batch scoring (Engine.score_all): {cg_time:8.3f} s  median of {args.runs}")
    print(f"pandas                                      : {pd_time:8.3f} s")
    print(f"DuckDB SQL ({os.cpu_count()} threads)                     : {db_time:8.3f} s")
    print(f"ratio to the faster peer: {fastest / cg_time:.1f}x")
    print(f"(untimed: DataFrames -> engine input {load_seconds:.1f} s)")
    per_org = cg_time / args.orgs
    print(f"extrapolated SF=1 (14M organizations, linear): {per_org * 14e6:.1f} s wall at this load; "
          f"CPU {cg_cpu:.3f} s per batch -> {cg_cpu / args.orgs * 14e6 / (os.cpu_count() or 1):.1f} s "
          f"on {os.cpu_count()} idle cores")


if __name__ == "__main__":
    main()
