#!/usr/bin/env python3
"""An independent province-like data set in styles the CreditGraph generator never writes.

    python3 tests/data/unseen2/make_province.py OUT_DIR [--seed 7]

Pure Python, deterministic for a seed, no dependence on `datasets/` or on the engine: the check
characters are computed here from the standards (GB 32100, GB 11714, GB 11643, GB/T 17710
MOD 11,10). Writes `OUT_DIR/catalog.yaml`, one file per source, and `OUT_DIR/truth/`
(`entities.csv`, `mentions.csv`, shared/spec/catalog.md section 6), plus
`OUT_DIR/truth/styles.csv` (source, rid, role, style): which style each mention was written in,
so that a test can measure precision and recall per style.

The styles (docs/sweep2.md lists them with what the engine made of each):

  organizations  brackets full or half width around region, form and branch (（分公司）, (普通合伙));
                 有限责任公司 / 有限公司, 股份有限公司 / 股份公司; region prefix in full (山东省济南市),
                 short (济南), in brackets after the trade name (鑫源商贸（济南）有限公司) or dropped
                 with the region given in its own field; traditional characters; spaces; Latin
                 letters and digits in the trade name in any case and width (ABC科技, ａｂｃ科技, 3D打印);
                 old names after a rename (with the old codes of an old extract); individual
                 businesses named by their operator (张伟 / 张伟（个体工商户）); branches written with
                 the branch in brackets; sister companies and same-name companies of other cities
                 (distinct entities that must stay apart);
  codes          upper or lower case, spaces, hyphens, full width; old registration numbers and
                 organization codes only; 15-digit ID numbers only;
  persons        compound surnames (欧阳, 司马, 诸葛 ...); names of ethnic minorities with the middle
                 dot written ·, •, ‧, ・, '.' or a space; namesakes (same name, other person);
  addresses      号 / 號, numerals in Chinese or Arabic, province and city prefix or not, floor added;
  phones         +86, 86-, area code with or without brackets, extensions (转 808, -808, ext.808);
  departments    that send only a name and a region (penalties), or only a name (a county's list).

The truth is what a careful human with the whole data set in front of them would say: mentions
with one code are one entity; a name-only mention is the entity that name (read past the styles
above) and its region fit, and there is always exactly one such entity for the mentions written
here — the deliberately confusable entities (sisters, same names in other cities, namesakes)
are told apart by region, code or birth date in every mention that names them.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
from pathlib import Path

# ---------------------------------------------------------------------------- check characters
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def org_code_check(first8: str) -> str:
    """GB 11714: C9 = 11 - sum(Ci*Wi) mod 11 (10 -> X, 11 -> 0)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(first8, ORG_WEIGHTS))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def uscc_check(first17: str) -> str:
    """GB 32100: check = 31 - sum(Ci*Wi) mod 31 over the 31-character alphabet."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def id_check(first17: str) -> str:
    """GB 11643: ISO 7064 MOD 11-2."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def reg_no_check(first14: str) -> str:
    """GB/T 17710 hybrid MOD 11,10 (the 15th digit of the old registration number)."""
    product = 10
    for ch in first14:
        s = (product + int(ch)) % 10
        product = ((s or 10) * 2) % 11
    return str((11 - product) % 10)


# ------------------------------------------------------------------------------------ places
# (code, county, county short, city, city short)
COUNTIES = [
    ("370102", "历下区", "历下", "济南市", "济南"), ("370112", "历城区", "历城", "济南市", "济南"),
    ("370202", "市南区", "市南", "青岛市", "青岛"), ("370211", "黄岛区", "黄岛", "青岛市", "青岛"),
    ("370303", "张店区", "张店", "淄博市", "淄博"), ("370321", "桓台县", "桓台", "淄博市", "淄博"),
    ("370602", "芝罘区", "芝罘", "烟台市", "烟台"), ("370702", "潍城区", "潍城", "潍坊市", "潍坊"),
    ("370811", "任城区", "任城", "济宁市", "济宁"), ("371302", "兰山区", "兰山", "临沂市", "临沂"),
]
STREETS = ["经十路", "解放路", "人民路", "和平路", "建设路", "泉城路", "香港中路", "华光路", "金山路",
           "东风街", "府前街", "文化路", "新华路", "胜利街", "青年路", "工业北路"]
CN_DIGITS = "〇一二三四五六七八九"

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒"]
# 中, 心, 行, 会 and 场 are ordinary in given names (张中华, 李心怡) and are also words of organizations.
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩然欣怡梓涵子轩雨晨博思中心")
# Uyghur, Kazakh and Hui given names and patronymics, written with a middle dot between them.
ETHNIC_FIRST = ["买买提", "阿依古丽", "艾力", "古丽娜尔", "吐尔逊", "热依拉", "阿不都热合曼", "努尔兰", "迪丽拜尔", "帕提古丽"]
ETHNIC_LAST = ["艾买提", "吐尔洪", "阿不都拉", "买合木提", "热合曼", "伊力哈木", "阿西木", "司马义", "库尔班", "托合提"]
DOTS = ["·", "•", "‧", "・", ".", "·"]

TRADE_CHARS = list("鑫源华泰宏达恒信瑞丰金诺博远天润岳中联兴盛隆昌永安康福德祥和顺通汇嘉豪宇辰创新锦程伟业晟坤泽朗")
INDUSTRIES = ["商贸", "科技", "建筑工程", "物流", "食品", "机械制造", "化工", "信息技术", "餐饮管理", "建材",
              "电子商务", "医药", "服装", "五金", "广告", "农业科技", "环保科技", "装饰工程", "汽车销售", "文化传媒"]
LATIN_TRADES = [("ABC", "abc", "ＡＢＣ"), ("3D打印", "3d打印", "３Ｄ打印"), ("E购", "e购", "Ｅ购"), ("5G通", "5g通", "５Ｇ通"),
                ("IT家", "it家", "ＩＴ家"), ("K歌", "k歌", "Ｋ歌"), ("TCL", "tcl", "ＴＣＬ"), ("A1", "a1", "Ａ１")]
FORMS_EQUIV = {  # registered form -> spellings a department may use for it
    "有限公司": ["有限公司", "有限责任公司"],
    "有限责任公司": ["有限责任公司", "有限公司"],
    "股份有限公司": ["股份有限公司", "股份公司"],
}
TRAD = str.maketrans({"华": "華", "兴": "興", "业": "業", "达": "達", "汇": "匯", "丰": "豐", "宏": "宏", "顺": "順",
                      "泰": "泰", "贸": "貿", "商": "商", "机": "機", "械": "械", "制": "製", "造": "造", "筑": "築",
                      "程": "程", "药": "藥", "电": "電", "务": "務", "饮": "飲", "销": "銷", "售": "售", "车": "車",
                      "汽": "汽", "广": "廣", "告": "告", "传": "傳", "媒": "媒", "农": "農", "环": "環", "保": "保",
                      "装": "裝", "饰": "飾", "责": "責", "任": "任", "限": "限", "公": "公", "司": "司", "龙": "龍",
                      "东": "東", "济": "濟", "岛": "島", "临": "臨", "潍": "濰", "烟": "煙", "宁": "寧", "联": "聯",
                      "盛": "盛", "昌": "昌", "康": "康", "福": "福", "锦": "錦", "伟": "偉", "创": "創", "坤": "坤",
                      "号": "號", "路": "路", "区": "區", "县": "縣", "市": "市", "庄": "莊"})
FULLWIDTH = str.maketrans({"(": "（", ")": "）", "-": "－", " ": "　", **{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)
                                                                     if chr(c) not in "()- "}})


def cn_number(n: int) -> str:
    """100 -> 一〇〇 (digit by digit, as many addresses write it)."""
    return "".join(CN_DIGITS[int(d)] for d in str(n))


# ------------------------------------------------------------------------------------- model
class World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[dict] = []
        self.persons: list[dict] = []
        self.used_codes: set[str] = set()
        self.used_trades: set[str] = set()
        self.used_shops: set[tuple[str, str, str]] = set()
        self.records: dict[str, list[dict]] = {}
        self.truth: list[tuple[str, str, str, str]] = []
        self.styles: list[tuple[str, str, str, str]] = []
        self.counters: dict[str, int] = {}

    # ---- codes
    def org_code(self) -> str:
        while True:
            first8 = "".join(self.rng.choice("0123456789") for _ in range(8))
            code = first8 + org_code_check(first8)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def uscc(self, prefix: str, region: str, org_code: str) -> str:
        first17 = prefix + region + org_code
        return first17 + uscc_check(first17)

    def reg_no(self, region: str) -> str:
        while True:
            first14 = region + "".join(self.rng.choice("0123456789") for _ in range(8))
            code = first14 + reg_no_check(first14)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def id_number(self, region: str, year: int, month: int, day: int, female: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
            first17 = f"{region}{year:04d}{month:02d}{day:02d}{seq:03d}"
            code = first17 + id_check(first17)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    # ---- entities
    def person(self, name: str | None = None, *, style: str = "plain", region: str | None = None,
               birth: tuple[int, int, int] | None = None) -> dict:
        rng = self.rng
        county = region or rng.choice(COUNTIES)[0]
        if birth is None:
            # born before 1982 when the 15-digit form is to be the only one (it cannot say a century)
            year = rng.randrange(1950, 1982) if style == "id15" else rng.randrange(1955, 2000)
            birth = (year, rng.randrange(1, 13), rng.randrange(1, 29))
        female = rng.random() < 0.5
        if name is None:
            if style == "compound":
                name = rng.choice(COMPOUND) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            elif style == "ethnic":
                name = rng.choice(ETHNIC_FIRST) + "·" + rng.choice(ETHNIC_LAST)
            else:
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        id18 = self.id_number(county, *birth, female)
        person = {"entity": f"P{len(self.persons):05d}", "kind": "person", "name": name, "id": id18,
                  "region": county, "birth": birth, "style": style}
        self.persons.append(person)
        return person

    def trade_name(self) -> str:
        while True:
            trade = "".join(self.rng.choice(TRADE_CHARS) for _ in range(2))
            if trade not in self.used_trades:
                self.used_trades.add(trade)
                return trade

    def org(self, *, kind: str = "enterprise", trade: str | None = None, industry: str | None = None,
            form: str = "有限公司", county: tuple | None = None, prefix: str = "city", style: str = "plain",
            legal_rep: dict | None = None, name: str | None = None) -> dict:
        rng = self.rng
        county = county or rng.choice(COUNTIES)
        code, county_name, county_short, city, city_short = county
        trade = trade or self.trade_name()
        industry = industry if industry is not None else rng.choice(INDUSTRIES)
        if name is None:
            head = {"city": city_short, "province": "山东", "county": city_short + county_short, "none": ""}[prefix]
            name = head + trade + industry + form
        org_code = self.org_code()
        type_prefix = {"enterprise": "91", "individual_business": "92", "organization": "52"}[kind]
        street = rng.choice(STREETS)
        number = rng.randrange(1, 400)
        area = {"济南": "0531", "青岛": "0532", "淄博": "0533", "烟台": "0535", "潍坊": "0536", "济宁": "0537",
                "临沂": "0539"}[city_short]
        phone = (area, f"{rng.randrange(2, 9)}{rng.randrange(0, 10**7):07d}") if rng.random() < 0.6 else \
            ("", f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}")
        entity = {"entity": f"E{len(self.orgs):05d}", "kind": kind, "name": name, "trade": trade, "industry": industry,
                  "form": form, "prefix": prefix, "county": county, "org_code": org_code,
                  "uscc": self.uscc(type_prefix, code, org_code), "reg_no": self.reg_no(code),
                  "street": street, "number": number, "phone": phone, "style": style,
                  "legal_rep": legal_rep or self.person(region=code, style=rng.choice(
                      ["plain"] * 8 + ["ethnic", "compound"])), "old_name": None,
                  "reg_no_in_registry": rng.random() < 0.5}
        self.orgs.append(entity)
        return entity

    # ---- records
    def add(self, source: str, row: dict, mentions: list[tuple[str, dict | None, str]]) -> dict:
        """mentions: (role, entity or None, style) — the entity each non-empty side names."""
        self.counters[source] = self.counters.get(source, 0) + 1
        rid = row.get("rid") or f"{source[:3].upper()}{self.counters[source]:05d}"
        row = {"rid": rid, **{k: v for k, v in row.items() if k != "rid"}}
        self.records.setdefault(source, []).append(row)
        for role, entity, style in mentions:
            if entity is not None:
                self.truth.append((source, rid, role, entity["entity"]))
                self.styles.append((source, rid, role, style))
        return row


# ----------------------------------------------------------------------------- spellings
def spell_code(rng: random.Random, code: str, style: str | None = None) -> tuple[str, str]:
    """A code as a department types it: (text, style)."""
    style = style or rng.choice(["plain"] * 5 + ["lower", "spaces", "hyphens", "fullwidth"])
    if style == "lower":
        return code.lower(), style
    if style == "spaces":
        return " ".join(code[i:i + 4] for i in range(0, len(code), 4)), style
    if style == "hyphens":
        return code[:6] + "-" + code[6:14] + "-" + code[14:], style
    if style == "fullwidth":
        return code.translate(FULLWIDTH), style
    return code, "plain"


def org_code_text(rng: random.Random, code: str) -> str:
    return rng.choice([code, code[:8] + "-" + code[8], code.lower(), code[:8] + "－" + code[8]])


def spell_org(rng: random.Random, org: dict, style: str | None = None, *, use_old: bool = False,
              name_only: bool = False) -> tuple[str, str]:
    """A name of an organization as one department writes it: (text, style). With `name_only`
    (the mention carries no code), never the bare operator's name of an individual business: a
    penalty on "张伟" is no more the business than the person, and a human could not say which."""
    name = org["old_name"] if use_old else org["name"]
    if org.get("fixed_spellings"):
        spellings = [s for s in org["fixed_spellings"] if not (name_only and s[1] == "business_by_operator")]
        return rng.choice(spellings)
    code, county_name, county_short, city, city_short = org["county"]
    trade, industry, form = org["trade"], org["industry"], org["form"]
    if use_old:
        return name, "old_name"
    options = ["plain", "form", "region_full", "region_bracket", "region_dropped", "traditional", "spaces",
               "fullwidth_brackets", "province_added"]
    style = style or rng.choice(options)
    if org["prefix"] == "none" or org["kind"] != "enterprise" or org.get("latin"):
        if style in ("region_full", "region_bracket", "region_dropped", "province_added"):
            style = "plain"
    head = {"city": city_short, "province": "山东", "county": city_short + county_short, "none": ""}[org["prefix"]]
    if org.get("latin") and style in ("plain", "form", "traditional", "spaces", "fullwidth_brackets"):
        variant = rng.randrange(3)
        if variant:
            return name.replace(org["trade"], org["latin"][variant]), ("latin_lower", "latin_fullwidth")[variant - 1]
    if style == "plain":
        return name, style
    if style == "form":
        alternatives = [f for f in FORMS_EQUIV.get(form, [form]) if f != form]
        if not alternatives:
            return name, "plain"
        return head + trade + industry + rng.choice(alternatives), style
    if style == "region_full":
        full = {"city": city, "province": "山东省", "county": city + county_name}[org["prefix"]]
        return full + trade + industry + form, style
    if style == "region_bracket":
        bracket = rng.choice(["（{}）", "({})"]).format(head)
        return trade + industry + bracket + form, style
    if style == "region_dropped":
        return trade + industry + form, style
    if style == "province_added":
        if org["prefix"] == "province":
            return name, "plain"
        return rng.choice(["山东", "山东省"]) + name, style
    if style == "traditional":
        return name.translate(TRAD), style
    if style == "spaces":
        return head + " " + trade + " " + industry + " " + form if head else trade + " " + industry + " " + form, style
    if style == "fullwidth_brackets":
        return name.replace("(", "（").replace(")", "）") if "(" in name else name.translate(FULLWIDTH), style
    return name, "plain"


def spell_person(rng: random.Random, person: dict, style: str | None = None) -> tuple[str, str]:
    name = person["name"]
    if person["style"] == "ethnic":
        dot = rng.choice(DOTS + [" "])
        return name.replace("·", dot), "ethnic_dot"
    if style == "spaces" or (style is None and rng.random() < 0.05):
        return " ".join(name), "spaces"
    if style == "fullwidth_space" or (style is None and rng.random() < 0.03):
        return name[0] + "　" + name[1:], "spaces"
    return name, person["style"]


def spell_id(rng: random.Random, person: dict, style: str | None = None) -> tuple[str, str]:
    id18 = person["id"]
    style = style or rng.choice(["plain"] * 6 + ["lower_x", "spaces", "id15", "fullwidth"])
    if person["style"] == "id15":
        style = "id15"
    if style == "id15" and person["birth"][0] < 2000:
        return id18[:6] + id18[8:17], "id15"
    if style == "lower_x":
        return id18.lower(), style if id18.endswith("X") else "plain"
    if style == "spaces":
        return f"{id18[:6]} {id18[6:14]} {id18[14:]}", style
    if style == "fullwidth":
        return id18.translate(FULLWIDTH), style
    return id18, "plain"


def spell_address(rng: random.Random, org: dict) -> tuple[str, str]:
    code, county_name, county_short, city, city_short = org["county"]
    street, number = org["street"], org["number"]
    style = rng.choice(["plain", "plain", "province", "no_city", "cn_numerals", "traditional", "floor", "fullwidth"])
    if style == "plain":
        return f"{city}{county_name}{street}{number}号", style
    if style == "province":
        return f"山东省{city}{county_name}{street}{number}号", style
    if style == "no_city":
        return f"{county_name}{street}{number}号", style
    if style == "cn_numerals":
        return f"{city}{county_name}{street}{cn_number(number)}号", style
    if style == "traditional":
        return f"{city}{county_name}{street}{number}號".translate(TRAD), style
    if style == "floor":
        return f"{city}{county_name}{street}{number}号{rng.randrange(1, 20)}楼", style
    return f"{city}{county_name}{street}{str(number).translate(FULLWIDTH)}号", style


def spell_phone(rng: random.Random, org: dict) -> tuple[str, str]:
    area, number = org["phone"]
    if not area:  # a mobile number
        style = rng.choice(["plain", "plain", "plus86", "plus86_spaces", "86_hyphen"])
        return {"plain": number, "plus86": "+86" + number, "plus86_spaces": f"+86 {number[:3]} {number[3:7]} {number[7:]}",
                "86_hyphen": "86-" + number}[style], "mobile_" + style
    style = rng.choice(["plain", "plain", "brackets", "plus86", "no_area", "extension", "extension_zhuan", "spaces"])
    text = {"plain": f"{area}-{number}", "brackets": f"({area}){number}", "plus86": f"+86-{area[1:]}-{number}",
            "no_area": number, "extension": f"{area}-{number}-{rng.randrange(100, 999)}",
            "extension_zhuan": f"{area}-{number}转{rng.randrange(100, 999)}",
            "spaces": f"{area} {number[:4]} {number[4:]}"}[style]
    return text, "phone_" + style


# ------------------------------------------------------------------------------------ build
def build(seed: int) -> World:
    w = World(seed)
    rng = w.rng

    # Enterprises in several styles of registered name.
    for _ in range(150):
        w.org(form=rng.choice(["有限公司"] * 4 + ["有限责任公司", "股份有限公司"]),
              prefix=rng.choice(["city"] * 5 + ["province", "county", "none"]))
    # Latin letters and digits in the trade name.
    for plain, lower, full in LATIN_TRADES:
        org = w.org(trade=plain, prefix="city", style="latin")
        org["latin"] = (plain, lower, full)
    # Partnerships: (普通合伙) / (有限合伙) in either width, 合伙企业 written or not.
    for partnership in ["普通合伙", "有限合伙"] * 5:
        county = rng.choice(COUNTIES)
        trade = w.trade_name()
        industry = rng.choice(["投资管理", "咨询", "企业管理"])
        name = f"{county[4]}{trade}{industry}合伙企业（{partnership}）"
        org = w.org(trade=trade, industry=industry, form=f"合伙企业({partnership})", county=county, name=name,
                    style="partnership")
        org["fixed_spellings"] = [
            (name, "partnership"), (name.replace("（", "(").replace("）", ")"), "partnership_halfwidth"),
            (f"{county[4]}{trade}{industry}（{partnership}）", "partnership_short"),
            (f"{county[4]}{trade}{industry}{partnership}企业", "partnership_form_word"),
        ]
    # Groups: registered 鑫源集团有限公司, written 鑫源（集团）有限公司 by some departments.
    for _ in range(8):
        county = rng.choice(COUNTIES)
        trade = w.trade_name()
        name = f"{county[4]}{trade}集团有限公司"
        org = w.org(trade=trade, industry="", form="集团有限公司", county=county, name=name, style="group")
        org["fixed_spellings"] = [(name, "group"), (f"{county[4]}{trade}（集团）有限公司", "group_bracket"),
                                  (f"{county[4]}{trade}(集团)有限公司", "group_bracket")]
    # Companies of 莱芜, registered before the 2019 merger into 济南 (莱芜市 371200 retired, its
    # 莱城区 371202 is 济南市莱芜区 370116 now): the name keeps 莱芜, written 莱芜 or 莱芜市; some
    # departments still send the old county code.
    laiwu = ("370116", "莱芜区", "莱芜", "济南市", "济南")
    for _ in range(8):
        trade = w.trade_name()
        industry = rng.choice(INDUSTRIES)
        name = f"莱芜{trade}{industry}有限公司"
        org = w.org(trade=trade, industry=industry, county=laiwu, name=name, style="laiwu")
        org["fixed_spellings"] = [(name, "laiwu"), (f"莱芜市{trade}{industry}有限公司", "laiwu_city"),
                                  (f"莱芜{trade}{industry}有限责任公司", "laiwu_form")]
        org["old_region"] = "371202"
    # Renamed enterprises: an old extract still names them by their old names (and old codes).
    renamed = rng.sample([o for o in w.orgs if o["style"] == "plain"], 20)
    for org in renamed:
        code, county_name, county_short, city, city_short = org["county"]
        old_trade = w.trade_name()
        org["old_name"] = f"{city_short}{old_trade}{rng.choice(INDUSTRIES)}有限公司"
    # Sister companies (same trade name, same legal representative, other industry) and companies
    # of the same name in another city: distinct entities.
    sisters = []
    for org in rng.sample([o for o in w.orgs if o["style"] == "plain" and o["prefix"] == "city"], 12):
        other_industry = rng.choice([i for i in INDUSTRIES if i != org["industry"]])
        sisters.append(w.org(trade=org["trade"], industry=other_industry, county=org["county"], prefix="city",
                             legal_rep=org["legal_rep"], style="sister"))
    namesake_orgs = []
    for org in rng.sample([o for o in w.orgs if o["style"] == "plain" and o["prefix"] == "city"], 12):
        other_county = rng.choice([c for c in COUNTIES if c[4] != org["county"][4]])
        namesake_orgs.append(w.org(trade=org["trade"], industry=org["industry"], county=other_county, prefix="city",
                                   form=org["form"], style="same_name_other_city"))
    # Companies one character apart in the same city and industry (鑫源 / 鑫缘): distinct.
    near = []
    for org in rng.sample([o for o in w.orgs if o["style"] == "plain" and o["prefix"] == "city"], 10):
        while True:
            trade = org["trade"][0] + rng.choice(TRADE_CHARS)
            if trade not in w.used_trades:
                w.used_trades.add(trade)
                break
        near.append(w.org(trade=trade, industry=org["industry"], county=org["county"], prefix="city",
                          form=org["form"], style="one_char_apart"))
    # Branches of some enterprises: 母公司名 + 城市 + 分公司, written with and without brackets.
    branches = []
    for parent in rng.sample([o for o in w.orgs if o["kind"] == "enterprise" and o["style"] == "plain"], 25):
        county = rng.choice(COUNTIES)
        marker = rng.choice(["分公司", "分公司", "营业部", "分店"])
        branch_place = county[4] if county[4] != parent["county"][4] else county[2]
        full_place = county[3] if county[4] != parent["county"][4] else county[1]  # 济南市, 历下区
        name = parent["name"] + branch_place + marker
        branch = w.org(trade=parent["trade"], industry=parent["industry"], county=county, name=name, style="branch")
        branch["parent"] = parent
        branch["fixed_spellings"] = [(name, "branch"), (f"{parent['name']}（{branch_place}{marker}）", "branch_bracket"),
                                     (f"{parent['name']}({branch_place}{marker})", "branch_bracket"),
                                     (f"{parent['name']}-{branch_place}{marker}", "branch_hyphen"),
                                     (f"{parent['name']}{full_place}{marker}", "branch_place_full")]
        branches.append(branch)
    # Individual businesses: with a shop name, or registered under the operator's own name.
    businesses = []
    for index in range(40):
        county = rng.choice(COUNTIES)
        operator = w.person(region=county[0])
        if index % 2 == 0:
            name = operator["name"]
            biz = w.org(kind="individual_business", county=county, name=name, legal_rep=operator,
                        style="business_by_operator", trade=operator["name"], industry="", form="")
            biz["fixed_spellings"] = [(name, "business_by_operator"), (f"{name}（个体工商户）", "business_bracket"),
                                      (f"{name}(个体工商户)", "business_bracket"),
                                      (f"{county[1]}{name}", "business_county_prefix")]
        else:
            shop = rng.choice(["百货店", "五金店", "小吃店", "副食品商店", "理发店", "便利店"])
            trade = operator["name"][0] + rng.choice(["记", "氏", "家"])
            while (county[0], trade, shop) in w.used_shops:
                trade = rng.choice(SURNAMES) + rng.choice(["记", "氏", "家"])
            w.used_shops.add((county[0], trade, shop))
            name = f"{county[1]}{trade}{shop}"
            biz = w.org(kind="individual_business", county=county, name=name, legal_rep=operator,
                        style="business_shop", trade=trade, industry="", form=shop)
            biz["fixed_spellings"] = [(name, "business_shop"), (f"{county[3]}{name}", "business_shop_city"),
                                      (f"{trade}{shop}", "business_shop_no_region")]
        businesses.append(biz)
    # Non-enterprise organizations (social organizations, schools): organization code only elsewhere.
    for _ in range(15):
        county = rng.choice(COUNTIES)
        trade = w.trade_name()
        name = rng.choice([f"{county[3]}{trade}职业培训学校", f"{county[3]}{trade}行业协会", f"{county[3]}{county[1]}{trade}商会"])
        org = w.org(kind="organization", county=county, name=name, trade=trade, industry="", form="",
                    style="organization")
        org["fixed_spellings"] = [(name, "organization"), (name.translate(TRAD), "organization_traditional")]
    # Persons beyond the legal representatives: compound surnames, ethnic names, 15-digit-only ids,
    # namesakes (same name, other birth and region).
    for _ in range(40):
        w.person(style="compound")
    for _ in range(30):
        w.person(style="ethnic")
    for _ in range(40):
        w.person(style="id15")
    namesakes = []
    for name in ["王伟", "张伟", "李娜", "刘洋", "王芳", "张敏"]:
        for _ in range(3):
            namesakes.append(w.person(name=name, style="namesake"))
    for _ in range(80):
        w.person()

    enterprises = [o for o in w.orgs if o["kind"] == "enterprise"]
    all_orgs = w.orgs

    # ---- sources
    # 1. registry (市场监督管理局): every organization, its current name, clean codes mostly.
    for org in all_orgs:
        code, county_name, county_short, city, city_short = org["county"]
        uscc, uscc_style = spell_code(rng, org["uscc"], rng.choice(["plain"] * 8 + ["lower", "spaces"]))
        id_text, id_style = spell_id(rng, org["legal_rep"], "plain")
        address, _ = spell_address(rng, org)
        phone, _ = spell_phone(rng, org)
        w.add("amr_registry", {
            "统一社会信用代码": uscc, "注册号": org["reg_no"] if org["reg_no_in_registry"] else "",
            "企业名称": org["name"], "主体类型": org["kind"], "行政区划": code, "住所": address, "联系电话": phone,
            "法定代表人": org["legal_rep"]["name"], "法定代表人证件号码": id_text,
            "登记状态": rng.choice(["存续", "在业", "存续"]), "成立日期": f"{rng.randrange(1995, 2024)}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
            "注册资本": str(rng.choice([10, 50, 100, 500, 1000])), "行业代码": rng.choice(["5191", "6510", "4710", "1340"]),
        }, [("subject", org, "registry"), ("party", org["legal_rep"], "registry_rep")])

    # 2. old extract (2014 登记档案): registration number and organization code, old names.
    for org in all_orgs:
        if org["kind"] != "enterprise" or (org["old_name"] is None and rng.random() < 0.6):
            continue
        old = org["old_name"] is not None
        name, style = (org["old_name"], "old_name") if old else spell_org(rng, org)
        # the old registration number alone only where the registry also gives it (else no one
        # could tell an old name with an old number from another company)
        which = rng.random() if org["reg_no_in_registry"] else 0.5
        w.add("amr_history", {
            "subject_reg_no": org["reg_no"] if which < 0.6 else "",
            "subject_org_code": org_code_text(rng, org["org_code"]) if which >= 0.4 else "",
            "subject_name": name, "subject_region": org["county"][0], "status": "存续",
        }, [("subject", org, ("old_code_" + style))])

    # 3. population (公安): every person; some only with the 15-digit number.
    for person in w.persons:
        id_text, id_style = spell_id(rng, person, "id15" if person["style"] == "id15" else rng.choice(
            ["plain"] * 6 + ["lower_x", "spaces", "fullwidth"]))
        name, name_style = spell_person(rng, person, "plain") if person["style"] != "ethnic" else spell_person(rng, person)
        y, m, d = person["birth"]
        w.add("gaj_persons", {
            "公民身份号码": id_text, "姓名": name,
            "出生日期": rng.choice([f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日"]),
            "户籍地区划": person["region"],
        }, [("subject", person, f"population_{name_style}_{id_style}")])

    # 4. officers (JSON lines): enterprise by code (any spelling) and name, person by name and id (or not).
    for org in enterprises:
        # no namesake of the legal representative among the others: his mention without an ID
        # number would then be anyone's guess
        others = [p for p in rng.sample(w.persons, 6) if p["name"] != org["legal_rep"]["name"]]
        people = [org["legal_rep"]] + others[:rng.choice([1, 2, 3])]
        for index, person in enumerate(people):
            uscc, uscc_style = spell_code(rng, org["uscc"])
            name, name_style = spell_org(rng, org)
            person_name, person_style = spell_person(rng, person)
            # without an ID number only the legal representative (the registry names him for this
            # company) is identifiable with certainty
            has_id = index != 0 or rng.random() < 0.7
            id_text, id_style = spell_id(rng, person) if has_id else ("", "no_id")
            w.add("amr_officers", {
                "subject_uscc": uscc, "subject_name": name, "party_name": person_name, "party_id_no": id_text,
                "role": ["chair", "director", "supervisor", "manager"][index % 4] if index else "chair",
            }, [("subject", org, f"officer_org_{uscc_style}_{name_style}"),
                ("party", person, f"officer_person_{person_style}_{id_style}")])

    # 5. shareholders (CSV): holders are persons (by id) or other enterprises (by name + code).
    for org in rng.sample(enterprises, 120):
        for _ in range(rng.choice([1, 2])):
            if rng.random() < 0.6:
                holder = rng.choice(w.persons)
                id_text, id_style = spell_id(rng, holder)
                holder_name, name_style = spell_person(rng, holder)
                w.add("amr_shareholders", {
                    "subject_uscc": spell_code(rng, org["uscc"])[0], "subject_name": org["name"],
                    "party_name": holder_name, "party_id_no": id_text, "party_kind": "person",
                    "ratio": f"{rng.randrange(5, 60) / 100:.2f}",
                }, [("subject", org, "holder_org"), ("party", holder, f"holder_person_{name_style}_{id_style}")])
            else:
                holder = rng.choice([o for o in enterprises if o is not org])
                name, style = spell_org(rng, holder)
                uscc, uscc_style = spell_code(rng, holder["uscc"])
                w.add("amr_shareholders", {
                    "subject_uscc": org["uscc"], "subject_name": org["name"],
                    "party_name": name, "party_uscc": uscc, "party_kind": "enterprise",
                    "ratio": f"{rng.randrange(5, 60) / 100:.2f}",
                }, [("subject", org, "holder_org"), ("party", holder, f"holder_org_{uscc_style}_{style}")])

    # 6. branches: the branch (name spelled with brackets or not, its own code) and its parent.
    for branch in branches:
        name, style = rng.choice(branch["fixed_spellings"])
        parent = branch["parent"]
        w.add("amr_branches", {
            "分支机构名称": name, "分支机构代码": spell_code(rng, branch["uscc"])[0],
            "隶属企业名称": spell_org(rng, parent)[0], "隶属企业代码": spell_code(rng, parent["uscc"])[0],
        }, [("subject", branch, style), ("party", parent, "branch_parent")])

    # 7. court list of dishonest debtors: organizations by code and name (legal rep named),
    #    persons by name and ID number (15 or 18 digits).
    for org in rng.sample(enterprises + businesses, 60):
        name, style = spell_org(rng, org)
        uscc, uscc_style = spell_code(rng, org["uscc"])
        w.add("court_dishonest", {
            "被执行人名称": name, "证件号码": uscc, "法定代表人": org["legal_rep"]["name"],
            "案号": f"(2025)鲁{rng.randrange(100, 999)}执{rng.randrange(1, 9999)}号", "列入日期": "2025-03-01",
            "list": "court_dishonest_debtor",
        }, [("subject", org, f"court_org_{uscc_style}_{style}"), ("party", org["legal_rep"], "court_rep_name_only")])
    for person in rng.sample(w.persons, 60):
        id_text, id_style = spell_id(rng, person)
        name, name_style = spell_person(rng, person)
        w.add("court_dishonest", {
            "被执行人名称": name, "证件号码": "", "个人证件号": id_text,
            "案号": f"(2025)鲁{rng.randrange(100, 999)}执{rng.randrange(1, 9999)}号", "列入日期": "2025/4/1",
            "list": "court_dishonest_debtor",
        }, [("subject", person, f"court_person_{name_style}_{id_style}")])

    # 8. penalties from a department that sends only a name and a region (and an address or a phone).
    #    Only entities a human can tell from that: sisters and same-name companies are told apart by
    #    region and industry words, individual businesses by name and county.
    for org in rng.sample(all_orgs, 200) + [o for o in all_orgs if o["style"] in ("group", "laiwu")]:
        name, style = spell_org(rng, org, name_only=True)
        if org["kind"] == "enterprise" and style in ("plain", "form") and rng.random() < 0.3:
            # a status or the old name the department adds in brackets
            note = rng.choice(["（已注销）", "(吊销)", "（吊销未注销）", "（筹）"] +
                              ([f"（原{org['old_name']}）"] if org["old_name"] else []))
            name, style = name + note, "annotation_old_name" if "原" in note else "annotation_status"
        elif rng.random() < 0.08:
            name, style = name + rng.choice(["。", "，", ";", "（）"]), "trailing_punctuation"
        address, address_style = spell_address(rng, org)
        phone, phone_style = spell_phone(rng, org)
        region = org.get("old_region") if org.get("old_region") and rng.random() < 0.5 else org["county"][0]
        if region != org["county"][0]:
            style = "retired_region_code"
        w.add("cg_penalties", {
            "当事人名称": name, "行政区划": region,
            "地址": address if rng.random() < 0.6 else "", "电话": phone if rng.random() < 0.5 else "",
            "处罚决定书文号": f"鲁城管罚字〔2025〕{rng.randrange(1, 9999)}号", "处罚决定日期": "2025年6月1日",
            "severity": rng.choice(["minor", "general"]),
        }, [("subject", org, f"name_region_{style}")])

    #    Persons by name and county only (no ID number, no kind), where the population register has
    #    one person of that name in that county (a human would take that one).
    def person_key(person):
        return (person["name"].replace("·", ""), person["region"])
    by_key = {}
    for person in w.persons:
        by_key.setdefault(person_key(person), []).append(person)
    # (not the operator of an individual business registered under the operator's own name: a
    # penalty on "吕中萍" is then no more the person than the business)
    operators = {o["legal_rep"]["entity"] for o in businesses if o["style"] == "business_by_operator"}
    unique = [p for p in w.persons if len(by_key[person_key(p)]) == 1 and p["entity"] not in operators]
    for person in rng.sample(unique, 80):
        name, name_style = spell_person(rng, person)
        if rng.random() < 0.1:
            name, name_style = name + rng.choice(["，", "。"]), "trailing_punctuation"
        w.add("cg_penalties", {
            "当事人名称": name, "行政区划": person["region"],
            "处罚决定书文号": f"鲁城管罚字〔2025〕{rng.randrange(1, 9999)}号", "处罚决定日期": "2025年6月2日",
            "severity": "minor",
        }, [("subject", person, f"person_name_region_{name_style}")])

    # 9. tax ratings: taxpayer id = USCC in any spelling, or the organization code with a hyphen;
    #    names in full width or traditional characters.
    for org in rng.sample(enterprises, 150):
        name, style = spell_org(rng, org)
        if rng.random() < 0.7:
            code_field, code_text = "纳税人识别号", spell_code(rng, org["uscc"])[0]
        else:
            code_field, code_text = "组织机构代码", org_code_text(rng, org["org_code"])
        w.add("tax_ratings", {"纳税人名称": name, code_field: code_text, "评价年度日期": "2025-04-01",
                              "信用级别": rng.choice("ABMCD"), "scheme": "tax"},
              [("subject", org, f"tax_{code_field}_{style}")])

    # 10. licenses: name and address and phone, with the code for most; persons' licenses by name
    #     and ID number.
    for org in rng.sample(all_orgs, 150):
        code = spell_code(rng, org["uscc"])[0] if rng.random() < 0.6 else ""
        name, style = spell_org(rng, org, name_only=not code)
        address, address_style = spell_address(rng, org)
        phone, phone_style = spell_phone(rng, org)
        w.add("licenses", {"subject_name": name, "subject_uscc": code, "subject_address": address,
                           "subject_phone": phone, "subject_region": org["county"][0],
                           "license_no": f"JY{rng.randrange(10**9):09d}", "granted_on": "2024-01-15",
                           "valid_until": "2029-01-14", "domain": "market"},
              [("subject", org, f"license_{'code' if code else 'name_address_phone'}_{style}")])

    # 11. a county's red list: names only (no region field: the names carry the county), kinds given.
    for org in rng.sample([o for o in enterprises if o["prefix"] in ("county",)], min(10, sum(
            1 for o in enterprises if o["prefix"] == "county"))):
        w.add("county_red_list", {"subject_name": org["name"], "subject_kind": "enterprise",
                                  "list": "contract_honoring", "listed_on": "2025-01-01"},
              [("subject", org, "name_only_county_prefix")])

    # 12. environment list of persons: ethnic and compound names with ID numbers in any spelling,
    #     and namesakes told apart by ID number.
    for person in [p for p in w.persons if p["style"] in ("ethnic", "compound", "namesake")]:
        name, name_style = spell_person(rng, person)
        id_text, id_style = spell_id(rng, person)
        w.add("env_lists", {"subject_name": name, "subject_id_no": id_text, "subject_kind": "person",
                            "list": "env_serious", "listed_on": "20250301"},
              [("subject", person, f"env_person_{name_style}_{id_style}")])

    # 13. a few records that must be quarantined (no usable identity, bad list date).
    w.add("env_lists", {"subject_name": "", "subject_id_no": "", "list": "env_serious", "listed_on": "2025-03-01",
                        "rid": "ENVBAD1"}, [])
    w.add("env_lists", {"subject_name": "某某", "subject_id_no": "", "list": "env_serious", "listed_on": "2025-02-30",
                        "rid": "ENVBAD2"}, [])
    return w


CATALOG = """\
# Written by tests/data/unseen2/make_province.py (seed {seed}): styles the CreditGraph generator
# never writes. See that file's docstring and docs/sweep2.md.
name: 山东-风格各异
as_of: 2026-06-30
sources:
  - id: amr_registry
    kind: registry
    path: amr_registry.csv
    authority: 市场监督管理局
    columns:
      subject_uscc: 统一社会信用代码
      subject_reg_no: 注册号
      subject_name: 企业名称
      subject_kind: 主体类型
      subject_region: 行政区划
      subject_address: 住所
      subject_phone: 联系电话
      party_name: 法定代表人
      party_id_no: 法定代表人证件号码
      status: 登记状态
      est_date: 成立日期
      reg_capital: 注册资本
      industry: 行业代码
  - {{id: amr_history, kind: registry, path: amr_history.csv, authority: 市场监督管理局(2014年档案)}}
  - id: gaj_persons
    kind: person
    path: gaj_persons.csv
    encoding: gb18030
    authority: 公安厅
    columns: {{subject_id_no: 公民身份号码, subject_name: 姓名, subject_birth: 出生日期, subject_region: 户籍地区划}}
  - {{id: amr_officers, kind: officer, path: amr_officers.jsonl, authority: 市场监督管理局}}
  - {{id: amr_shareholders, kind: shareholder, path: amr_shareholders.csv, authority: 市场监督管理局}}
  - id: amr_branches
    kind: branch
    path: amr_branches.csv
    columns: {{subject_name: 分支机构名称, subject_uscc: 分支机构代码, party_name: 隶属企业名称, party_uscc: 隶属企业代码}}
  - id: court_dishonest
    kind: list
    path: court_dishonest.csv
    encoding: gb18030
    authority: 高级人民法院
    columns: {{subject_name: 被执行人名称, subject_uscc: 证件号码, subject_id_no: 个人证件号, party_name: 法定代表人,
               case_no: 案号, listed_on: 列入日期}}
  - id: cg_penalties
    kind: penalty
    path: cg_penalties.csv
    authority: 城市管理局
    columns: {{subject_name: 当事人名称, subject_region: 行政区划, subject_address: 地址, subject_phone: 电话,
               decision_no: 处罚决定书文号, decided_on: 处罚决定日期}}
  - id: tax_ratings
    kind: rating
    path: tax_ratings.csv
    authority: 税务局
    columns: {{subject_name: 纳税人名称, subject_uscc: 纳税人识别号, subject_org_code: 组织机构代码, rated_on: 评价年度日期,
               grade: 信用级别}}
  - {{id: licenses, kind: license, path: licenses.jsonl, authority: 行政审批服务局}}
  - {{id: county_red_list, kind: list, path: county_red_list.csv, authority: 县市场监督管理局}}
  - {{id: env_lists, kind: list, path: env_lists.csv, authority: 生态环境厅}}
"""

FORMATS = {"amr_officers": "jsonl", "licenses": "jsonl"}
ENCODINGS = {"gaj_persons": "gb18030", "court_dishonest": "gb18030"}


def write(world: World, out: Path, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    (out / "catalog.yaml").write_text(CATALOG.format(seed=seed), encoding="utf-8")
    for source, rows in world.records.items():
        columns: list[str] = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
        if FORMATS.get(source) == "jsonl":
            with open(out / f"{source}.jsonl", "w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False) + "\n")
        else:
            with open(out / f"{source}.csv", "w", encoding=ENCODINGS.get(source, "utf-8"), newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                for row in rows:
                    writer.writerow(row)
    with open(out / "truth" / "entities.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entity", "kind", "uscc", "id_no", "name"])
        for org in world.orgs:
            writer.writerow([org["entity"], org["kind"], org["uscc"], "", org["name"]])
        for person in world.persons:
            writer.writerow([person["entity"], "person", "", person["id"], person["name"]])
    with open(out / "truth" / "mentions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "rid", "role", "entity"])
        writer.writerows(world.truth)
    with open(out / "truth" / "styles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "rid", "role", "style"])
        writer.writerows(world.styles)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    world = build(args.seed)
    write(world, Path(args.out), args.seed)
    total = sum(len(rows) for rows in world.records.values())
    print(f"{total} records, {len(world.truth)} mentions, {len(world.orgs)} organizations, "
          f"{len(world.persons)} persons -> {os.fspath(args.out)}")


if __name__ == "__main__":
    main()
