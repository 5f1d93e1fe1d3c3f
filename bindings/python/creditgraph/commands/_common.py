"""Helpers shared by the sub-commands: --json output and tables for the terminal."""
from __future__ import annotations

import json
import sys
from typing import Any

import pandas as pd


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def emit(args, payload: Any, text: str | None = None) -> None:
    """Prints ``payload`` as JSON with --json, else ``text`` (or a readable rendering)."""
    if getattr(args, "json", False):
        if isinstance(payload, pd.DataFrame):
            payload = payload.to_dict(orient="records")
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    if text is not None:
        print(text)
    elif isinstance(payload, pd.DataFrame):
        with pd.option_context("display.max_rows", 200, "display.max_columns", 20,
                               "display.width", 200, "display.unicode.east_asian_width", True):
            print(payload.to_string(index=False) if not payload.empty else "(none)")
    else:
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def format_summary(summary: dict) -> str:
    lines = [f"as of {summary['as_of']}"]
    records = summary.get("records", {})
    if records:
        lines.append(f"records: {records.get('records', 0):,}   mentions: {records.get('mentions', 0):,}")
    entities = summary.get("entities", {})
    lines.append("entities resolved: " + ", ".join(f"{k} {v:,}" for k, v in sorted(entities.items())))
    edges = summary.get("edges", {})
    if edges:
        lines.append("edges: " + ", ".join(f"{k} {v:,}" for k, v in edges.items() if v))
    restrictions = summary.get("restrictions", {})
    lines.append("restrictions by measure:")
    for measure, count in sorted(restrictions.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {measure:<40} {count:>10,}")
    grades = summary.get("grades", {})
    total = sum(grades.values()) or 1
    lines.append("grade distribution: " + ", ".join(
        f"{grade} {count:,} ({100 * count / total:.1f}%)" for grade, count in sorted(grades.items())))
    lines.append("seconds per stage: " + ", ".join(
        f"{stage} {seconds:.2f}" for stage, seconds in summary.get("timings", {}).items()))
    return "\n".join(lines)
