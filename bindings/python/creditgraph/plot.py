"""Plots for the analyst's desk: the network around an entity, grade distributions, benchmarks.

All functions draw on a matplotlib ``Axes`` (a new figure when ``ax`` is None) and return it,
so they work the same in a notebook, in a script and inside the HTML report. Chinese names
need a CJK font: ``use_cjk_font()`` picks the first installed one of ``CJK_FONTS`` (Debian:
``fonts-noto-cjk`` or ``fonts-wqy-zenhei``) and says so once when there is none.
"""
from __future__ import annotations

import base64
import io
import json
import logging
import warnings
from pathlib import Path
from typing import Any, Iterable

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from matplotlib import font_manager
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .privacy import list_summary, list_table, scrub_text

CJK_FONTS = [
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Heiti SC", "AR PL UMing CN", "Droid Sans Fallback",
]

# Node colour by list status; node shape by kind; edge colour by label.
STATUS_COLORS = {"black": "#1a1a1a", "red": "#d62728", "clean": "#9ecae1"}
STATUS_LABELS = {"black": "黑名单 (active black list)", "red": "红名单 (active red list)",
                 "clean": "无在册名单 (clean)"}
KIND_SHAPES = {"enterprise": "s", "individual_business": "D", "organization": "h", "person": "o"}
KIND_LABELS = {"enterprise": "企业 enterprise", "individual_business": "个体工商户 individual business",
               "organization": "机关/事业/社团 organization", "person": "自然人 person"}
LABEL_COLORS = {"legal_rep": "#1f77b4", "officer": "#2ca02c", "shareholder": "#ff7f0e",
                "branch": "#8c564b", "guarantee": "#9467bd", "controller": "#e377c2"}
GRADE_COLORS = {"A": "#2ca02c", "B": "#98df8a", "C": "#ffbb78", "D": "#d62728"}

_font_state: dict[str, Any] = {}


def use_cjk_font() -> str | None:
    """Put the first installed CJK font at the head of matplotlib's sans-serif list.

    Returns the font's name, or None (with one warning) when no CJK font is installed.
    """
    if "name" in _font_state:
        return _font_state["name"]
    # TrueType collections such as wqy-zenhei report weight 500; matplotlib logs that on each use.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    chosen = next((name for name in CJK_FONTS if name in installed), None)
    if chosen is None:
        warnings.warn("no CJK font installed: Chinese names will show as boxes; install Debian's "
                      "fonts-noto-cjk or fonts-wqy-zenhei", stacklevel=2)
    else:
        # DejaVu Sans first (Latin, digits, the minus of log-scale ticks), the CJK font as the
        # fallback for Chinese glyphs (matplotlib >= 3.6 falls back glyph by glyph).
        current = list(plt.rcParams.get("font.sans-serif", []))
        head = ["DejaVu Sans", chosen]
        plt.rcParams["font.sans-serif"] = head + [n for n in current if n not in head]
        plt.rcParams["font.family"] = head
    plt.rcParams["axes.unicode_minus"] = False
    _font_state["name"] = chosen
    return chosen


def _axes(ax, figsize):
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    else:  # axes made before the font was chosen keep the old family in their title and labels
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            text.set_fontfamily(plt.rcParams["font.family"])
    return ax


# ---------------------------------------------------------------------------------------------
# The network around an entity


def network_graph(engine, key: str, hops: int = 2, labels: Iterable[str] | None = None,
                  max_nodes: int = 80) -> nx.MultiDiGraph:
    """The related-party network around ``key`` as a networkx graph.

    Nodes: ``key``'s entity and ``engine.related(key, hops)`` (the nearest ``max_nodes``), with
    attributes ``name``, ``kind``, ``hops``, ``status`` (black / red / clean, from the entity's
    list entries at the engine's ``as_of``) and ``center``. Edges: every edge of
    ``engine.edges()`` between two of these nodes, with ``label``, ``tag``, ``value``, ``derived``.
    """
    center = engine.entity(key)
    center_id = center["entity_id"]
    related = engine.related(key, hops=hops, labels=list(labels) if labels else None)
    related = related[related["entity_id"] != center_id]
    if len(related) > max_nodes - 1:
        related = related.sort_values(["hops", "entity_id"], kind="stable").head(max_nodes - 1)

    graph = nx.MultiDiGraph(center=center_id, hops=hops)
    graph.add_node(center_id, name=center.get("name"), kind=center.get("kind"), hops=0, center=True)
    for row in related.itertuples(index=False):
        graph.add_node(row.entity_id, name=row.name, kind=row.kind, hops=int(row.hops), center=False)

    for node in graph.nodes:
        lists = list_table(engine.records(node, kind="list"), engine.as_of)
        graph.nodes[node]["status"] = list_summary(lists)

    edges = engine.edges()
    if labels:
        edges = edges[edges["label"].isin(list(labels))]
    inside = edges[edges["src"].isin(graph.nodes) & edges["dst"].isin(graph.nodes)]
    for row in inside.itertuples(index=False):
        graph.add_edge(row.src, row.dst, label=row.label, tag=getattr(row, "tag", None),
                       value=getattr(row, "value", None), derived=bool(getattr(row, "derived", False)))
    return graph


def _edge_text(data: dict) -> str:
    label = str(data.get("label", ""))
    tag, value = data.get("tag"), data.get("value")
    if label == "shareholder" and value is not None and not pd.isna(value):
        try:
            return f"{label} {float(value):.0%}"
        except (TypeError, ValueError):
            pass
    if isinstance(tag, str) and tag:
        return f"{label}:{tag}"
    return label + (" (derived)" if data.get("derived") else "")


def _short(name: Any, limit: int = 12) -> str:
    text = scrub_text(str(name)) if name is not None else "?"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plot_network(engine, key: str, hops: int = 2, ax=None, labels: Iterable[str] | None = None,
                 max_nodes: int = 80, edge_labels: bool = True):
    """Draw the network around ``key``: colour = list status, shape = kind, edge colour = label.

    The entity itself is in the middle with a thick border; rings are hop distances.
    Returns the Axes (its ``graph`` attribute holds the networkx graph that was drawn).
    """
    graph = network_graph(engine, key, hops=hops, labels=labels, max_nodes=max_nodes)
    ax = _axes(ax, (10, 8))
    shells: dict[int, list] = {}
    for node, data in graph.nodes(data=True):
        shells.setdefault(int(data["hops"]), []).append(node)
    shell_list = [sorted(shells[level]) for level in sorted(shells)]
    positions = nx.shell_layout(graph, nlist=shell_list) if len(graph) > 1 else {n: (0, 0) for n in graph}

    for kind, shape in KIND_SHAPES.items():
        nodes = [n for n, d in graph.nodes(data=True) if d.get("kind") == kind]
        if not nodes:
            continue
        nx.draw_networkx_nodes(
            graph, positions, nodelist=nodes, node_shape=shape, ax=ax,
            node_color=[STATUS_COLORS[graph.nodes[n]["status"]] for n in nodes],
            node_size=[900 if graph.nodes[n]["center"] else 450 for n in nodes],
            edgecolors=["#ff7f0e" if graph.nodes[n]["center"] else "#444444" for n in nodes],
            linewidths=[3.0 if graph.nodes[n]["center"] else 0.8 for n in nodes])
    other = [n for n, d in graph.nodes(data=True) if d.get("kind") not in KIND_SHAPES]
    if other:
        nx.draw_networkx_nodes(graph, positions, nodelist=other, node_shape="p", ax=ax,
                               node_color=[STATUS_COLORS[graph.nodes[n]["status"]] for n in other])

    edge_list = list(graph.edges(keys=True, data=True))
    if edge_list:
        nx.draw_networkx_edges(
            graph, positions, edgelist=[(u, v, k) for u, v, k, _ in edge_list], ax=ax,
            edge_color=[LABEL_COLORS.get(d.get("label"), "#7f7f7f") for *_, d in edge_list],
            style=["dashed" if d.get("derived") else "solid" for *_, d in edge_list],
            arrows=True, arrowsize=12, node_size=600)
        if edge_labels:
            # Parallel edges (shareholder and derived controller, say) share one line: one label.
            texts: dict[tuple, list[str]] = {}
            for u, v, _, d in edge_list:
                pair = (u, v) if (u, v) in texts or (v, u) not in texts else (v, u)
                texts.setdefault(pair, []).append(_edge_text(d))
            texts = {pair: ", ".join(dict.fromkeys(parts)) for pair, parts in texts.items()}
            nx.draw_networkx_edge_labels(graph, positions, edge_labels=texts, ax=ax, font_size=7,
                                         font_family=list(plt.rcParams["font.sans-serif"]),
                                         bbox={"alpha": 0.0})

    name_positions = {n: (x, y - 0.07) for n, (x, y) in positions.items()}
    nx.draw_networkx_labels(graph, name_positions, ax=ax, font_size=8,
                            labels={n: _short(d.get("name")) for n, d in graph.nodes(data=True)},
                            font_family=list(plt.rcParams["font.sans-serif"]))

    handles = [Patch(facecolor=STATUS_COLORS[s], edgecolor="#444444", label=STATUS_LABELS[s])
               for s in ("black", "red", "clean")]
    handles += [Line2D([], [], marker=KIND_SHAPES[k], linestyle="", color="#777777", markersize=8,
                       label=KIND_LABELS[k]) for k in KIND_SHAPES
                if any(d.get("kind") == k for _, d in graph.nodes(data=True))]
    handles += [Line2D([], [], color=LABEL_COLORS[l], label=l) for l in LABEL_COLORS
                if any(d.get("label") == l for *_, d in edge_list)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    # Fixed square limits around the layout: with two or three nodes the shell layout puts them
    # on one line (a y-extent of ~1e-8), autoscaling then stretched y ~10^8 times and rendering
    # the name labels failed (FreeType "raster overflow").
    extent = max([1.0] + [max(abs(x), abs(y)) for x, y in positions.values()])
    ax.set_xlim(-extent - 0.3, extent + 0.3)
    ax.set_ylim(-extent - 0.3, extent + 0.3)
    center = graph.graph["center"]
    ax.set_title(f"{_short(graph.nodes[center].get('name'), 30)}: {hops}-hop related parties")
    ax.set_axis_off()
    ax.graph = graph
    return ax


def figure_png_base64(fig, dpi: int = 110) -> str:
    """The figure as a base64 PNG (for ``<img src="data:image/png;base64,...">``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def network_png_base64(engine, key: str, hops: int = 2, **kwargs) -> str:
    """``plot_network`` rendered to a base64 PNG, the figure closed afterwards."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(10, 7))
    try:
        plot_network(engine, key, hops=hops, ax=ax, **kwargs)
        return figure_png_base64(fig)
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------------
# Grades

# GB/T 4754-2017 sections by 2-digit division (门类 ← 大类).
_SECTIONS = [
    ("A", "农、林、牧、渔业", 1, 5), ("B", "采矿业", 6, 12), ("C", "制造业", 13, 43),
    ("D", "电力、热力、燃气及水", 44, 46), ("E", "建筑业", 47, 50), ("F", "批发和零售业", 51, 52),
    ("G", "交通运输、仓储和邮政业", 53, 60), ("H", "住宿和餐饮业", 61, 62),
    ("I", "信息传输、软件和信息技术服务业", 63, 65), ("J", "金融业", 66, 69), ("K", "房地产业", 70, 70),
    ("L", "租赁和商务服务业", 71, 72), ("M", "科学研究和技术服务业", 73, 75),
    ("N", "水利、环境和公共设施管理业", 76, 79), ("O", "居民服务、修理和其他服务业", 80, 82),
    ("P", "教育", 83, 83), ("Q", "卫生和社会工作", 84, 85), ("R", "文化、体育和娱乐业", 86, 90),
    ("S", "公共管理、社会保障和社会组织", 91, 96), ("T", "国际组织", 97, 97),
]
SECTION_NAMES = {letter: name for letter, name, _, _ in _SECTIONS}


def industry_section(code: Any) -> str:
    """GB/T 4754 section letter of an industry code ('C1311', '1311', 'C' -> 'C'); '?' if unknown."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return "?"
    text = str(code).strip().upper()
    if not text:
        return "?"
    if text[0].isalpha():
        return text[0] if text[0] in SECTION_NAMES else "?"
    digits = text[:2]
    if len(digits) == 2 and digits.isdigit():
        division = int(digits)
        for letter, _, low, high in _SECTIONS:
            if low <= division <= high:
                return letter
    return "?"


def city_code(region: Any) -> str:
    """Prefecture-level code (GB/T 2260) of a 6-digit region: '370321' -> '370300'; '?' if unknown."""
    text = "" if region is None or (isinstance(region, float) and pd.isna(region)) else str(region).strip()
    if len(text) >= 4 and text[:4].isdigit():
        return text[:4] + "00"
    return "?"


def grade_table(scores: pd.DataFrame, by: str = "city", names: dict | None = None) -> pd.DataFrame:
    """Counts of each grade per city or industry section: rows = groups, columns = grades.

    ``by='city'`` groups the ``region`` column by prefecture (first 4 digits); ``by='industry'``
    groups the ``industry`` column by GB/T 4754 section. ``names`` maps group codes to display
    names (for cities, e.g. {'370100': '济南市'}; industry sections are named by default).
    """
    if by == "city":
        groups = scores["region"].map(city_code)
        names = names or {}
    elif by == "industry":
        groups = scores["industry"].map(industry_section)
        names = {**SECTION_NAMES, **(names or {})}
    else:
        raise ValueError(f"by must be 'city' or 'industry', not {by!r}")
    table = pd.crosstab(groups.rename(by), scores["grade"].rename("grade"))
    grades = sorted(table.columns, key=str)
    table = table[grades]
    if names:
        table.index = [f"{code} {names[code]}" if code in names else code for code in table.index]
        table.index.name = by
    return table


def plot_grades(scores: pd.DataFrame, by: str = "city", ax=None, share: bool = False,
                names: dict | None = None):
    """Stacked horizontal bars: the grade distribution of each city or industry section.

    ``share=True`` draws the shares of each group (rows sum to 1) instead of counts.
    """
    table = grade_table(scores, by=by, names=names)
    if share:
        table = table.div(table.sum(axis=1), axis=0)
    ax = _axes(ax, (9, max(3, 0.35 * len(table) + 1.5)))
    colors = [GRADE_COLORS.get(str(g), None) for g in table.columns]
    table.plot.barh(stacked=True, ax=ax, color=colors if all(colors) else None, width=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("share of entities" if share else "entities")
    ax.set_ylabel({"city": "city (地市)", "industry": "industry section (行业门类)"}[by])
    ax.set_title(f"Grade distribution by {by}")
    ax.legend(title="grade", loc="lower right", fontsize=8)
    return ax


# ---------------------------------------------------------------------------------------------
# Benchmarks

_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def read_benchmarks(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Benchmark results as one table: ``stage``, ``tool``, ``seconds`` (+ whatever else was there).

    Reads Google Benchmark JSON (``--benchmark_format=json``: each benchmark's ``real_time`` in
    its ``time_unit``; tool = 'creditgraph', stage = the benchmark's name) and plain JSON lists
    or ``{"results": [...]}`` of records with ``stage``, ``tool`` and ``seconds`` (what the
    ``bench/*_vs_peers.py`` scripts print with ``--json``).
    """
    rows: list[dict] = []
    for path in paths:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, dict) and "benchmarks" in data:
            for bench in data["benchmarks"]:
                if bench.get("run_type") == "aggregate" and bench.get("aggregate_name") != "median":
                    continue
                rows.append({"stage": bench.get("run_name", bench["name"]), "tool": "creditgraph",
                             "seconds": float(bench["real_time"]) * _UNIT_SECONDS[bench.get("time_unit", "ns")],
                             "file": Path(path).name})
            continue
        records = data.get("results", []) if isinstance(data, dict) else data
        for record in records:
            if {"stage", "tool", "seconds"} <= set(record):
                rows.append({**record, "file": Path(path).name})
    return pd.DataFrame(rows, columns=None if rows else ["stage", "tool", "seconds", "file"])


def benchmark_table(df: pd.DataFrame) -> pd.DataFrame:
    """Median seconds per stage (rows) and tool (columns), with 'ratio' = peer / creditgraph.

    The ratio uses the fastest peer of each stage; above 1 means CreditGraph is faster.
    """
    table = df.groupby(["stage", "tool"])["seconds"].median().unstack("tool")
    if "creditgraph" in table.columns:
        peers = [c for c in table.columns if c != "creditgraph"]
        if peers:
            table["ratio"] = table[peers].min(axis=1) / table["creditgraph"]
    return table


def plot_benchmarks(df: pd.DataFrame, ax=None, log: bool = True):
    """Grouped bars: median seconds of each stage per tool (log scale by default).

    ``df`` has one row per measurement with columns ``stage``, ``tool``, ``seconds``.
    """
    table = df.groupby(["stage", "tool"])["seconds"].median().unstack("tool")
    ax = _axes(ax, (9, max(3, 0.5 * len(table) + 1.5)))
    table.plot.barh(ax=ax, logx=log, width=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("seconds (median)" + (", log scale" if log else ""))
    ax.set_ylabel("stage")
    ax.set_title("CreditGraph and peer tools, same data, same run")
    ax.legend(title="tool", fontsize=8)
    return ax


# Importing the plotting module chooses the font, so that figures made afterwards (also with
# plt.subplots before calling a plot function) can print Chinese names.
use_cjk_font()
