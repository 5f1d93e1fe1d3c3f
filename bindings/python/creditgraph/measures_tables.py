"""Reading the measures engine's inputs from a folder of resolved tables (CSV), for the CLI
until the stage glue feeds the engine from the database.

Folder layout (columns as in creditgraph.measures): nodes.csv, edges.csv, and any of
lists.csv, penalties.csv, ratings.csv. Entity ids are read as text.
"""
from __future__ import annotations

import pathlib

import pandas as pd

from .errors import InputError, NotFoundError
from .measures import MeasureEngine


def read_tables(folder: str | pathlib.Path) -> dict[str, pd.DataFrame | None]:
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise NotFoundError(f"tables folder '{folder}' does not exist")
    out: dict[str, pd.DataFrame | None] = {}
    for name in ("nodes", "edges", "lists", "penalties", "ratings"):
        path = folder / f"{name}.csv"
        if not path.exists():
            if name in ("nodes", "edges"):
                raise InputError(f"{path} is missing: the tables folder needs nodes.csv and edges.csv")
            out[name] = None
            continue
        text_columns = {name: str for name in (
            "entity", "tail", "head", "subject", "rid", "source", "tag", "kind", "label", "list",
            "domain", "listed_on", "removed_on", "decided_on", "rated_on", "scheme", "grade",
            "severity")}
        frame = pd.read_csv(path, dtype=text_columns, keep_default_na=True)
        if "disputed" in frame.columns:
            frame["disputed"] = frame["disputed"].map(
                lambda value: str(value).strip().lower() in ("true", "1", "yes"))
        for column in ("tag", "kind", "source", "domain", "removed_on"):
            if column in frame.columns:
                frame[column] = frame[column].fillna("")
        out[name] = frame
    return out


def engine_from_tables(folder: str | pathlib.Path, catalog=None) -> MeasureEngine:
    tables = read_tables(folder)
    engine = MeasureEngine(tables["nodes"], tables["edges"], catalog)
    engine.propagate(tables["lists"], tables["penalties"], tables["ratings"])
    return engine
