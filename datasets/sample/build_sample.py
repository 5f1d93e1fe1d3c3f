#!/usr/bin/env python3
"""Writes the hand-written sample data set (datasets/sample/) from the story below.

The data are written by hand here; only the check characters of the codes are computed, so that
the codes are valid (or deliberately wrong where the story says). Run it after editing the story:
    python3 datasets/sample/build_sample.py
The output files are committed; nothing else runs this script.
"""
from __future__ import annotations

import csv
import io
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(first17: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def org_code(first8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    value = lambda c: int(c) if c.isdigit() else ord(c) - ord("A") + 10
    check = 11 - sum(value(c) * w for c, w in zip(first8, weights)) % 11
    return first8 + ("X" if check == 10 else "0" if check == 11 else str(check))


def id_no(first17: str) -> str:
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def reg_no(first14: str) -> str:
    product = 10
    for c in first14:
        s = (product + int(c)) % 10 or 10
        product = (2 * s) % 11
    return first14 + str((11 - product) % 10)


def org_uscc(auth_type: str, region: str, org8: str) -> tuple[str, str]:
    oc = org_code(org8)
    return uscc(auth_type + region + oc), oc


# ---- the entities (canonical truth) -------------------------------------------------------
E = {}
def ent(key, kind, name, uscc_="", idn="", **extra):
    E[key] = dict(entity=key, kind=kind, uscc=uscc_, id_no=idn, name=name, **extra)

H1_USCC, H1_OC = org_uscc("91", "370100", "MA3C0001")
E1_USCC, E1_OC = org_uscc("91", "370112", "16305821")   # founded 2008: has an old reg. no.
E2_USCC, E2_OC = org_uscc("91", "370112", "MA3C0002")
E3_USCC, E3_OC = org_uscc("91", "370102", "MA3C0003")
E4_USCC, E4_OC = org_uscc("91", "370202", "MA3C0004")
B1_USCC, B1_OC = org_uscc("91", "370112", "MA3C0005")
E6_USCC, E6_OC = org_uscc("91", "370212", "MA3C0006")
I1_USCC, I1_OC = org_uscc("92", "370102", "MA3C0007")
O1_USCC, O1_OC = org_uscc("51", "370100", "MJD00001")
E1_REG = reg_no("37011220080315")

P1_ID = id_no("37010219750312" + "031")   # 张伟, male, Jinan Lixia
P2_ID = id_no("37020219680721" + "015")   # 李强, male, Qingdao Shinan
P3_ID = id_no("37010219850930" + "042")   # 王芳, female
P4_ID = id_no("37011219900105" + "053")   # 刘洋, male
P5_ID = id_no("37021219820614" + "077")   # 张伟 again: a homonym in Qingdao Laoshan
P6_ID = id_no("37010219790808" + "026")   # 陈静, female

ent("H1", "enterprise", "山东鲁信控股集团有限公司", H1_USCC)
ent("E1", "enterprise", "济南鲁信建材有限公司", E1_USCC)
ent("E2", "enterprise", "济南鲁信商贸有限公司", E2_USCC)
ent("E3", "enterprise", "济南鲁信物流有限公司", E3_USCC)
ent("E4", "enterprise", "青岛鲁信海运有限公司", E4_USCC)
ent("B1", "enterprise", "济南鲁信建材有限公司历城分公司", B1_USCC)
ent("E6", "enterprise", "青岛海晟电子科技有限公司", E6_USCC)
ent("I1", "individual_business", "历下区王芳小吃店", I1_USCC)
ent("O1", "organization", "济南市建筑材料行业协会", O1_USCC)
ent("P1", "person", "张伟", "", P1_ID)
ent("P2", "person", "李强", "", P2_ID)
ent("P3", "person", "王芳", "", P3_ID)
ent("P4", "person", "刘洋", "", P4_ID)
ent("P5", "person", "张伟", "", P5_ID)
ent("P6", "person", "陈静", "", P6_ID)

mentions: list[tuple[str, str, str, str]] = []


def write_csv(name: str, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (HERE / name).write_bytes(buf.getvalue().encode(encoding))


def mention(source, rid, role, entity):
    mentions.append((source, rid, role, entity))


# ---- amr_registry: clean ------------------------------------------------------------------
reg_header = ["rid", "subject_uscc", "subject_reg_no", "subject_org_code", "subject_name",
              "subject_kind", "subject_region", "subject_address", "subject_phone", "party_name",
              "party_id_no", "party_kind", "status", "est_date", "reg_capital", "industry"]
ADDR_LX = "济南市历城区工业北路88号"
reg_rows = [
    ["R1", H1_USCC, "", H1_OC, "山东鲁信控股集团有限公司", "enterprise", "370100",
     "济南市历下区经十路100号", "0531-88001234", "李强", P2_ID, "person", "存续", "2016-04-01", "10000", "7212"],
    ["R2", E1_USCC, E1_REG, E1_OC, "济南鲁信建材有限公司", "enterprise", "370112", ADDR_LX,
     "0531-88665432", "张伟", P1_ID, "person", "存续", "2008-03-15", "2000", "5165"],
    ["R3", E2_USCC, "", E2_OC, "济南鲁信商贸有限公司", "enterprise", "370112", ADDR_LX,
     "0531-88665432", "张伟", P1_ID, "person", "存续", "2017-09-20", "500", "5191"],
    ["R4", E3_USCC, "", E3_OC, "济南鲁信物流有限公司", "enterprise", "370102",
     "济南市历下区解放路20号", "0531-86001111", "张伟", P1_ID, "person", "存续", "2019-06-03", "300", "5430"],
    ["R5", E4_USCC, "", E4_OC, "青岛鲁信海运有限公司", "enterprise", "370202",
     "青岛市市南区香港中路36号", "0532-85551234", "刘洋", P4_ID, "person", "存续", "2018-11-11", "800", "5521"],
    ["R6", B1_USCC, "", B1_OC, "济南鲁信建材有限公司历城分公司", "enterprise", "370112",
     "济南市历城区华山路5号", "0531-88665432", "刘洋", P4_ID, "person", "存续", "2020-02-18", "", "5165"],
    ["R7", E6_USCC, "", E6_OC, "青岛海晟电子科技有限公司", "enterprise", "370212",
     "青岛市崂山区株洲路151号", "0532-88889999", "张伟", P5_ID, "person", "存续", "2015-12-01", "1000", "3971"],
    ["R8", I1_USCC, "", "", "历下区王芳小吃店", "individual_business", "370102",
     "济南市历下区泉城路9号", "13805310000", "王芳", P3_ID, "person", "存续", "2016-05-20", "5", "6210"],
    ["R9", O1_USCC, "", O1_OC, "济南市建筑材料行业协会", "organization", "370100",
     "济南市市中区纬二路51号", "0531-82001234", "陈静", P6_ID, "person", "存续", "2012-07-01", "", "9521"],
]
write_csv("amr_registry.csv", reg_header, reg_rows)
subj = ["H1", "E1", "E2", "E3", "E4", "B1", "E6", "I1", "O1"]
party = ["P2", "P1", "P1", "P1", "P4", "P4", "P5", "P3", "P6"]
for row, s, p in zip(reg_rows, subj, party):
    mention("amr_registry", row[0], "subject", s)
    mention("amr_registry", row[0], "party", p)

# ---- person base (public security): GB18030, Chinese column names -------------------------
person_rows = [
    ["PB1", "张伟", P1_ID, "1975年3月12日", "370102"],
    ["PB2", "李强", P2_ID, "1968年7月21日", "370202"],
    ["PB3", "王芳", P3_ID, "1985年9月30日", "370102"],
    ["PB4", "刘洋", P4_ID, "1990年1月5日", "370112"],
    ["PB5", "张伟", P5_ID, "1982年6月14日", "370212"],
    ["PB6", "陈静", P6_ID, "1979年8月8日", "370102"],
]
write_csv("gaj_persons.csv", ["编号", "姓名", "公民身份号码", "出生日期", "户籍地"], person_rows,
          encoding="gb18030")
for row, p in zip(person_rows, ["P1", "P2", "P3", "P4", "P5", "P6"]):
    mention("gaj_persons", row[0], "subject", p)

# ---- shareholders: the holding chain P2 -> H1 -> E1 -> E4 (majorities at every step) -----
sh_header = ["rid", "subject_uscc", "subject_name", "party_uscc", "party_id_no", "party_name",
             "party_kind", "ratio", "amount"]
sh_rows = [
    ["S1", H1_USCC, "山东鲁信控股集团有限公司", "", P2_ID, "李强", "person", "0.6", "6000"],
    ["S2", H1_USCC, "山东鲁信控股集团有限公司", "", P1_ID, "张伟", "person", "0.4", "4000"],
    ["S3", E1_USCC, "济南鲁信建材有限公司", H1_USCC, "", "山东鲁信控股集团有限公司", "enterprise", "0.7", "1400"],
    ["S4", E1_USCC, "济南鲁信建材有限公司", "", P1_ID, "张伟", "person", "0.3", "600"],
    ["S5", E4_USCC, "青岛鲁信海运有限公司", E1_USCC, "", "济南鲁信建材有限公司", "enterprise", "0.51", "408"],
    ["S6", E4_USCC, "青岛鲁信海运有限公司", "", P4_ID, "刘洋", "person", "0.49", "392"],
    ["S7", E2_USCC, "济南鲁信商贸有限公司", "", P1_ID, "张伟", "person", "1", "500"],
    ["S8", E3_USCC, "济南鲁信物流有限公司", H1_USCC, "", "山东鲁信控股集团有限公司", "enterprise", "0.5", "150"],
    ["S9", E3_USCC, "济南鲁信物流有限公司", "", P1_ID, "张伟", "person", "0.5", "150"],
    ["S10", E6_USCC, "青岛海晟电子科技有限公司", "", P5_ID, "张伟", "person", "1", "1000"],
]
write_csv("amr_shareholders.csv", sh_header, sh_rows)
for row, s, p in zip(sh_rows, ["H1", "H1", "E1", "E1", "E4", "E4", "E2", "E3", "E3", "E6"],
                     ["P2", "P1", "H1", "P1", "E1", "P4", "P1", "H1", "P1", "P5"]):
    mention("amr_shareholders", row[0], "subject", s)
    mention("amr_shareholders", row[0], "party", p)

# ---- officers: every role, principal and declared controller --------------------------------
of_rows = [
    ["O1", E1_USCC, "济南鲁信建材有限公司", P1_ID, "张伟", "chair"],
    ["O2", E1_USCC, "济南鲁信建材有限公司", P4_ID, "刘洋", "manager"],
    ["O3", E1_USCC, "济南鲁信建材有限公司", P6_ID, "陈静", "supervisor"],
    ["O4", H1_USCC, "山东鲁信控股集团有限公司", P2_ID, "李强", "chair"],
    ["O5", H1_USCC, "山东鲁信控股集团有限公司", P1_ID, "张伟", "director"],
    ["O6", E6_USCC, "青岛海晟电子科技有限公司", P5_ID, "张伟", "principal"],
    ["O7", E6_USCC, "青岛海晟电子科技有限公司", P5_ID, "张伟", "controller"],
    ["O8", E4_USCC, "青岛鲁信海运有限公司", P4_ID, "刘洋", "manager"],
]
write_csv("amr_officers.csv", ["rid", "subject_uscc", "subject_name", "party_id_no", "party_name", "role"], of_rows)
for row, s, p in zip(of_rows, ["E1", "E1", "E1", "H1", "H1", "E6", "E6", "E4"],
                     ["P1", "P4", "P6", "P2", "P1", "P5", "P5", "P4"]):
    mention("amr_officers", row[0], "subject", s)
    mention("amr_officers", row[0], "party", p)

# ---- branches ---------------------------------------------------------------------------
write_csv("amr_branches.csv", ["rid", "subject_uscc", "subject_name", "party_uscc", "party_name"],
          [["BR1", B1_USCC, "济南鲁信建材有限公司历城分公司", E1_USCC, "济南鲁信建材有限公司"]])
mention("amr_branches", "BR1", "subject", "B1")
mention("amr_branches", "BR1", "party", "E1")

# ---- guarantees (banking regulator): JSONL -------------------------------------------------
guarantees = [
    {"rid": "G1", "subject_uscc": E2_USCC, "subject_name": "济南鲁信商贸有限公司",
     "party_uscc": E1_USCC, "party_name": "济南鲁信建材有限公司", "amount": 3000000,
     "start": "2023-01-10", "end": "2026-01-09"},
    {"rid": "G2", "subject_uscc": E3_USCC, "subject_name": "济南鲁信物流有限公司",
     "party_uscc": E2_USCC, "party_name": "济南鲁信商贸有限公司", "amount": 1000000,
     "start": "2024/3/1", "end": "2027/2/28"},
]
(HERE / "cbirc_guarantees.jsonl").write_text(
    "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in guarantees), encoding="utf-8")
for g, s, p in zip(guarantees, ["E2", "E3"], ["E1", "E2"]):
    mention("cbirc_guarantees", g["rid"], "subject", s)
    mention("cbirc_guarantees", g["rid"], "party", p)

# ---- court lists: the blacklisting; the court knows E1 by its old reg. no. -------------------
write_csv("court_dishonest.csv",
          ["rid", "subject_reg_no", "subject_name", "subject_kind", "party_name", "party_id_no",
           "list", "listed_on", "removed_on", "disputed", "case_no", "reason"],
          [["C1", E1_REG, "济南鲁信建材有限责任公司", "enterprise", "张伟", P1_ID,
            "court_dishonest_debtor", "2025/9/1", "", "false", "（2025）鲁0112执1234号",
            "有履行能力而拒不履行生效法律文书确定义务"]])
mention("court_dishonest", "C1", "subject", "E1")
mention("court_dishonest", "C1", "party", "P1")

# ---- market-regulation lists: credit repair, escalation, red list ---------------------------
amr_list_rows = [
    # credit repair: listed 2022, removed 2023 after the annual report was filed
    ["L1", E3_USCC, "济南鲁信物流有限公司", "amr_abnormal_operation", "2022-05-10", "2023-02-01", "false",
     "未按规定报送年度报告"],
    # older than three years and never removed: escalates to amr_serious_illegal on 2024-03-01
    ["L2", I1_USCC, "历下区王芳小吃店", "amr_abnormal_operation", "2021-03-01", "", "false",
     "通过登记的住所或者经营场所无法联系"],
    ["L3", E6_USCC, "青岛海晟电子科技有限公司", "contract_honoring", "2024-06-01", "", "false",
     "守合同重信用企业（2023年度）"],
]
write_csv("amr_lists.csv", ["rid", "subject_uscc", "subject_name", "list", "listed_on", "removed_on",
                            "disputed", "reason"], amr_list_rows)
for row, s in zip(amr_list_rows, ["E3", "I1", "E6"]):
    mention("amr_lists", row[0], "subject", s)

# ---- human resources: a disputed wage-arrears entry (objection open) -----------------------
write_csv("hrss_wage_arrears.csv",
          ["rid", "subject_uscc", "subject_name", "list", "listed_on", "removed_on", "disputed", "reason"],
          [["W1", E2_USCC, "济南鲁信商贸有限公司", "labor_wage_arrears", "2026-03-15", "", "true",
            "拖欠农民工工资（异议审查中）"]])
mention("hrss_wage_arrears", "W1", "subject", "E2")

# ---- tax: ratings with the tax bureau's own column names and 20160805 dates -----------------
tax_rows = [
    ["T1", E1_USCC, "济南鲁信建材有限公司", "tax", "D", "20250415"],
    ["T2", E2_USCC, "济南鲁信商贸有限公司", "tax", "B", "20250415"],
    ["T3", E6_USCC, "青岛海晟电子科技有限公司", "tax", "A", "20250415"],
    ["T4", E3_USCC, "济南鲁信物流公司", "tax", "M", "20250415"],
]
write_csv("tax_ratings.csv", ["记录编号", "纳税人识别号", "纳税人名称", "评价体系", "信用级别", "评定日期"], tax_rows)
for row, s in zip(tax_rows, ["E1", "E2", "E6", "E3"]):
    mention("tax_ratings", row[0], "subject", s)
write_csv("tax_lists.csv", ["rid", "subject_uscc", "subject_name", "list", "listed_on", "removed_on", "disputed"],
          [["TL1", E6_USCC, "青岛海晟电子科技有限公司", "tax_a", "2025-04-15", "", "false"]])
mention("tax_lists", "TL1", "subject", "E6")

# ---- penalties from three departments --------------------------------------------------------
pen_rows = [
    ["PN1", E1_USCC, "济南鲁信建材有限公司", "济历城市监罚〔2024〕88号", "2024-08-20", "serious", "200000",
     "market", "2027-08-20"],
    ["PN2", E3_USCC, "济南 鲁信物流有限公司", "济环罚〔2025〕12号", "2025年1月8日", "general", "50000",
     "environment", "2026-01-08"],
    ["PN3", "", "历下区王芳小吃店", "济历下市监罚〔2023〕5号", "2023-06-01", "minor", "2000", "food", "2023-09-01"],
]
write_csv("penalties.csv", ["rid", "subject_uscc", "subject_name", "decision_no", "decided_on", "severity",
                            "amount", "domain", "publicity_until"], pen_rows)
for row, s in zip(pen_rows, ["E1", "E3", "I1"]):
    mention("penalties", row[0], "subject", s)

# ---- licences and commitments ---------------------------------------------------------------
write_csv("licenses.csv", ["rid", "subject_uscc", "subject_name", "license_no", "granted_on",
                           "valid_until", "domain"],
          [["LC1", E4_USCC, "青岛鲁信海运有限公司", "鲁交运管许可青字370202000123号", "2019-01-15", "2029-01-14", "transport"],
           ["LC2", I1_USCC, "历下区王芳小吃店", "JY23701020012345", "2016-06-01", "2021-05-31", "food"]])
mention("licenses", "LC1", "subject", "E4")
mention("licenses", "LC2", "subject", "I1")
write_csv("commitments.csv", ["rid", "subject_uscc", "subject_name", "made_on", "topic", "status"],
          [["CM1", E1_USCC, "济南鲁信建材有限公司", "2023-03-01", "环保达标承诺", "breached"],
           ["CM2", O1_USCC, "济南市建筑材料行业协会", "2024-01-10", "行业自律承诺", "kept"],
           ["CM3", E6_USCC, "青岛海晟电子科技有限公司", "2025-05-05", "信用修复承诺", "pending"]])
for rid, s in [("CM1", "E1"), ("CM2", "O1"), ("CM3", "E6")]:
    mention("commitments", rid, "subject", s)

# ---- catalog -------------------------------------------------------------------------------
CATALOG = """\
name: sample-luxin
as_of: 2026-06-30
sources:
  - {id: amr_registry, kind: registry, path: amr_registry.csv, format: csv, encoding: utf-8, authority: 市场监督管理局}
  - id: gaj_persons
    kind: person
    path: gaj_persons.csv
    format: csv
    encoding: gb18030
    authority: 公安厅
    columns: {rid: 编号, subject_name: 姓名, subject_id_no: 公民身份号码, subject_birth: 出生日期, subject_region: 户籍地}
  - {id: amr_shareholders, kind: shareholder, path: amr_shareholders.csv, format: csv, encoding: utf-8, authority: 市场监督管理局}
  - {id: amr_officers, kind: officer, path: amr_officers.csv, format: csv, encoding: utf-8, authority: 市场监督管理局}
  - {id: amr_branches, kind: branch, path: amr_branches.csv, format: csv, encoding: utf-8, authority: 市场监督管理局}
  - {id: cbirc_guarantees, kind: guarantee, path: cbirc_guarantees.jsonl, format: jsonl, encoding: utf-8, authority: 国家金融监督管理总局山东监管局}
  - {id: court_dishonest, kind: list, path: court_dishonest.csv, format: csv, encoding: utf-8, authority: 山东省高级人民法院}
  - {id: amr_lists, kind: list, path: amr_lists.csv, format: csv, encoding: utf-8, authority: 市场监督管理局}
  - {id: hrss_wage_arrears, kind: list, path: hrss_wage_arrears.csv, format: csv, encoding: utf-8, authority: 人力资源和社会保障厅}
  - id: tax_ratings
    kind: rating
    path: tax_ratings.csv
    format: csv
    encoding: utf-8
    authority: 国家税务总局山东省税务局
    columns: {rid: 记录编号, subject_uscc: 纳税人识别号, subject_name: 纳税人名称, scheme: 评价体系, grade: 信用级别, rated_on: 评定日期}
  - {id: tax_lists, kind: list, path: tax_lists.csv, format: csv, encoding: utf-8, authority: 国家税务总局山东省税务局}
  - {id: penalties, kind: penalty, path: penalties.csv, format: csv, encoding: utf-8, authority: 各行政执法部门（双公示）}
  - {id: licenses, kind: license, path: licenses.csv, format: csv, encoding: utf-8, authority: 各行政许可部门（双公示）}
  - {id: commitments, kind: commitment, path: commitments.csv, format: csv, encoding: utf-8, authority: 发展和改革委员会}
"""
(HERE / "catalog.yaml").write_text(CATALOG, encoding="utf-8")

# ---- truth ---------------------------------------------------------------------------------
(HERE / "truth").mkdir(exist_ok=True)
write_csv("truth/entities.csv", ["entity", "kind", "uscc", "id_no", "name"],
          [[e["entity"], e["kind"], e["uscc"], e["id_no"], e["name"]] for e in E.values()])
write_csv("truth/mentions.csv", ["source", "rid", "role", "entity"], [list(m) for m in mentions])
print(f"wrote {len(E)} entities, {len(mentions)} mentions")
