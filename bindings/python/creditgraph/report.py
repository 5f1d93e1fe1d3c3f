"""The credit report (公共信用信息报告) of one entity, as one self-contained HTML file.

``report(engine, key, out_path)`` gathers everything the engine knows about ``key`` (a USCC, an
ID number or an entity id) and writes an HTML page with no outside references: basic
information, red and black lists with their status, administrative penalties, licences,
commitments, the joint-punishment measures that bind it with their legal basis and path, the
composite score with its line-by-line explanation, and the related parties with a network
picture (a base64 PNG drawn by ``creditgraph.plot``).

Natural persons' ID numbers are masked: the engine's views already mask ``id_no``; every text
cell of the report goes through ``creditgraph.privacy.scrub_frame`` as a second line of defence.
"""
from __future__ import annotations

import datetime as _dt
import math
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, NotFoundError
from .privacy import list_summary, list_table, mask_id_no, scrub_frame, scrub_text

# The sections of the report, in order: (anchor id, title). Tests and the CLI's --json use them.
SECTIONS = [
    ("basic", "基本信息 Basic information"),
    ("lists", "红黑名单 Red and black lists"),
    ("penalties", "行政处罚 Administrative penalties"),
    ("licenses", "行政许可 Licences"),
    ("commitments", "信用承诺 Commitments"),
    ("ratings", "行业信用评价 Sector ratings"),
    ("restrictions", "联合奖惩措施 Joint punishment and reward measures"),
    ("score", "公共信用综合评价 Composite credit score"),
    ("related", "关联方 Related parties"),
]

LIST_NAMES = {
    "court_dishonest_debtor": "失信被执行人名单",
    "tax_major_violation": "重大税收违法失信主体",
    "amr_serious_illegal": "严重违法失信名单",
    "amr_abnormal_operation": "经营异常名录",
    "procurement_bad_record": "政府采购严重违法失信行为记录名单",
    "safety_blacklist": "安全生产失信联合惩戒对象",
    "env_serious": "环境违法严重失信",
    "labor_wage_arrears": "拖欠农民工工资失信联合惩戒对象",
    "tax_a": "纳税信用A级纳税人",
    "contract_honoring": "守合同重信用企业",
}
KIND_NAMES = {"enterprise": "企业", "individual_business": "个体工商户",
              "organization": "机关、事业单位、社会组织", "person": "自然人"}
STATUS_NAMES = {"active": "在册 active", "removed": "已移出 removed", "disputed": "异议中 disputed",
                "expired": "已超期 expired", "future": "未生效 future"}
EFFECT_NAMES = {"punish": "惩戒 punish", "reward": "激励 reward", "alert": "提示 alert"}
SEVERITY_NAMES = {"minor": "轻微 minor", "general": "一般 general", "serious": "严重 serious"}

# Columns shown per section, in this order, when the engine's records have them.
_COLUMNS = {
    "lists": ["list_name", "polarity", "status", "listed_on", "removed_on", "disputed", "case_no",
              "reason", "role", "source", "rid"],
    "penalties": ["decision_no", "decided_on", "severity", "amount", "domain", "publicity_until",
                  "reason", "role", "source", "rid"],
    "licenses": ["license_no", "granted_on", "valid_until", "domain", "role", "source", "rid"],
    "commitments": ["made_on", "topic", "status", "role", "source", "rid"],
    "ratings": ["scheme", "grade", "rated_on", "role", "source", "rid"],
    "restrictions": ["name", "measure", "effect", "domain", "basis", "trigger_source", "trigger_rid",
                     "trigger_entity", "path", "start", "end"],
    "related": ["hops", "name", "kind", "list_status", "entity_id"],
}
# Column headings as printed (Chinese, then the engine's field name).
HEADERS = {
    "list_name": "名单", "polarity": "类别", "status": "状态", "listed_on": "列入日期",
    "removed_on": "移出日期", "disputed": "异议中", "case_no": "案号/文号", "reason": "事由",
    "role": "角色", "source": "数据源", "rid": "记录号", "decision_no": "决定书文号",
    "decided_on": "决定日期", "severity": "严重程度", "amount": "金额", "domain": "领域",
    "publicity_until": "公示截止", "license_no": "许可证号", "granted_on": "许可日期",
    "valid_until": "有效期至", "made_on": "承诺日期", "topic": "承诺事项", "scheme": "评价体系",
    "grade": "等级", "rated_on": "评价日期", "name": "名称", "measure": "措施编号", "effect": "效力",
    "basis": "法律依据", "trigger_source": "触发数据源", "trigger_rid": "触发记录",
    "trigger_entity": "触发主体", "path": "关联路径", "start": "起始", "end": "截止",
    "hops": "层级", "kind": "类型", "list_status": "名单状态", "entity_id": "主体编号",
    "dimension": "维度", "indicator": "指标", "value": "取值", "points": "得分点",
    "weight": "权重", "contribution": "贡献分",
}
_REGISTRY_FIELDS = [("status", "登记状态 status"), ("est_date", "成立日期 established"),
                    ("reg_capital", "注册资本（万元） capital (10k CNY)"), ("industry", "行业 industry")]


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cell(value: Any, scrub: bool = True) -> str:
    """A value as printed: empty for missing, 是/否 for booleans, numbers without noise, text
    with ID numbers masked (``scrub=False`` for values already scrubbed or known to be codes)."""
    if _empty(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return str(scrub_text(str(value))) if scrub else str(value)


def _table(frame: pd.DataFrame, columns: list[str]) -> dict:
    """A frame as {'columns': [...], 'rows': [[...]]}: wanted columns that exist and are not empty."""
    if frame is None or len(frame) == 0:
        return {"columns": [], "headers": [], "rows": []}
    frame = scrub_frame(frame)
    keep = [c for c in columns if c in frame.columns and not frame[c].map(_empty).all()]
    return {"columns": keep, "headers": [f"{HEADERS[c]} {c}" if c in HEADERS else c for c in keep],
            "rows": [[_cell(v, scrub=False) for v in row] for row in frame[keep].itertuples(index=False)]}


def _of_kind(records: pd.DataFrame, kind: str) -> pd.DataFrame:
    if records is None or len(records) == 0 or "kind" not in records.columns:
        return pd.DataFrame()
    return records[records["kind"] == kind].reset_index(drop=True)


# The engine gives every record its event date as ``date``; the catalog's own name for that
# date in each kind (catalog.md §4) is what the report prints.
_EVENT_DATE = {"penalty": "decided_on", "license": "granted_on", "commitment": "made_on",
               "rating": "rated_on", "registry": "est_date", "list": "listed_on"}


def _records(records: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The records of one kind, with the kind's date field (from ``date`` when missing) and, for
    commitments, ``status`` from ``commitment_status``."""
    frame = _of_kind(records, kind)
    if len(frame) == 0:
        return frame
    frame = frame.copy()
    field = _EVENT_DATE.get(kind)
    if field and "date" in frame.columns:
        if field not in frame.columns:
            frame[field] = frame["date"]
        else:
            frame[field] = [d if _empty(v) else v for v, d in zip(frame[field], frame["date"])]
    if kind == "commitment" and "commitment_status" in frame.columns:
        frame["status"] = frame["commitment_status"]
    return frame


def _sort(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if len(frame) and column in frame.columns:
        return frame.sort_values(column, ascending=False, kind="stable", na_position="last")
    return frame


def report_data(engine, key: str, hops: int = 2, picture: bool = True) -> dict:
    """Everything the report shows, as plain Python values (masked), before rendering."""
    entity = engine.entity(key)
    entity_id = entity["entity_id"]
    as_of = engine.as_of
    records = engine.records(entity_id)

    basic = [("名称 name", entity.get("name")),
             ("主体类型 kind", f"{KIND_NAMES.get(entity.get('kind'), '')} {entity.get('kind', '')}".strip()),
             ("统一社会信用代码 USCC", entity.get("uscc")),
             ("组织机构代码 organization code", entity.get("org_code")),
             ("注册号 registration no.", entity.get("reg_no")),
             ("公民身份号码 ID number", mask_id_no(entity.get("id_no"))),
             ("行政区划 region", entity.get("region")),
             ("主体编号 entity id", entity_id)]
    registry = _sort(_records(records, "registry"), "date")
    if len(registry):
        latest = registry.iloc[0]
        basic += [(title, latest.get(field)) for field, title in _REGISTRY_FIELDS if field in registry.columns]
    names = [n for n in (entity.get("names") or []) if n and n != entity.get("name")]
    if names:
        basic.append(("曾用名/别名 other names seen", "；".join(dict.fromkeys(map(str, names)))))
    codes = {"统一社会信用代码 USCC", "组织机构代码 organization code", "注册号 registration no.",
             "主体编号 entity id"}
    basic = [(title, _cell(value, scrub=title not in codes)) for title, value in basic if not _empty(value)]

    lists = list_table(_records(records, "list"), as_of)
    if len(lists):
        lists["list_name"] = [f"{LIST_NAMES.get(str(c), '')} {c}".strip() for c in lists["list"]]
        lists["status"] = lists["status"].map(lambda s: STATUS_NAMES.get(s, s))
        lists["polarity"] = lists["polarity"].map({"black": "黑 black", "red": "红 red"})
        lists = _sort(lists, "listed_on" if "listed_on" in lists.columns else "date")
    penalties = _sort(_records(records, "penalty"), "date")
    if "severity" in penalties.columns:
        penalties["severity"] = penalties["severity"].map(lambda s: SEVERITY_NAMES.get(s, s))

    restrictions = engine.why(entity_id)
    if "trigger_entity" not in restrictions.columns:
        # why() may leave out the trigger's subject; restrictions() on the same date has it.
        full = engine.restrictions(entity_id, as_of=as_of)
        if "trigger_entity" in full.columns and len(full) == len(restrictions):
            restrictions = full
    if len(restrictions) and "effect" in restrictions.columns:
        restrictions = restrictions.copy()
        restrictions["effect"] = restrictions["effect"].map(lambda e: EFFECT_NAMES.get(e, e))
    if len(restrictions) and "trigger_entity" in restrictions.columns:
        restrictions["trigger_entity"] = restrictions["trigger_entity"].map(
            lambda other: _entity_label(engine, other, entity_id))

    if entity.get("kind") == "person":
        score = {"scored": False, "note": _UNSCORED}
    else:
        score = _score_section(engine, entity_id)

    related = engine.related(entity_id, hops=hops)
    related = related[related["entity_id"] != entity_id].sort_values(["hops", "entity_id"], kind="stable")
    related = related.copy()
    related["list_status"] = [
        {"black": "黑名单在册", "red": "红名单在册", "clean": ""}[
            list_summary(list_table(engine.records(other, kind="list"), as_of))]
        for other in related["entity_id"]]
    related["kind"] = related["kind"].map(lambda k: KIND_NAMES.get(k, k))

    network = None
    if picture and len(related):
        from .plot import network_png_base64  # matplotlib only when a picture is wanted
        network = network_png_base64(engine, entity_id, hops=hops)

    own_lists = list_table(_records(records, "list"), as_of)
    active = own_lists[own_lists["status"] == "active"] if len(own_lists) else own_lists
    if len(active) and "role" in active.columns:  # entries naming it as party do not list it
        active = active[active["role"].isna() | (active["role"] == "subject")]
    highlights = {
        "black_active": int((active["polarity"] == "black").sum()) if len(active) else 0,
        "red_active": int((active["polarity"] == "red").sum()) if len(active) else 0,
        "penalties": int(len(penalties)),
        "restrictions": int(len(restrictions)),
        "grade": score.get("grade"),
        "score": score.get("score_text"),
    }
    return {
        "title": "公共信用信息报告",
        "entity": {"entity_id": entity_id, "name": _cell(entity.get("name")), "kind": entity.get("kind")},
        "as_of": as_of,
        "generated": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "report_no": f"CG-{as_of.replace('-', '')}-{entity_id}",
        "highlights": highlights,
        "basic": basic,
        "lists": _table(lists, _COLUMNS["lists"]),
        "penalties": _table(penalties, _COLUMNS["penalties"]),
        "licenses": _table(_sort(_records(records, "license"), "date"), _COLUMNS["licenses"]),
        "commitments": _table(_sort(_records(records, "commitment"), "date"), _COLUMNS["commitments"]),
        "ratings": _table(_sort(_records(records, "rating"), "date"), _COLUMNS["ratings"]),
        "restrictions": _table(restrictions, _COLUMNS["restrictions"]),
        "score": score,
        "related": _table(related, _COLUMNS["related"]),
        "network_png": network,
        "sections": SECTIONS,
    }


_UNSCORED = ("该主体不参与公共信用综合评价（自然人不评分）。"
             " This entity has no composite score (persons are not scored).")


def _entity_label(engine, other: Any, self_id: Any) -> str:
    """'name (id)' of a trigger's subject; '本主体 self' for the entity itself."""
    if _empty(other):
        return ""
    if str(other) == str(self_id):
        return f"本主体 self ({other})"
    try:
        return f"{engine.entity(other).get('name')} ({other})"
    except (NotFoundError, KeyError):
        return str(other)


def _score_section(engine, entity_id: str) -> dict:
    """Score, grade, class and the explanation table; {'scored': False, ...} for unscored entities."""
    try:
        explanation = engine.explain(entity_id)
    except (NotFoundError, InputError, KeyError):  # not scored (scoring.md scores organizations)
        explanation = None
    if explanation is None or len(explanation) == 0:
        return {"scored": False, "note": _UNSCORED}
    attrs = explanation.attrs
    row = engine.scores()
    row = row[row["entity_id"] == entity_id]
    info = row.iloc[0].to_dict() if len(row) else {}
    score = attrs.get("score", info.get("score"))
    total = float(explanation["contribution"].sum())
    table = _table(explanation, ["dimension", "indicator", "value", "points", "weight", "contribution"])
    return {
        "scored": True,
        "score": score,
        "score_text": _cell(float(score)) if score is not None else "",
        "grade": attrs.get("grade", info.get("grade")),
        "class": info.get("class", ""),
        "inspection_rate": info.get("inspection_rate"),
        "veto": attrs.get("veto") or "",
        "total": _cell(total),
        "table": table,
    }


def _template():
    import jinja2

    text = resources.files(__package__).joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    return env.from_string(text)


def render_report(data: dict) -> str:
    """The HTML of a report from ``report_data``."""
    return _template().render(**data)


def report(engine, key: str, out_path: str | Path, hops: int = 2, picture: bool = True) -> Path:
    """Write the credit report of ``key`` to ``out_path`` (HTML, self-contained). Returns the path."""
    data = report_data(engine, key, hops=hops, picture=picture)
    out = Path(out_path)
    if out.parent and not out.parent.exists():
        raise InputError(f"cannot write the report to {out}: folder {out.parent} does not exist; "
                               "create it or choose another --out")
    out.write_text(render_report(data), encoding="utf-8")
    return out
