"""The analyst's entry point: build a database from a data set, open it, and ask it questions.

>>> import creditgraph as cg
>>> eng = cg.build("datasets/sample", "build/sample.db")      # every stage, into a RocksDB folder
>>> eng = cg.open("build/sample.db")                         # later, or from another process
>>> eng.find("鲁信")                                          # entities by name or code
>>> eng.why("91370112163058215W")                             # measures binding it, with basis and path
>>> eng.explain("91370112163058215W")                         # its score, indicator by indicator

KEY anywhere below is an entity id, a USCC, an organization code, a registration number or an ID
number. Every table is a pandas DataFrame. Natural persons' ID numbers are masked in every view
(``370102********1234``); the C++ engine keeps them in full for matching only.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import _core
from .errors import InputError

__all__ = ["Engine", "build", "open"]

_STAGES = ("resolve", "graph", "propagate", "score")


def _mask(id_numbers: pd.Series) -> pd.Series:
    """``370102********1234``: the division code and the last four characters stay."""
    def one(value: str) -> str:
        if not isinstance(value, str) or len(value) < 10:
            return value
        return value[:6] + "*" * (len(value) - 10) + value[-4:]

    return id_numbers.map(one)


def _search_fold(names: list) -> list:
    """Names as find() compares them: NormalizeText with ASCII upper-cased and every space
    dropped, then the middle dot (all its code points are '·' by then) and '.' removed."""
    from . import text as _text

    folded = _text.normalize_text(names, upper_ascii=True, drop_all_spaces=True)
    return [name.replace("·", "").replace(".", "") if name else "" for name in folded]


def _read_text(value: str | os.PathLike | None, what: str) -> str:
    """A catalog/model given as a path (or None for the engine's default)."""
    if value is None:
        return ""
    path = Path(value)
    if not path.is_file():
        raise InputError(f"the {what} file {str(path)!r} does not exist: give the path of a YAML file")
    return path.read_text(encoding="utf-8")


def _progress_printer(enabled: bool) -> Callable[[str, str], None] | None:
    if not enabled:
        return None

    def show(stage: str, message: str) -> None:
        print(f"[{stage}] {message}", file=sys.stderr, flush=True)

    return show


class Engine:
    """A CreditGraph database folder and the answers it holds."""

    def __init__(self, core: Any, *, progress: bool = False) -> None:
        self._core = core
        self._core.set_progress(_progress_printer(progress))
        self._entities: pd.DataFrame | None = None
        self.timings: dict[str, float] = {}
        self.reports: dict[str, dict] = {}

    # ------------------------------------------------------------------ stages
    @property
    def db_path(self) -> str:
        """The database folder."""
        return self._core.path

    @property
    def as_of(self) -> str:
        """The data set's date (``YYYY-MM-DD``): "today" for validity checks."""
        return self._core.as_of

    def _run(self, stage: str, fn: Callable[[], dict]) -> dict:
        report = fn()
        self.timings[stage] = report["seconds"]
        self.reports[stage] = report
        self._entities = None
        return report

    def resolve(self, match_probability: float = 0.99, incremental: bool = True) -> dict:
        """Entity resolution over every ingested record (docs/resolution.md); a probabilistic
        link is accepted at or above ``match_probability``. ``incremental``: resume from the last
        resolve's saved state when only insertions (and updates that keep the records' identities)
        came since, comparing only the new records; the result equals a full run. The report's
        figure ``incremental`` says which ran (meta ``stage/resolve/mode`` says why)."""
        return self._run("resolve", lambda: self._core.resolve(match_probability, incremental))

    def build_graph(self) -> dict:
        """The related-party graph with derived controllers (docs/graph.md)."""
        return self._run("graph", self._core.build_graph)

    def propagate(self, measures: str | os.PathLike | None = None) -> dict:
        """Joint punishment with a measures catalog (default: the one used last, else the shipped one)."""
        text = _read_text(measures, "measures catalog")
        return self._run("propagate", lambda: self._core.propagate(text))

    def score(self, model: str | os.PathLike | None = None, as_of: str | None = None) -> dict:
        """The composite credit rating with a scoring model (default: last used, else shipped)."""
        text = _read_text(model, "scoring model")
        return self._run("score", lambda: self._core.score(text, as_of))

    def stage_status(self) -> dict[str, str]:
        return {stage: self._core.stage_status(stage) or "not run" for stage in ("ingest",) + _STAGES}

    # ------------------------------------------------------------------ lookups
    def _node(self, key: str) -> int:
        return self._core.lookup(str(key).strip())

    def entities(self) -> pd.DataFrame:
        """Every resolved entity: entity_id, kind, name, uscc, org_code, reg_no, id_no (masked), region, mentions."""
        if self._entities is None:
            frame = pd.DataFrame(self._core.entities())
            if frame.empty:  # keep text columns text, so that name searches work on no rows
                frame = frame.astype({c: object for c in frame.columns if c != "mentions"})
            frame["id_no"] = _mask(frame["id_no"])
            self._entities = frame
        return self._entities

    def entity(self, key: str) -> dict:
        """One entity: its codes (ID number masked), kind, canonical name and the names seen for it."""
        node = self._node(key)
        row = self.entities().iloc[node].to_dict()
        names = sorted({r["subject_name"] if r["role"] == "subject" else r["party_name"]
                        for r in self._core.records_of(node)} - {""})
        row["names"] = names
        return row

    def find(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Entities whose name contains ``text``, or whose code or entity id equals it."""
        text = str(text).strip()
        frame = self.entities()
        columns = ["entity_id", "kind", "name", "uscc", "id_no", "region"]
        try:
            node = self._node(text)
            return frame.iloc[[node]][columns].reset_index(drop=True)
        except Exception:  # noqa: BLE001 - not a key: search by name
            pass
        # Names compared as core/text folds them (full width, traditional characters, case, spaces)
        # and without middle dots, of which there are several code points: "阿依古丽·库尔班" finds
        # the entity displayed as "阿依古丽‧库尔班", "abc" finds "济南ABC信息技术有限公司".
        query = _search_fold([text])[0]
        if not query:
            return frame.iloc[:0][columns].reset_index(drop=True)
        names = frame["name"].fillna("")
        hits = frame[pd.Series(_search_fold(names.tolist()), index=frame.index).str.contains(query, regex=False)]
        hits = hits.assign(_len=hits["name"].str.len()).sort_values(["_len", "entity_id"])
        return hits[columns].head(limit).reset_index(drop=True)

    def mentions(self) -> pd.DataFrame:
        """source, rid, role, entity_id for every mention (catalog.md §6's evaluation format)."""
        return pd.DataFrame(self._core.mentions())

    def records(self, key: str, kind: str | None = None) -> pd.DataFrame:
        """The records that mention an entity: kind, source, rid, role, date and their fields."""
        rows = self._core.records_of(self._node(key))
        frame = pd.DataFrame(rows)
        if frame.empty:
            return pd.DataFrame(columns=["kind", "source", "rid", "role", "date"])
        if kind is not None:
            frame = frame[frame["kind"] == kind]
        return frame.sort_values(["kind", "date", "source", "rid"]).reset_index(drop=True)

    # ------------------------------------------------------------------ graph
    def edges(self, key: str | None = None) -> pd.DataFrame:
        """src, dst, label, tag, value, derived (entity ids); with KEY, the edges touching it."""
        frame = pd.DataFrame(self._core.edges())
        if key is not None:
            entity_id = self.entities().iloc[self._node(key)]["entity_id"]
            frame = frame[(frame["src"] == entity_id) | (frame["dst"] == entity_id)]
        return frame.reset_index(drop=True)

    def related(self, key: str, hops: int = 2, labels: list[str] | None = None) -> pd.DataFrame:
        """Entities within ``hops`` steps of KEY over the chosen edge labels (both directions)."""
        from . import graph as graph_api

        return graph_api.related_from_engine(self, key, hops=hops, labels=labels)

    def path(self, a: str, b: str, labels: list[str] | None = None) -> pd.DataFrame:
        """How is A tied to B: one shortest path as step, src, label, dst."""
        from . import graph as graph_api

        return graph_api.path_from_engine(self, a, b, labels=labels)

    # ------------------------------------------------------------------ measures
    def restrictions(self, key: str | None = None, as_of: str | None = None) -> pd.DataFrame:
        """Restrictions with measure, effect, domain, legal basis, trigger and path (entity ids, and
        ``path_names`` with their names); ``as_of``
        keeps those binding on that date (withheld rewards are never binding)."""
        node = None if key is None else self._node(key)
        frame = pd.DataFrame(self._core.restrictions(node))
        if not frame.empty:
            names = self.entities().set_index("entity_id")["name"].to_dict()
            frame["path_names"] = [" ".join(names.get(token, token) for token in path.split(" "))
                                   for path in frame["path"]]
        if as_of is not None and not frame.empty:
            date = _core.date.parse(as_of)
            if date is None:
                raise InputError(f"{as_of!r} is not a date")
            active = (frame["start"] <= date) & ((frame["end"] == "") | (date < frame["end"])) & ~frame["withheld"]
            frame = frame[active]
        return frame.reset_index(drop=True)

    def check(self, key: str, domain: str, as_of: str | None = None) -> tuple[bool, pd.DataFrame]:
        """check(entity, domain, date) of measures.md §5: (bound?, the restrictions that say so).
        A domain that no measure of the catalog in force has is an InputError (a typo would
        otherwise answer "no")."""
        domains = self.measure_domains()
        if domains and domain not in domains:
            raise InputError(f"no measure of the catalog in force has domain {domain!r}; "
                             f"its domains: {', '.join(sorted(domains))}")
        bound, rows = self._core.check(self._node(key), domain, as_of)
        return bool(bound), pd.DataFrame(rows)

    def measure_domains(self) -> set[str]:
        """The domains of the measures catalog the restrictions were propagated with (empty if
        none was stored)."""
        import yaml

        text = self._core.meta("stage/propagate/catalog") or ""
        try:
            catalog = yaml.safe_load(text) if text else None
        except yaml.YAMLError:
            return set()
        measures = catalog.get("measures") if isinstance(catalog, dict) else None
        return {str(m["domain"]) for m in measures or [] if isinstance(m, dict) and "domain" in m}

    def why(self, key: str, as_of: str | None = None) -> pd.DataFrame:
        """Why is KEY restricted: the measures binding it on ``as_of`` (default: the data set's date)."""
        date = as_of or self.as_of
        if not date:
            raise InputError("the data set's catalog.yaml has no as_of: pass as_of='YYYY-MM-DD'")
        frame = self.restrictions(key, as_of=date)
        columns = ["measure", "name", "effect", "domain", "basis", "path", "path_names",
                   "trigger_source", "trigger_rid", "start", "end"]
        return frame[columns] if not frame.empty else pd.DataFrame(columns=columns)

    # ------------------------------------------------------------------ scores
    def scores(self) -> pd.DataFrame:
        """entity_id, name, region, industry, score, grade, class, inspection_rate, veto and every
        indicator's value, points and contribution."""
        frame = pd.DataFrame(self._core.scores())
        front = ["entity_id", "name", "region", "industry", "score", "grade", "class",
                 "inspection_rate", "veto"]
        if frame.empty:  # no organization in the data set: the same columns, no rows
            return pd.DataFrame(columns=front + [c for c in frame.columns if c not in front])
        info = self.entities()[["entity_id", "name", "region"]]
        frame = frame.merge(info, on="entity_id", how="left")
        frame["industry"] = frame["entity_id"].map(self.entities().set_index("entity_id")["industry"])
        return frame[front + [c for c in frame.columns if c not in front]]

    def grade_distribution(self, by: str = "city") -> pd.DataFrame:
        """Counts of each grade per city (the region code's first 4 digits) or per industry (GB/T
        4754 section letter, else the 2-digit division)."""
        from .scoring import _group_key

        scores = self.scores()
        key = _group_key(scores.fillna({"region": "", "industry": ""}), by)
        return pd.crosstab(key.rename(by), scores["grade"]).sort_index()

    def explain(self, key: str) -> pd.DataFrame:
        """The score of KEY line by line: dimension, indicator, value, points, weight, contribution.
        ``frame.attrs`` holds score, grade, class, inspection_rate and veto; contributions sum to the score."""
        row = self._core.score_of(self._node(key))
        if row is None:
            raise InputError(f"{key!r} has no score: only organizations are scored (scoring.md)")
        frame = pd.DataFrame(row["lines"])
        frame.attrs.update({k: row[k] for k in ("entity_id", "score", "grade", "class", "inspection_rate", "veto")})
        return frame

    def inspect(self, seed: int) -> pd.DataFrame:
        """The random-inspection draw (双随机): per class, ceil(rate × members) of its entities,
        reproducible from ``seed``: entity_id, name, class, grade."""
        picks = pd.DataFrame(self._core.inspect(int(seed)))
        if picks.empty:
            return pd.DataFrame(columns=["entity_id", "name", "class", "grade"])
        scores = self.scores().set_index("entity_id")
        picks["name"] = picks["entity_id"].map(scores["name"])
        picks["grade"] = picks["entity_id"].map(scores["grade"])
        return picks[["entity_id", "name", "class", "grade"]]

    # ------------------------------------------------------------------ ingest side
    def quarantine(self) -> pd.DataFrame:
        """Every quarantined record: source, rid, field, reason (and the raw row)."""
        from . import ingest as ingest_api

        return ingest_api.quarantine(self.db_path)

    def summary(self) -> dict:
        """Counts per stage: records, entities by kind, edges by label, restrictions by measure,
        grades, and the seconds each stage took."""
        def figures(stage: str) -> dict[str, float]:
            text = self._core.meta(f"stage/{stage}/figures") or ""
            out = {}
            for line in text.splitlines():
                name, _, value = line.partition("=")
                out[name] = float(value)
            return out

        out: dict[str, Any] = {"as_of": self.as_of, "stages": self.stage_status()}
        resolve = figures("resolve")
        graph = figures("graph")
        propagate = figures("propagate")
        score = figures("score")
        out["records"] = {k: int(v) for k, v in resolve.items() if k in ("records", "mentions")}
        entities = self.entities()
        out["entities"] = entities["kind"].replace("", "unknown").value_counts().to_dict()
        out["edges"] = {k.removeprefix("edges_"): int(v) for k, v in graph.items() if k.startswith("edges_")}
        out["restrictions"] = {k.removeprefix("measure_"): int(v) for k, v in propagate.items()
                               if k.startswith("measure_")}
        out["grades"] = {k.removeprefix("grade_"): int(v) for k, v in score.items() if k.startswith("grade_")}
        timings = {}
        for stage in ("ingest",) + _STAGES:
            seconds = self._core.meta(f"stage/{stage}/seconds")
            if seconds:
                timings[stage] = float(seconds)
        timings.update(self.timings)
        out["timings"] = timings
        return out

    def __repr__(self) -> str:
        return f"<creditgraph.Engine {self.db_path!r} as_of={self.as_of}>"


def open(db_path: str | os.PathLike, *, progress: bool = False) -> Engine:  # noqa: A001 - the API's name
    """Opens an existing database folder (or creates an empty one)."""
    return Engine(_core.engine.Engine.open(str(db_path)), progress=progress)


def build(dataset_dir: str | os.PathLike, db_path: str | os.PathLike, *,
          measures: str | os.PathLike | None = None, model: str | os.PathLike | None = None,
          as_of: str | None = None, progress: bool = True) -> Engine:
    """Every stage on a data set folder (catalog.md): ingest, resolve, graph, propagate, score.
    ``measures``/``model``: YAML files (default: the ones shipped with the engine)."""
    from tqdm.auto import tqdm

    from . import ingest as ingest_api

    bar = tqdm(total=5, desc="build", unit="stage", disable=not progress)
    try:
        bar.set_postfix_str("ingest")
        started = time.perf_counter()
        ingest_api.ingest(str(dataset_dir), str(db_path), progress=False)
        ingest_seconds = time.perf_counter() - started
        bar.update()
        engine = open(db_path)
        engine.timings["ingest"] = ingest_seconds
        if progress:
            engine._core.set_progress(lambda stage, message: bar.set_postfix_str(f"{stage}: {message}"))
        for stage, run in (("resolve", engine.resolve), ("graph", engine.build_graph),
                           ("propagate", lambda: engine.propagate(measures)),
                           ("score", lambda: engine.score(model, as_of))):
            bar.set_postfix_str(stage)
            run()
            bar.update()
    finally:
        bar.close()
    engine._core.set_progress(None)
    return engine
