"""Second generality sweep: entity resolution on a data set in styles our generator never writes.

tests/data/unseen2/make_province.py writes it (seeded, pure Python, independent of datasets/):
brackets in full and half width around regions, forms and branches, form synonyms, regions in
full, short, in brackets or dropped, traditional characters, Latin letters and digits, renamed
companies, individual businesses named by their operator, branches, sister companies and
same-name companies of other cities, ethnic minority and compound names, codes and ID numbers in
every spelling, 15-digit ID numbers only, addresses and phones of many spellings, departments that
send only a name and a region. Its truth/ says which entity each mention is, and styles.csv how
each mention was written (docs/sweep2.md).

The thresholds: precision >= 0.99 per class (a wrong merge punishes an innocent company or
person) and in fact 1.0 on this data set, whose confusable entities are all told apart by
region, code, industry word or birth; recall thresholds sit just under what the engine measures
after this session's fixes (docs/sweep2.md gives the figures), so that a regression fails.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import creditgraph as cg
from creditgraph import ingest as ingest_api
from creditgraph import resolve as er
from creditgraph import text

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "tests" / "data" / "unseen2" / "make_province.py"

# Measured (docs/sweep2.md): before this session's fixes organizations P 1.0 R 0.9604, persons P 1.0
# R 0.9429; after them P 1.0 and R 1.0 for both. The recall thresholds leave a little room below,
# so that a change that splits a few mentions of one style fails test_style_is_resolved first.
MIN_RECALL = {"organizations": 0.995, "persons": 0.995}
MIN_PRECISION = 0.99


def _writer():
    spec = importlib.util.spec_from_file_location("make_province", WRITER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def writer():
    return _writer()


@pytest.fixture(scope="module")
def dataset(writer, tmp_path_factory):
    out = tmp_path_factory.mktemp("unseen2") / "province"
    writer.write(writer.build(7), out, 7)
    return out


@pytest.fixture(scope="module")
def eng(dataset, tmp_path_factory):
    return cg.build(dataset, tmp_path_factory.mktemp("unseen2db") / "db", progress=False)


@pytest.fixture(scope="module")
def joined(eng, dataset):
    """Every truth mention with the engine's entity, its truth entity and its style."""
    mentions = eng.mentions()[["source", "rid", "role", "entity_id"]]
    truth = pd.read_csv(dataset / "truth" / "mentions.csv", dtype=str)
    styles = pd.read_csv(dataset / "truth" / "styles.csv", dtype=str)
    frame = truth.merge(styles, on=["source", "rid", "role"]).merge(
        mentions, on=["source", "rid", "role"], how="left")
    # The entity a truth entity mostly went to; a mention elsewhere is split off it.
    main = frame.groupby("entity")["entity_id"].agg(lambda ids: ids.value_counts().index[0])
    frame["split"] = frame["entity_id"] != frame["entity"].map(main)
    frame["merged"] = frame["entity_id"].map(frame.groupby("entity_id")["entity"].nunique()) > 1
    return frame


# ----------------------------------------------------------------------------- the writer
def test_writer_is_deterministic_and_its_codes_are_valid(writer, dataset, tmp_path):
    again = tmp_path / "again"
    writer.write(writer.build(7), again, 7)
    for path in sorted(dataset.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(dataset)).read_bytes() == path.read_bytes(), path.name
    entities = pd.read_csv(dataset / "truth" / "entities.csv", dtype=str, keep_default_na=False)
    orgs, persons = entities[entities["kind"] != "person"], entities[entities["kind"] == "person"]
    # the writer's own check characters agree with the engine's validators (both from the standards)
    assert cg.ids.check_uscc(orgs["uscc"])["status"].astype(str).eq("valid").all()
    assert cg.ids.check_id_number(persons["id_no"], today="2026-06-30")["status"].astype(str).eq("valid").all()
    registry = pd.read_csv(dataset / "amr_registry.csv", dtype=str, keep_default_na=False)
    reg_nos = registry.loc[registry["注册号"] != "", "注册号"]
    assert len(reg_nos) > 50 and cg.ids.check_reg_no(reg_nos)["status"].astype(str).eq("valid").all()
    history = pd.read_csv(dataset / "amr_history.csv", dtype=str, keep_default_na=False)
    org_codes = history.loc[history["subject_org_code"] != "", "subject_org_code"]
    assert len(org_codes) > 20 and cg.ids.check_org_code(org_codes)["status"].astype(str).eq("valid").all()
    assert len(entities) > 700 and entities["entity"].is_unique


# ----------------------------------------------------------------------------- accounting
def test_every_record_is_loaded_or_quarantined_and_every_side_is_a_mention(eng, dataset, joined):
    counts = ingest_api.counts(eng.db_path).set_index("source")
    assert (counts["read"] == counts["loaded"] + counts["quarantined"]).all()
    assert counts["read"].sum() > 2500
    quarantine = eng.quarantine()
    assert sorted(zip(quarantine["source"], quarantine["rid"], quarantine["field"])) == [
        ("env_lists", "ENVBAD1", "subject"), ("env_lists", "ENVBAD2", "listed_on")]
    assert (quarantine["reason"].str.len() > 10).all()
    # every side of every loaded record is a mention of an entity, and the truth names each one
    mentions = eng.mentions()
    assert mentions["entity_id"].notna().all()
    assert joined["entity_id"].notna().all(), joined[joined["entity_id"].isna()].head()
    assert len(mentions) == len(joined)


# ----------------------------------------------------------------------------- accuracy
def test_precision_and_recall_per_class(eng, dataset):
    scores = er.evaluate(eng.mentions(), dataset / "truth")
    assert scores.loc["all", "unmatched"] == 0
    for klass in ("organizations", "persons"):
        assert scores.loc[klass, "precision"] >= MIN_PRECISION, scores
        assert scores.loc[klass, "recall"] >= MIN_RECALL[klass], scores
    # no entity mixes an organization's mentions with a person's
    assert scores.loc["all", "precision"] >= MIN_PRECISION


def test_no_wrong_merge_of_confusable_entities(joined):
    """Sisters (same trade name, other industry, same legal representative), same names in other
    cities, names one character apart, branches and their parents, namesakes: never one entity."""
    assert not joined["merged"].any(), joined[joined["merged"]][["source", "rid", "entity", "entity_id", "style"]]


# Styles left for the lead; every other style is resolved in full (none left on this data set).
LEFT_FOR_THE_LEAD: set[str] = set()
# Styles that were split before this session's fixes (docs/sweep2.md): each is named so that a
# regression says which spelling broke.
FIXED_STYLES = [
    "court_rep_name_only", "license_name_address_phone_branch_bracket",
    "license_name_address_phone_branch_place_full", "license_name_address_phone_business_bracket",
    "name_region_annotation_old_name", "name_region_annotation_status", "name_region_branch_bracket",
    "name_region_branch_hyphen", "name_region_branch_place_full", "name_region_business_bracket",
    "name_region_group_bracket", "name_region_organization_traditional", "name_region_region_bracket",
    "name_region_retired_region_code", "name_region_trailing_punctuation", "officer_person_compound_no_id",
    "officer_person_ethnic_dot_no_id", "officer_person_plain_no_id", "officer_person_spaces_no_id",
    "person_name_region_compound", "person_name_region_ethnic_dot", "person_name_region_id15",
    "person_name_region_plain", "person_name_region_spaces", "person_name_region_trailing_punctuation",
    "registry",
]


@pytest.mark.parametrize("style", FIXED_STYLES)
def test_style_is_resolved(joined, style):
    rows = joined[joined["style"] == style]
    assert len(rows) > 0, style
    assert not rows["split"].any(), rows[rows["split"]][["source", "rid", "role", "entity", "entity_id"]]


def test_every_other_style_is_resolved(joined):
    rows = joined[~joined["style"].isin(LEFT_FOR_THE_LEAD)]
    assert joined["style"].nunique() > 60
    assert not rows["split"].any(), rows[rows["split"]][["source", "rid", "role", "entity", "style"]]


def test_retired_region_codes_are_their_successors(eng, joined):
    """莱城区 371202 (retired 2019, now 济南市莱芜区 370116) read by ingest as its successor: the
    name-only mentions that carry it meet their company; the code as sent is kept and flagged."""
    rows = joined[joined["style"] == "name_region_retired_region_code"]
    assert len(rows) > 0
    assert not rows["split"].any()
    penalties = ingest_api.records(eng.db_path, "penalty", "cg_penalties").set_index("rid")
    sent = penalties.loc[rows["rid"]]
    assert (sent["subject_region"] == "370116").all()
    assert sent["flags"].str.contains("371202").all() and sent["attrs"].str.contains("371202").all()


def test_cli_build_agrees_with_the_python_api(eng, dataset, tmp_path):
    db = tmp_path / "cli_db"
    env = {"PYTHONPATH": str(ROOT / "bindings" / "python"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "creditgraph", "build", str(dataset), "--db", str(db)],
                   check=True, capture_output=True, env=env)
    cli = er.evaluate(cg.open(db).mentions(), dataset / "truth")
    python = er.evaluate(eng.mentions(), dataset / "truth")
    for klass in ("organizations", "persons"):
        assert cli.loc[klass, "precision"] == pytest.approx(python.loc[klass, "precision"])
        assert cli.loc[klass, "recall"] == pytest.approx(python.loc[klass, "recall"])


# ----------------------------------------------------------------------------- hand-made cases
@pytest.mark.parametrize("a,b", [
    ("淄博鑫源商贸有限公司（济南分公司）", "淄博鑫源商贸有限公司济南分公司"),   # branch in brackets
    ("淄博鑫源商贸有限公司(历下营业部)", "淄博鑫源商贸有限公司历下营业部"),
    ("淄博鑫源商贸有限公司-济南分公司", "淄博鑫源商贸有限公司济南分公司"),     # after a hyphen
    ("鑫源商贸（淄博桓台）有限公司", "淄博桓台鑫源商贸有限公司"),             # two levels in brackets
    ("鑫源商贸(济南历下)有限公司", "济南市历下区鑫源商贸有限公司"),
    ("刘思浩（个体工商户）", "刘思浩"),                                     # business by its operator
    ("济南市中丰化工有限公司", "济南中丰化工有限公司"),                        # 济南市 + 中丰, not 市中区 + 丰
    ("济南abc信息技术有限责任公司", "济南ＡＢＣ信息技术有限公司"),
    ("青岛3d打印科技有限公司", "青岛３Ｄ打印科技有限公司"),
    ("濟南 鑫源 商貿 有限責任公司", "济南鑫源商贸有限公司"),
    ("济南鑫源投资管理（普通合伙）", "济南鑫源投资管理合伙企业(普通合伙)"),
    ("济南鑫源投资管理普通合伙企业", "济南鑫源投资管理合伙企业（普通合伙）"),
    ("山东鲁能（集团）有限公司", "山东鲁能集团有限公司"),                     # 集团 in brackets
    ("济南鑫源商贸有限公司（已注销）", "济南鑫源商贸有限公司"),                 # a status appended
    ("济南鑫源商贸有限公司(吊销未注销)", "济南鑫源商贸有限公司"),
    ("济南鑫源商贸有限公司（原济南鑫缘商贸有限公司）", "济南鑫源商贸有限公司"),    # the old name appended
    ("莱芜鑫源商贸有限公司", "莱芜市鑫源商贸有限公司"),                       # a prefecture until 2019
])
def test_hand_same_organization_same_key(a, b):
    assert text.org_name_key([a, b])[0] == text.org_name_key([a, b])[1]
    assert text.normalize_org_name([a, b], parts=False).nunique() == 1


@pytest.mark.parametrize("a,b", [
    ("淄博鑫源商贸有限公司（济南分公司）", "淄博鑫源商贸有限公司"),     # a branch is not its parent
    ("淄博鑫源商贸有限公司（济南分公司）", "淄博鑫源商贸有限公司（青岛分公司）"),
    ("济南鑫源商贸有限公司", "济南鑫缘商贸有限公司"),                  # one character apart
    ("济南鑫源商贸有限公司", "青岛鑫源商贸有限公司"),                  # same name, other city
    ("济南鑫源化工有限公司", "济南鑫源物流有限公司"),                  # sister companies
    ("济南鑫源投资管理合伙企业（普通合伙）", "济南鑫源投资管理合伙企业（有限合伙）"),
])
def test_hand_different_organizations_different_canonical(a, b):
    assert text.normalize_org_name([a, b], parts=False).nunique() == 2


def _classes(names):
    records = pd.DataFrame({"source": "pen", "rid": [f"P{i}" for i in range(len(names))], "kind": "penalty",
                            "subject_name": names, "subject_region": "370102"})
    mentions = er.resolve(records=records).mentions().set_index("rid")
    return [mentions.loc[f"P{i}", "class"] for i in range(len(names))]


@pytest.mark.parametrize("a,b", [
    ("努尔兰 热合曼", "努尔兰·热合曼"), ("古丽娜尔　阿不都拉", "古丽娜尔‧阿不都拉"), ("买买提.艾力", "买买提・艾力"),
    ("司 徒 鹏 明", "司徒鹏明"), ("歐陽娜娜", "欧阳娜娜"),
])
def test_hand_same_person_name(a, b):
    assert text.normalize_person_name([a])[0] == text.normalize_person_name([b])[0]


def test_hand_different_person_names():
    assert len(set(text.normalize_person_name(["欧阳 娜娜", "欧阳·娜娜", "张三", "张 三丰"]))) == 4


def test_hand_names_without_kind_get_the_right_class():
    persons = ["司徒鹏明", "司马光", "郑中超", "刘心思", "孙心", "努尔兰·库尔班", "帕提古丽•司马义", "阿依古丽‧吐尔洪",
               "买买提・艾力", "艾力.买买提"]
    organizations = ["刘思浩（个体工商户）", "历下区刘思浩", "华联超市", "济南ABC信息技术有限公司",
                     "淄博鑫源商贸有限公司（济南分公司）"]
    assert _classes(persons + organizations) == ["person"] * len(persons) + ["organization"] * len(organizations)


def _field_level(a: dict, b: dict, field: str) -> str:
    base = {"source": "s", "kind": "penalty", "subject_name": "济南鑫源商贸有限公司", "subject_region": "370102"}
    records = pd.DataFrame([{**base, "rid": "A", **a}, {**base, "rid": "B", **b}])
    explained = er.resolve(records=records).explain_link("s/A/subject", "s/B/subject")
    return next(f["level_name"] for f in explained["fields"] if f["field"] == field)


@pytest.mark.parametrize("address", ["山东省济南市历下区经十路100号", "历下区经十路一〇〇号", "濟南市歷下區經十路１００號",
                                     "济南市历下区经十路一百号"])
def test_hand_addresses_of_one_place_are_equal(address):
    assert _field_level({"subject_address": "济南市历下区经十路100号"}, {"subject_address": address},
                        "address") == "equal"


@pytest.mark.parametrize("phone", ["+86 531 8888 1234", "0531-88881234转808", "88881234"])
def test_hand_phones_of_one_number_are_equal(phone):
    assert _field_level({"subject_phone": "(0531)88881234"}, {"subject_phone": phone}, "phone") == "equal"


# ----------------------------------------------------------------------------- queries
def test_find_by_a_name_written_another_way(eng, dataset):
    """An analyst types the name as they know it: another middle dot, no dot, full-width letters,
    traditional characters, spaces. find() matched the display name's exact characters."""
    entities = eng.entities()
    ethnic = entities[(entities["kind"] == "person") & entities["name"].str.contains("[·•‧・.]", regex=True)]
    assert len(ethnic) > 3
    for name in ethnic["name"].head(4):
        base = name
        for dot in "·•‧・.":
            base = base.replace(dot, "·")
        for query in (base, base.replace("·", "•"), base.replace("·", "・"), base.replace("·", "")):
            assert name in set(eng.find(query)["name"]), (query, name)
    latin = entities[entities["name"].str.contains("ABC|abc|ＡＢＣ", regex=True, na=False)]["name"].iloc[0]
    assert latin in set(eng.find("abc")["name"]) and latin in set(eng.find("ＡＢＣ")["name"])
    company = entities[entities["name"].str.contains("华", na=False) & (entities["kind"] == "enterprise")]["name"].iloc[0]
    assert company in set(eng.find(company.replace("华", "華"))["name"])
    assert company in set(eng.find(" ".join(company))["name"])


def test_quarantine_masks_id_numbers_written_with_spaces_hyphens_or_full_width(tmp_path):
    """Privacy: a quarantined row prints its ID number masked however the department typed it."""
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "catalog.yaml").write_text("name: q\nas_of: 2026-06-30\nsources:\n"
                                         "  - {id: env_lists, kind: list, path: env_lists.csv}\n", encoding="utf-8")
    (folder / "env_lists.csv").write_text(
        "rid,subject_name,subject_id_no,list,listed_on,reason\n"
        "A,张三,370102 19800101 0015,env_serious,2025-02-30,x\n"
        "B,李四,３７０１０２１９８００１０１００１５,env_serious,bad,x\n"
        "C,王五,370102800101001,env_serious,bad,身份证370102-19800101-0015\n"
        "D,赵六,370102198001010015,env_serious,bad,电话0531-88881234-808\n", encoding="utf-8")
    ingest_api.ingest(str(folder), str(tmp_path / "db"), progress=False)
    quarantine = ingest_api.quarantine(str(tmp_path / "db"))
    text = " ".join(quarantine["raw"]) + " ".join(quarantine["reason"])
    assert len(quarantine) == 4
    for full in ("19800101", "１９８００１０１", "800101001"):
        assert full not in text, text
    assert "0531-88881234-808" in text  # a phone number is not an ID number
    assert "370102********0015" in text


def test_report_scrub_masks_id_numbers_written_with_spaces_hyphens_or_full_width():
    from creditgraph import privacy

    text = privacy.scrub_text("身份证 370102 19800101 0015, ３７０１０２１９８００１０１００１５, 370102-800101-001, "
                              "电话0531-88881234-808, 370102198001010015")
    for full in ("19800101", "１９８００１０１", "800101"):
        assert full not in text, text
    assert "0531-88881234-808" in text and text.count("370102********0015") == 3
