"""The related-party graph from Python: a ``Graph`` over the C++ CSR (``creditgraph._core.graph``).

Build one standalone from an edges DataFrame (columns ``src, dst, label`` and optionally ``tag,
value``), or the related-party graph of measures.md §2 with derived controllers
(``Graph.related``), or load the one the engine saved in its database (``load_graph``). Queries
answer pandas DataFrames; ``to_networkx`` and ``plot_network`` draw the neighbourhood of an entity.

Node keys: when ``src``/``dst`` are non-negative integers they are the node ids; otherwise (text
keys such as entity ids) they are numbered in order of first appearance and every answer speaks
in the original keys.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .errors import InputError, NotFoundError

#: Edge labels of measures.md §2, in the order of core/labels.h (the stored label ids).
LABELS: tuple[str, ...] = ("legal_rep", "officer", "shareholder", "branch", "guarantee",
                           "controller", "suspected")
#: Officer roles (the tag of officer edges), core/record.h OfficerRole.
OFFICER_ROLES: tuple[str, ...] = ("none", "chair", "director", "supervisor", "manager",
                                  "principal", "controller", "legal_rep")
#: Tag of controller edges.
CONTROLLER_TAGS: tuple[str, ...] = ("declared", "derived")
#: Tag of suspected edges.
CONTACT_KINDS: tuple[str, ...] = ("phone", "address")
#: Entity kinds, core/record.h EntityKind.
ENTITY_KINDS: tuple[str, ...] = ("unknown", "enterprise", "individual_business", "organization",
                                 "person")
#: Labels that make a group (关联企业集团) by default (core/related/related_graph.h).
DEFAULT_GROUP_LABELS: tuple[str, ...] = ("legal_rep", "shareholder", "branch", "controller")

_ALL = (1 << 64) - 1
_UNREACHED = 2**32 - 1


def _codes(values: Any, vocabulary: Sequence[str], what: str) -> np.ndarray:
    """Names or small integers -> uint8 codes of `vocabulary`."""
    series = pd.Series(values)
    if series.empty:
        return np.zeros(0, dtype=np.uint8)
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=np.uint8)
    index = {name: code for code, name in enumerate(vocabulary)}
    unknown = sorted({v for v in series.unique() if v not in index})
    if unknown:
        raise InputError(f"unknown {what} {unknown[:5]}; use one of {list(vocabulary)}")
    return series.map(index).to_numpy(dtype=np.uint8)


class Graph:
    """A typed, attributed, directed graph (CSR, both directions indexed) and its queries."""

    def __init__(self, core: Any, nodes: pd.Index | None = None,
                 label_names: Sequence[str] = LABELS, kinds: np.ndarray | None = None):
        self._core = core
        self.nodes = nodes  # key per node id, or None when keys are the ids themselves
        self.label_names = tuple(label_names)
        self.kinds = kinds  # EntityKind code per node, when known
        self.stats: dict[str, int] = {}

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_edges(cls, edges: pd.DataFrame, num_nodes: int | None = None,
                   keep_all: bool = False) -> "Graph":
        """A graph from an edges DataFrame (src, dst, label[, tag, value]).

        ``label`` holds names (those of measures.md §2, or any other vocabulary) or integers.
        Duplicate (src, dst, label) edges keep the first row unless ``keep_all``."""
        missing = {"src", "dst", "label"} - set(edges.columns)
        if missing:
            raise InputError(f"the edges DataFrame lacks columns {sorted(missing)}; "
                             "it needs src, dst, label and optionally tag, value")
        src, dst, nodes = cls._node_ids(edges["src"], edges["dst"])
        label_series = edges["label"]
        label_names: Sequence[str] = LABELS
        if not pd.api.types.is_numeric_dtype(label_series) and len(label_series):
            if not set(label_series.unique()) <= set(LABELS):
                label_names = tuple(pd.unique(label_series))
        labels = _codes(label_series, label_names, "labels")
        tags = cls._tags(edges, labels, label_names)
        values = (edges["value"].fillna(0).to_numpy(dtype=np.float32) if "value" in edges
                  else np.zeros(len(edges), dtype=np.float32))
        count = num_nodes if num_nodes is not None else (len(nodes) if nodes is not None else 0)
        core = _core.graph.Graph.from_edges(count, src, dst, labels, tags, values, keep_all)
        return cls(core, nodes, label_names)

    @classmethod
    def related(cls, kinds: Sequence[str] | np.ndarray, edges: pd.DataFrame,
                contacts: pd.DataFrame | None = None, derive_controllers: bool = True,
                suspected: bool = False, max_suspected_group: int = 10,
                nodes: pd.Index | None = None) -> "Graph":
        """The related-party graph of measures.md §2 (core/related): entity ``kinds`` (one per
        node id), stated ``edges`` with integer src/dst ids, optional ``contacts`` (columns
        entity, kind ∈ phone/address, key) for suspected edges. ``stats`` tells what was added."""
        kind_codes = _codes(kinds, ENTITY_KINDS, "entity kinds")
        src = edges["src"].to_numpy(dtype=np.uint32)
        dst = edges["dst"].to_numpy(dtype=np.uint32)
        labels = _codes(edges["label"], LABELS, "labels")
        tags = cls._tags(edges, labels, LABELS)
        values = (edges["value"].fillna(0).to_numpy(dtype=np.float32) if "value" in edges
                  else np.zeros(len(edges), dtype=np.float32))
        if contacts is None:
            contacts = pd.DataFrame({"entity": [], "kind": [], "key": []})
        core, stats = _core.graph.Graph.build_related(
            kind_codes, src, dst, labels, tags, values,
            contacts["entity"].to_numpy(dtype=np.uint32),
            _codes(contacts["kind"], CONTACT_KINDS, "contact kinds"),
            [str(key) for key in contacts["key"]], derive_controllers, suspected,
            max_suspected_group)
        graph = cls(core, nodes, LABELS, kind_codes)
        graph.stats = dict(stats)
        return graph

    @classmethod
    def load(cls, db: str, name: str = "related", nodes: pd.Index | None = None) -> "Graph":
        """The graph saved in the database folder ``db`` (loaded, not rebuilt)."""
        return cls(_core.graph.Graph.load(str(db), name), nodes)

    def save(self, db: str, name: str = "related") -> None:
        self._core.save(str(db), name)

    def to_bytes(self) -> bytes:
        return self._core.serialize()

    @classmethod
    def from_bytes(cls, data: bytes, nodes: pd.Index | None = None) -> "Graph":
        return cls(_core.graph.Graph.deserialize(data), nodes)

    @staticmethod
    def _node_ids(src: pd.Series, dst: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index | None]:
        both = pd.concat([src, dst], ignore_index=True)
        if pd.api.types.is_integer_dtype(both) and (both.empty or both.min() >= 0):
            return (src.to_numpy(dtype=np.uint32), dst.to_numpy(dtype=np.uint32), None)
        codes, uniques = pd.factorize(both)
        codes = codes.astype(np.uint32)
        return codes[: len(src)], codes[len(src):], pd.Index(uniques)

    @staticmethod
    def _tags(edges: pd.DataFrame, labels: np.ndarray, label_names: Sequence[str]) -> np.ndarray:
        if "tag" not in edges:
            return np.zeros(len(edges), dtype=np.uint8)
        tag = edges["tag"]
        if pd.api.types.is_numeric_dtype(tag):
            return tag.fillna(0).to_numpy(dtype=np.uint8)
        out = np.zeros(len(edges), dtype=np.uint8)
        vocab = {"officer": OFFICER_ROLES, "controller": CONTROLLER_TAGS, "suspected": CONTACT_KINDS}
        for position, (code, text) in enumerate(zip(labels, tag)):
            if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
                continue
            name = label_names[code] if code < len(label_names) else ""
            words = vocab.get(name)
            if words is None or text not in words:
                raise InputError(f"row {position}: tag {text!r} does not fit label {name!r}; "
                                 f"officer tags are {list(OFFICER_ROLES)}, controller tags "
                                 f"{list(CONTROLLER_TAGS)}")
            out[position] = words.index(text)
        return out

    # ------------------------------------------------------------------ keys and labels
    @property
    def num_nodes(self) -> int:
        return self._core.num_nodes

    @property
    def num_edges(self) -> int:
        return self._core.num_edges

    @property
    def memory_bytes(self) -> int:
        return self._core.memory_bytes

    def node_id(self, key: Any) -> int:
        """The node id of a key (or the id itself)."""
        if self.nodes is not None:
            try:
                return int(self.nodes.get_loc(key))
            except KeyError:
                raise NotFoundError(f"{key!r} is not a node of this graph") from None
        node = int(key)
        if not 0 <= node < self.num_nodes:
            raise NotFoundError(f"node {key!r} is not in the graph ({self.num_nodes} nodes)")
        return node

    def _keys(self, ids: np.ndarray) -> Any:
        return self.nodes.take(ids.astype(np.int64)).to_numpy() if self.nodes is not None else ids

    def label_mask(self, labels: str | int | Iterable[str | int] | None) -> int:
        """Bit mask of label names or ids (None: every label)."""
        if labels is None:
            return _ALL
        if isinstance(labels, (str, int)):
            labels = [labels]
        mask = 0
        for label in labels:
            if isinstance(label, str):
                if label not in self.label_names:
                    raise InputError(f"unknown label {label!r}; use one of {list(self.label_names)}")
                label = self.label_names.index(label)
            mask |= 1 << int(label)
        return mask

    def _label_name(self, codes: np.ndarray) -> np.ndarray:
        names = np.array(list(self.label_names) + [str(i) for i in range(len(self.label_names), 256)],
                         dtype=object)
        return names[codes.astype(np.int64)]

    def _tag_names(self, labels: np.ndarray, tags: np.ndarray) -> list[Any]:
        out: list[Any] = []
        for label, tag in zip(labels, tags):
            words = {"officer": OFFICER_ROLES, "controller": CONTROLLER_TAGS,
                     "suspected": CONTACT_KINDS}.get(label)
            out.append(words[tag] if words is not None and tag < len(words) else int(tag))
        return out

    # ------------------------------------------------------------------ queries
    def edges(self) -> pd.DataFrame:
        """Every edge: edge id, src, dst, label, tag, value (derived controllers included,
        tag 'derived')."""
        src, dst, label, tag, value = self._core.edges()
        names = self._label_name(label)
        return pd.DataFrame({"edge": np.arange(len(src), dtype=np.uint32), "src": self._keys(src),
                             "dst": self._keys(dst), "label": names,
                             "tag": self._tag_names(names, tag), "value": value})

    def neighbors(self, node: Any, labels: Any = None, direction: str = "both") -> pd.DataFrame:
        """Edges at ``node`` with the chosen labels: neighbor, label, tag, value, direction
        ('out': node is the source, i.e. the neighbour is e.g. its legal representative)."""
        neighbor, edge, forward = self._core.neighbors(self.node_id(node), self.label_mask(labels),
                                                      direction)
        _, _, label, tag, value = self._core.edge_info(edge)
        names = self._label_name(label)
        return pd.DataFrame({"neighbor": self._keys(neighbor), "edge": edge, "label": names,
                             "tag": self._tag_names(names, tag), "value": value,
                             "direction": np.where(forward.astype(bool), "out", "in")})

    def k_hop(self, nodes: Any, hops: int = 2, labels: Any = None,
              direction: str = "both") -> pd.DataFrame:
        """Related parties within ``hops`` of ``nodes`` (one key or a list): node, hops (the
        start nodes at 0), in BFS order."""
        keys = [nodes] if np.isscalar(nodes) or isinstance(nodes, str) else list(nodes)
        ids = np.array([self.node_id(key) for key in keys], dtype=np.uint32)
        reached, distance = self._core.khop(ids, int(hops), self.label_mask(labels), direction)
        return pd.DataFrame({"node": self._keys(reached), "hops": distance})

    def shortest_paths(self, source: Any, target: Any, labels: Any = None,
                       direction: str = "both", max_paths: int = 16,
                       max_hops: int = 6) -> pd.DataFrame:
        """How is ``source`` tied to ``target``? Every shortest path (up to ``max_paths``), one
        row per step: path, step, src, dst (in walking order), label, tag, value, and ``forward``
        (False when the step walks an edge backwards, the ``~label`` of measures.md)."""
        paths = self._core.shortest_paths(self.node_id(source), self.node_id(target),
                                          self.label_mask(labels), direction, max_paths, max_hops)
        rows = []
        for number, (nodes, edges) in enumerate(paths):
            for step, edge in enumerate(edges):
                rows.append((number, step, nodes[step], nodes[step + 1], edge))
        frame = pd.DataFrame(rows, columns=["path", "step", "src", "dst", "edge"])
        if frame.empty:
            return frame.assign(forward=[], label=[], tag=[], value=[])
        _, heads, label, tag, value = self._core.edge_info(frame["edge"].to_numpy(dtype=np.uint32))
        frame["forward"] = heads == frame["dst"].to_numpy(dtype=np.uint32)
        names = self._label_name(label)
        frame["label"] = names
        frame["tag"] = self._tag_names(names, tag)
        frame["value"] = value
        frame["src"] = self._keys(frame["src"].to_numpy(dtype=np.uint32))
        frame["dst"] = self._keys(frame["dst"].to_numpy(dtype=np.uint32))
        return frame

    def components(self, labels: Any = None) -> np.ndarray:
        """Weakly connected component per node id (the smallest member's id)."""
        return self._core.components(self.label_mask(labels))

    def groups(self, labels: Any = DEFAULT_GROUP_LABELS, min_size: int = 2) -> pd.DataFrame:
        """Groups (关联企业集团): components over ``labels`` with at least ``min_size`` members:
        group (smallest member), size, members (list of keys); largest first."""
        component = self.components(labels)
        frame = pd.DataFrame({"group": component, "node": np.arange(len(component))})
        sizes = frame.groupby("group")["node"].agg(["size", list])
        sizes = sizes[sizes["size"] >= min_size].reset_index()
        sizes = sizes.sort_values(["size", "group"], ascending=[False, True], kind="stable")
        members = [list(self._keys(np.array(m, dtype=np.uint32))) for m in sizes["list"]]
        return pd.DataFrame({"group": self._keys(sizes["group"].to_numpy(dtype=np.uint32)),
                             "size": sizes["size"].to_numpy(), "members": members})

    def ownership_cycles(self, labels: Any = "shareholder") -> list[list[Any]]:
        """Cycles of holdings (strongly connected components with more than one member, found
        by Boost.Graph's strong_components), each as a list of keys."""
        scc = self._core.strong_components(self.label_mask(labels))
        frame = pd.Series(np.arange(len(scc))).groupby(scc).agg(list)
        return [list(self._keys(np.array(m, dtype=np.uint32))) for m in frame if len(m) > 1]

    def beneficial_owners(self, node: Any, min_share: float = 0.25, ultimate: bool = True,
                          label: str | int = "shareholder") -> pd.DataFrame:
        """Integrated ownership of ``node`` through every chain (cycles converge): holder,
        share, direct, terminal; ``ultimate`` keeps only holders with no holders of their own."""
        code = self.label_names.index(label) if isinstance(label, str) else int(label)
        holder, share, direct, terminal, converged = self._core.integrated_shares(
            self.node_id(node), code, float(min_share), bool(ultimate))
        frame = pd.DataFrame({"holder": self._keys(holder), "share": share, "direct": direct,
                              "terminal": terminal.astype(bool)})
        frame.attrs["converged"] = converged
        return frame

    def controllers(self, label: str | int = "shareholder", threshold: float = 0.5) -> pd.DataFrame:
        """Majority-walk controllers (measures.md §2) over ``label``: node, controller, for every
        node that has one (without declared overrides; ``Graph.related`` stores both)."""
        code = self.label_names.index(label) if isinstance(label, str) else int(label)
        controller, source = self._core.controllers(code, float(threshold))
        has = controller != _UNREACHED
        ids = np.flatnonzero(has).astype(np.uint32)
        return pd.DataFrame({"node": self._keys(ids), "controller": self._keys(controller[has])})

    # ------------------------------------------------------------------ drawing
    def to_networkx(self, nodes: Iterable[Any]) -> Any:
        """The subgraph induced by ``nodes`` as a networkx MultiDiGraph (edge attributes label,
        tag, value, edge id; node attribute kind when known)."""
        import networkx as nx

        ids = np.unique(np.array([self.node_id(key) for key in nodes], dtype=np.int64))
        keys = self._keys(ids.astype(np.uint32))
        graph = nx.MultiDiGraph()
        for node_id, key in zip(ids, keys):
            attributes = {}
            if self.kinds is not None:
                attributes["kind"] = ENTITY_KINDS[int(self.kinds[node_id])]
            graph.add_node(key, **attributes)
        edge_ids = self._core.induced_edges(ids.astype(np.uint32))
        src, dst, label, tag, value = self._core.edge_info(edge_ids)
        names = self._label_name(label)
        tags = self._tag_names(names, tag)
        for edge, tail, head, name, tag_name, amount in zip(
                edge_ids, self._keys(src), self._keys(dst), names, tags, value):
            graph.add_edge(tail, head, key=int(edge), label=name, tag=tag_name, value=float(amount))
        return graph

    def plot_network(self, center: Any, hops: int = 2, labels: Any = None, ax: Any = None,
                     node_colors: dict[Any, str] | None = None, max_nodes: int = 200) -> Any:
        """Draws the ``hops`` neighbourhood of ``center`` (at most ``max_nodes``, nearest first)
        with matplotlib: nodes coloured by ``node_colors`` (key -> colour) or by kind, edges
        labelled. Returns the axes."""
        import matplotlib.pyplot as plt
        import networkx as nx

        hood = self.k_hop(center, hops, labels).head(max_nodes)
        graph = self.to_networkx(hood["node"])
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 6))
        positions = nx.spring_layout(graph, seed=1)
        center_key = self._keys(np.array([self.node_id(center)], dtype=np.uint32))[0]
        palette = {"enterprise": "#4c72b0", "person": "#dd8452", "individual_business": "#55a868",
                   "organization": "#8172b3", "unknown": "#999999"}
        colors = []
        for node, data in graph.nodes(data=True):
            if node_colors is not None and node in node_colors:
                colors.append(node_colors[node])
            elif node == center_key:
                colors.append("#c44e52")
            else:
                colors.append(palette.get(data.get("kind", "unknown"), "#999999"))
        nx.draw_networkx_nodes(graph, positions, node_color=colors, node_size=240, ax=ax)
        nx.draw_networkx_labels(graph, positions, font_size=7, ax=ax)
        nx.draw_networkx_edges(graph, positions, ax=ax, arrows=True, arrowsize=10,
                               connectionstyle="arc3,rad=0.08", edge_color="#555555")
        edge_labels = {(u, v): d["label"] for u, v, d in graph.edges(data=True)}
        nx.draw_networkx_edge_labels(graph, positions, edge_labels=edge_labels, font_size=6, ax=ax)
        ax.set_title(f"{center_key}: {hops}-hop related parties ({graph.number_of_nodes()} nodes)")
        ax.set_axis_off()
        return ax


def load_graph(db: str, name: str = "related", nodes: pd.Index | None = None) -> Graph:
    """The related-party graph saved in the engine's database folder ``db`` (no rebuild).
    ``nodes`` maps node ids to entity keys when the caller has them (the entity stage does)."""
    return Graph.load(db, name, nodes)


__all__ = ["Graph", "load_graph", "LABELS", "OFFICER_ROLES", "CONTROLLER_TAGS", "ENTITY_KINDS",
           "CONTACT_KINDS", "DEFAULT_GROUP_LABELS"]


# ---------------------------------------------------------------- the engine's graph

def engine_graph(engine: Any) -> Graph:
    """The related-party graph an engine's database holds, keyed by entity id (cached on the
    engine until its next stage run)."""
    cached = getattr(engine, "_graph_cache", None)
    if cached is not None and cached[0] == engine.stage_status().get("graph"):
        return cached[1]
    nodes = pd.Index(engine.entities()["entity_id"])
    graph = load_graph(engine.db_path, nodes=nodes)
    engine._graph_cache = (engine.stage_status().get("graph"), graph)
    return graph


def related_from_engine(engine: Any, key: str, hops: int = 2,
                        labels: Any = None) -> pd.DataFrame:
    """Entities within ``hops`` of KEY (both directions): entity_id, name, kind, hops."""
    entities = engine.entities()
    start = entities.iloc[engine._node(key)]["entity_id"]
    frame = engine_graph(engine).k_hop(start, hops=hops, labels=labels, direction="both")
    frame = frame.rename(columns={"node": "entity_id"})
    info = entities.set_index("entity_id")[["name", "kind"]]
    frame = frame.join(info, on="entity_id")
    return frame[["entity_id", "name", "kind", "hops"]].reset_index(drop=True)


def path_from_engine(engine: Any, a: str, b: str, labels: Any = None,
                     max_hops: int = 6) -> pd.DataFrame:
    """How is A tied to B: one shortest path, one row per step (step, src, label, dst, names);
    a label ``~x`` walks an edge ``x`` backwards, as in measures.md's path patterns."""
    entities = engine.entities()
    source = entities.iloc[engine._node(a)]["entity_id"]
    target = entities.iloc[engine._node(b)]["entity_id"]
    paths = engine_graph(engine).shortest_paths(source, target, labels=labels, max_paths=1,
                                                max_hops=max_hops)
    columns = ["step", "src", "label", "dst", "src_name", "dst_name"]
    if paths.empty:
        return pd.DataFrame(columns=columns)
    paths = paths[paths["path"] == 0].copy()
    paths["label"] = np.where(paths["forward"], paths["label"], "~" + paths["label"])
    names = entities.set_index("entity_id")["name"]
    paths["src_name"] = paths["src"].map(names)
    paths["dst_name"] = paths["dst"].map(names)
    return paths[columns].reset_index(drop=True)
