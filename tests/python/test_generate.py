"""The synthetic province generator: its data sets follow catalog.md, the truth is complete and
consistent, and the output is deterministic across thread counts. Codes are checked with an
independent Python implementation of the check-character standards (not the engine's)."""
from __future__ import annotations

import collections
import csv
import hashlib
import io
import json
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from creditgraph import generate as gen
from creditgraph.errors import InputError

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = REPO / "datasets" / "sample"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DATE_FORMS = [re.compile(p) for p in (r"^\d{4}-\d{2}-\d{2}$", r"^\d{4}/\d{1,2}/\d{1,2}$",
                                      r"^\d{8}$", r"^\d{4}年\d{1,2}月\d{1,2}日$")]
DATE_FIELDS = {"est_date", "listed_on", "removed_on", "decided_on", "publicity_until",
               "granted_on", "valid_until", "made_on", "rated_on", "start", "end",
               "subject_birth", "party_birth"}
LIST_CODES = {"court_dishonest_debtor", "tax_major_violation", "amr_serious_illegal",
              "amr_abnormal_operation", "procurement_bad_record", "safety_blacklist",
              "env_serious", "labor_wage_arrears", "tax_a", "contract_honoring"}


# ---- independent check characters (GB 32100, GB 11714, GB 11643, GS15) ----------------------
def uscc_ok(code: str) -> bool:
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return ALPHABET[(31 - total % 31) % 31] == code[17]


def org_code_ok(code: str) -> bool:
    code = code.replace("-", "")
    if len(code) != 9:
        return False
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    check = 11 - sum(value(c) * w for c, w in zip(code, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return code[8] == ("X" if check == 10 else "0" if check == 11 else str(check))


def id_ok(code: str) -> bool:
    if len(code) != 18 or not code[:17].isdigit():
        return False
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(code[:17]))
    return "10X98765432"[total % 11] == code[17]


def reg_no_ok(code: str) -> bool:
    if len(code) != 15 or not code.isdigit():
        return False
    product = 10
    for c in code[:14]:
        s = (product + int(c)) % 10 or 10
        product = (2 * s) % 11
    return str((11 - product) % 10) == code[14]


def is_date(text: str) -> bool:
    return any(p.match(text) for p in DATE_FORMS)


# ---- reading a data set the way the contract says -------------------------------------------
def read_source(root: pathlib.Path, source: dict) -> list[dict]:
    """Rows of one source as dicts keyed by canonical field names."""
    path = root / source["path"]
    encoding = {"utf-8": "utf-8", "gb18030": "gb18030"}[source.get("encoding", "utf-8")]
    text = path.read_bytes().decode(encoding)  # strict: must decode
    rename = {column: field for field, column in (source.get("columns") or {}).items()}
    if source.get("format", path.suffix[1:]) == "jsonl":
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [{rename.get(k, k): ("" if v is None else str(v).lower() if isinstance(v, bool)
                                    else str(v)) for k, v in row.items()} for row in rows]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [{rename.get(k, k): v for k, v in row.items()} for row in reader]


def load(root: pathlib.Path):
    catalog = yaml.safe_load((root / "catalog.yaml").read_text(encoding="utf-8"))
    sources = {s["id"]: (s, read_source(root, s)) for s in catalog["sources"]}
    with open(root / "truth" / "entities.csv", encoding="utf-8", newline="") as f:
        entities = {row["entity"]: row for row in csv.DictReader(f)}
    with open(root / "truth" / "mentions.csv", encoding="utf-8", newline="") as f:
        mentions = list(csv.DictReader(f))
    return catalog, sources, entities, mentions


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    out = tmp_path_factory.mktemp("sf0001")
    stats = gen.generate(0.001, 7, out, threads=2, progress=False)
    return out, stats, load(out)


def check_dataset(root, data, *, strict_dates: bool):
    catalog, sources, entities, mentions = data
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", str(catalog["as_of"]))
    kinds = {"registry", "person", "shareholder", "officer", "branch", "guarantee", "list",
             "penalty", "license", "commitment", "rating"}
    bad_dates = 0
    total_dates = 0
    for sid, (source, rows) in sources.items():
        assert re.match(r"^[a-z0-9_]+$", sid)
        assert source["kind"] in kinds
        assert source.get("authority")
        assert rows, f"{sid} is empty"
        for row in rows:
            assert row.get("rid"), f"{sid}: a row without rid"
            for field in DATE_FIELDS & row.keys():
                if row[field]:
                    total_dates += 1
                    bad_dates += not is_date(row[field])
            if source["kind"] == "list" and row.get("list"):
                assert row["list"] in LIST_CODES
            if source["kind"] == "penalty" and row.get("severity"):
                assert row["severity"] in {"minor", "general", "serious"}
    if strict_dates:
        assert bad_dates == 0
    else:
        assert bad_dates / total_dates < 0.01  # only the malformed share
    # Truth: every mention points at a known entity and an existing (source, rid).
    rids = {sid: {row["rid"] for row in rows} for sid, (_, rows) in sources.items()}
    for m in mentions:
        assert m["entity"] in entities, m
        assert m["rid"] in rids[m["source"]], m
        assert m["role"] in {"subject", "party"}
    return rids


def test_sample_dataset_is_valid_and_consistent():
    data = load(SAMPLE)
    catalog, sources, entities, mentions = data
    check_dataset(SAMPLE, data, strict_dates=True)
    # The sample is clean: every record has its subject mention; codes are valid.
    keyed = {(m["source"], m["rid"], m["role"]): m["entity"] for m in mentions}
    for sid, (_, rows) in sources.items():
        for row in rows:
            assert (sid, row["rid"], "subject") in keyed
    for e in entities.values():
        if e["uscc"]:
            assert uscc_ok(e["uscc"]), e
        if e["id_no"]:
            assert id_ok(e["id_no"]), e
    # The story: the court list names E1 by its reg. no. and names its legal rep P1.
    assert keyed[("court_dishonest", "C1", "subject")] == "E1"
    assert keyed[("court_dishonest", "C1", "party")] == "P1"
    court = sources["court_dishonest"][1][0]
    assert reg_no_ok(court["subject_reg_no"])
    # Majority chain E4 <- E1 <- H1 <- P2: every step above one half.
    holders = collections.defaultdict(list)
    for row in sources["amr_shareholders"][1]:
        holders[keyed[("amr_shareholders", row["rid"], "subject")]].append(
            (keyed[("amr_shareholders", row["rid"], "party")], float(row["ratio"])))
    node, seen = "E4", ["E4"]
    while True:
        majority = [h for h, r in holders.get(node, []) if r > 0.5]
        if not majority or majority[0] in seen:
            break
        node = majority[0]
        seen.append(node)
    assert seen == ["E4", "E1", "H1", "P2"]


def test_generated_dataset_follows_the_contract(town):
    root, stats, data = town
    catalog, sources, entities, mentions = data
    assert len(sources) >= 12
    assert {s["kind"] for s, _ in sources.values()} >= {
        "registry", "person", "shareholder", "officer", "branch", "guarantee", "list",
        "penalty", "license", "commitment", "rating"}
    assert {s.get("encoding", "utf-8") for s, _ in sources.values()} == {"utf-8", "gb18030"}
    assert any(s.get("format") == "jsonl" for s, _ in sources.values())
    assert any(s.get("columns") for s, _ in sources.values())
    check_dataset(root, data, strict_dates=False)
    assert stats["records"] == sum(len(rows) for _, rows in sources.values())


def test_registry_is_clean_and_codes_valid(town):
    _, _, (catalog, sources, entities, mentions) = town
    _, registry = sources["amr_registry"]
    usccs = [row["subject_uscc"] for row in registry]
    assert len(set(usccs)) == len(usccs)
    for row in registry:
        assert uscc_ok(row["subject_uscc"]), row
        assert is_date(row["est_date"]) and "-" in row["est_date"]
        kind = row["subject_kind"]
        head = row["subject_uscc"][:2]
        assert {"enterprise": {"91"}, "individual_business": {"92"},
                "organization": {"11", "12", "51", "52", "53"}}[kind] >= {head}, row
        assert row["subject_uscc"][2:8] == row["subject_region"]
        if row["subject_org_code"]:
            assert org_code_ok(row["subject_org_code"])
            assert row["subject_uscc"][8:17] == row["subject_org_code"]
        if row["subject_reg_no"]:
            assert reg_no_ok(row["subject_reg_no"]) and row["est_date"] < "2015"
        assert id_ok(row["party_id_no"])
        assert row["status"] in {"存续", "在业", "吊销", "注销", "迁出"}
    assert {row["subject_kind"] for row in registry} == {"enterprise", "individual_business",
                                                         "organization"}


def test_person_ids_match_birth_sex_region(town):
    _, _, (catalog, sources, entities, mentions) = town
    persons = [e for e in entities.values() if e["kind"] == "person"]
    ids = [p["id_no"] for p in persons]
    assert len(set(ids)) == len(ids)
    keyed = {(m["source"], m["rid"]): m["entity"] for m in mentions if m["role"] == "subject"}
    checked = 0
    for row in sources["gaj_persons"][1]:
        entity = keyed.get(("gaj_persons", row["rid"]))
        if entity is None:  # malformed on purpose: a record that names nobody
            assert not row["subject_name"] and not row["subject_id_no"]
            continue
        truth = entities[entity]
        assert id_ok(truth["id_no"])
        birth = row["subject_birth"]
        m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", birth)
        if not m:
            continue  # a malformed date
        assert truth["id_no"][6:14] == f"{int(m[1]):04d}{int(m[2]):02d}{int(m[3]):02d}"
        assert truth["id_no"][:6] == row["subject_region"]
        assert (int(truth["id_no"][16]) % 2 == 1) == (row["性别"] == "男")
        checked += 1
    assert checked > 0.95 * len(sources["gaj_persons"][1])
    # Homonyms: many persons share a name, as in real life.
    names = collections.Counter(p["name"] for p in persons)
    assert names.most_common(1)[0][1] >= 20


def test_truth_complete(town):
    _, _, (catalog, sources, entities, mentions) = town
    keyed = collections.Counter((m["source"], m["rid"], m["role"]) for m in mentions)
    assert max(keyed.values()) == 1
    missing = 0
    total = 0
    for sid, (source, rows) in sources.items():
        seen = set()
        for row in rows:
            if row["rid"] in seen:
                continue  # a duplicate rid (malformed): truth keeps the first
            seen.add(row["rid"])
            named = any(row.get(f"subject_{k}") for k in ("uscc", "reg_no", "org_code", "id_no", "name"))
            total += 1
            if named:
                missing += (sid, row["rid"], "subject") not in keyed
            party = any(row.get(f"party_{k}") for k in ("uscc", "reg_no", "org_code", "id_no", "name"))
            if party:
                assert (sid, row["rid"], "party") in keyed, (sid, row)
    assert missing == 0
    # Every truth entity appears in some mention, except the few whose only record (a person's
    # person-base row) was malformed into naming nobody.
    unmentioned = set(entities) - {m["entity"] for m in mentions}
    assert len(unmentioned) < 0.005 * len(entities)
    assert all(e.startswith("P") for e in unmentioned)


def test_noise_and_violations_are_present(town):
    _, _, (catalog, sources, entities, mentions) = town
    keyed = {(m["source"], m["rid"], m["role"]): m["entity"] for m in mentions}
    differs = 0
    no_uscc = 0
    rows_seen = 0
    for sid, (source, rows) in sources.items():
        if source["kind"] in ("registry", "person"):
            continue
        for row in rows:
            entity = keyed.get((sid, row["rid"], "subject"))
            if not entity or entities[entity]["kind"] == "person":
                continue
            rows_seen += 1
            differs += row.get("subject_name", "") != entities[entity]["name"]
            no_uscc += not row.get("subject_uscc")
    assert 0.05 < differs / rows_seen < 0.5
    assert 0.05 < no_uscc / rows_seen < 0.4
    lists = collections.Counter(row["list"] for s, rows in sources.values() if s["kind"] == "list"
                                for row in rows if row.get("list"))
    assert set(lists) == LIST_CODES
    list_rows = [row for s, rows in sources.values() if s["kind"] == "list" for row in rows]
    assert any(row.get("removed_on") for row in list_rows)
    assert any(row.get("disputed") == "true" for row in list_rows)
    penalties = [row for s, rows in sources.values() if s["kind"] == "penalty" for row in rows]
    assert {row["severity"] for row in penalties} >= {"minor", "general", "serious"}
    assert len({row["domain"] for row in penalties}) >= 4
    grades = {row["grade"] for row in sources["tax_ratings"][1]}
    assert grades == {"A", "B", "M", "C", "D"}
    assert {row["status"] for row in sources["fgw_commitments"][1]} >= {"kept", "breached"}
    # RFC 4180: free text with commas, quotes and line breaks survives a CSV round trip.
    facts = [row["违法事实"] for row in sources["amr_penalties"][1]]
    assert any("\n" in f for f in facts) and any('"' in f for f in facts)
    assert all(f.count(",") >= 1 for f in facts if f)
    roles = {row["role"] for row in sources["amr_officers"][1]}
    assert roles == {"chair", "director", "supervisor", "manager", "principal", "controller"}


def test_zero_noise_names_match_truth(tmp_path):
    rates = {k: 0.0 for k in gen.NOISE_RATES}
    gen.generate(0.0002, 3, tmp_path, threads=1, progress=False, noise=rates)
    catalog, sources, entities, mentions = load(tmp_path)
    keyed = {(m["source"], m["rid"], m["role"]): m["entity"] for m in mentions}
    for sid, (source, rows) in sources.items():
        for row in rows:
            entity = entities[keyed[(sid, row["rid"], "subject")]]
            assert row["subject_name"] == entity["name"], (sid, row)
            if row.get("subject_uscc"):
                assert row["subject_uscc"] == entity["uscc"]
            if row.get("subject_id_no"):
                assert row["subject_id_no"] == entity["id_no"]


def test_ownership_structure(town):
    """Heavy-tailed groups, majority chains of depth >= 2 and at least one ownership cycle."""
    _, _, (catalog, sources, entities, mentions) = town
    keyed = {(m["source"], m["rid"], m["role"]): m["entity"] for m in mentions}
    holders = collections.defaultdict(list)
    children = collections.Counter()
    for row in sources["amr_shareholders"][1]:
        sub = keyed.get(("amr_shareholders", row["rid"], "subject"))
        holder = keyed.get(("amr_shareholders", row["rid"], "party"))
        if sub and holder:
            holders[sub].append((holder, float(row["ratio"])))
            if holder[0] == "E":
                children[holder] += 1
    assert children.most_common(1)[0][1] >= 10  # a holding group with many subsidiaries
    depth_two = cycles = 0
    for start in holders:
        node, seen = start, [start]
        while True:
            majority = [h for h, r in holders.get(node, []) if r > 0.5]
            if not majority:
                break
            if majority[0] in seen:
                cycles += 1
                break
            node = majority[0]
            seen.append(node)
        depth_two += len(seen) >= 3
    assert depth_two > 0 and cycles > 0


def test_deterministic_across_thread_counts(tmp_path):
    def digest(folder):
        h = hashlib.sha256()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
        return h.hexdigest()
    gen.generate(0.0005, 11, tmp_path / "a", threads=1, progress=False)
    gen.generate(0.0005, 11, tmp_path / "b", threads=2, progress=False)
    gen.generate(0.0005, 12, tmp_path / "c", threads=2, progress=False)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_bad_arguments():
    with pytest.raises(InputError):
        gen.generate(0, 1, "/tmp/never", progress=False)
    with pytest.raises(InputError):
        gen.generate(0.001, 1, "/tmp/never", progress=False, noise={"nonsense": 0.1})


def test_cli(tmp_path):
    out = tmp_path / "cli"
    result = subprocess.run(
        [sys.executable, "-m", "creditgraph", "generate", "--scale", "0.0002", "--seed", "5",
         "--out", str(out), "--json"], capture_output=True, text=True,
        env={"PYTHONPATH": str(REPO / "bindings" / "python"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (out / "catalog.yaml").exists() and stats["records"] > 0
