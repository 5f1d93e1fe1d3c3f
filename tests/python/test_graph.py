"""The related-party graph from Python: DataFrames in and out, checked against networkx and
small hand-drawn fixtures."""
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from creditgraph import errors
from creditgraph.graph import Graph, load_graph

#   A --legal_rep--> P          A --shareholder 0.6--> B --shareholder 0.7--> Q
#   C --legal_rep--> P          C --branch--> A
#   D (isolated)
EDGES = pd.DataFrame({
    "src": ["A", "C", "A", "B", "C"],
    "dst": ["P", "P", "B", "Q", "A"],
    "label": ["legal_rep", "legal_rep", "shareholder", "shareholder", "branch"],
    "value": [0, 0, 0.6, 0.7, 0],
})


@pytest.fixture()
def graph():
    return Graph.from_edges(EDGES)


def test_from_edges_keys_and_neighbors(graph):
    assert graph.num_nodes == 5 and graph.num_edges == 5
    assert graph._core.validate() == ""
    reps = graph.neighbors("P", labels="legal_rep", direction="in")
    assert sorted(reps["neighbor"]) == ["A", "C"]  # legal_rep/~legal_rep from A reaches C
    out = graph.neighbors("A", direction="out")
    assert set(zip(out["neighbor"], out["label"])) == {("P", "legal_rep"), ("B", "shareholder")}
    with pytest.raises(errors.NotFoundError):
        graph.neighbors("nobody")
    with pytest.raises(errors.InputError):
        graph.neighbors("A", labels="friend")


def test_k_hop_matches_networkx():
    rng = np.random.default_rng(3)
    edges = pd.DataFrame({"src": rng.integers(0, 300, 900), "dst": rng.integers(0, 300, 900),
                          "label": rng.integers(0, 3, 900)})
    edges = edges[edges.src != edges.dst]
    graph = Graph.from_edges(edges, num_nodes=300)
    reference = nx.Graph()
    reference.add_nodes_from(range(300))
    reference.add_edges_from(zip(edges.src, edges.dst))
    for source in (0, 17, 299):
        got = graph.k_hop(source, hops=2)
        want = nx.single_source_shortest_path_length(reference, source, cutoff=2)
        assert dict(zip(got["node"], got["hops"])) == want
    directed = nx.DiGraph()
    directed.add_nodes_from(range(300))
    directed.add_edges_from(zip(edges.src, edges.dst))
    got = graph.k_hop(5, hops=3, direction="out")
    assert dict(zip(got["node"], got["hops"])) == nx.single_source_shortest_path_length(
        directed, 5, cutoff=3)
    components = graph.components()
    for members in nx.connected_components(reference):
        assert len({components[m] for m in members}) == 1
        assert components[min(members)] == min(members)


def test_shortest_paths_say_how_two_entities_are_tied(graph):
    paths = graph.shortest_paths("A", "C")
    # A -legal_rep-> P <-legal_rep- C, and C -branch-> A directly (1 hop) wins
    assert list(paths["path"].unique()) == [0]
    assert paths.iloc[0]["label"] == "branch" and not paths.iloc[0]["forward"]
    via_rep = graph.shortest_paths("A", "C", labels="legal_rep")
    assert list(via_rep["dst"]) == ["P", "C"] and list(via_rep["forward"]) == [True, False]
    assert graph.shortest_paths("A", "Q", direction="in").empty


def test_groups_and_ownership(graph):
    groups = graph.groups()
    assert groups.iloc[0]["size"] == 5
    assert set(groups.iloc[0]["members"]) == {"A", "B", "C", "P", "Q"}
    only_branch = graph.groups(labels=["branch"])
    assert list(only_branch["size"]) == [2]
    owners = graph.beneficial_owners("A", min_share=0.25)
    assert list(owners["holder"]) == ["Q"]
    assert owners["share"].iloc[0] == pytest.approx(0.42, abs=1e-6)
    everyone = graph.beneficial_owners("A", min_share=0.0, ultimate=False)
    assert set(everyone["holder"]) == {"B", "Q"}
    controllers = graph.controllers()
    assert dict(zip(controllers["node"], controllers["controller"])) == {"A": "Q", "B": "Q"}


def test_related_graph_derives_controllers_and_cycles(tmp_path):
    #   0 --sh 0.6--> 1 --sh 0.9--> 2 --sh 0.8--> 0   (ownership cycle)
    #   3 --officer(controller)--> 4 (declared)   3 --sh 0.9--> 1
    kinds = ["enterprise", "enterprise", "enterprise", "enterprise", "person"]
    edges = pd.DataFrame({"src": [0, 1, 2, 3, 3], "dst": [1, 2, 0, 4, 1],
                          "label": ["shareholder"] * 3 + ["officer", "shareholder"],
                          "tag": [None, None, None, "controller", None],
                          "value": [0.6, 0.9, 0.8, 0, 0.9]})
    graph = Graph.related(kinds, edges)
    assert graph.stats["derived_controllers"] == 3
    controller = graph.edges().query("label == 'controller'")
    pairs = {(s, d, t) for s, d, t in zip(controller.src, controller.dst, controller.tag)}
    assert pairs == {(0, 2, "derived"), (1, 0, "derived"), (2, 1, "derived"), (3, 4, "declared")}
    assert graph.ownership_cycles() == [[0, 1, 2]]
    with pytest.raises(errors.InputError):
        Graph.related(kinds, edges.assign(value=[60, 0.9, 0.8, 0, 0.9]))
    # persistence: bytes and the database, loaded without rebuilding
    again = Graph.from_bytes(graph.to_bytes())
    pd.testing.assert_frame_equal(again.edges(), graph.edges())
    graph.save(tmp_path / "db")
    loaded = load_graph(tmp_path / "db")
    pd.testing.assert_frame_equal(loaded.edges(), graph.edges())
    with pytest.raises(errors.NotFoundError):
        load_graph(tmp_path / "db", name="nothing")


def test_suspected_edges_are_optional():
    kinds = ["enterprise"] * 3
    contacts = pd.DataFrame({"entity": [0, 1, 2], "kind": ["phone", "phone", "address"],
                             "key": ["0531-1", "0531-1", "x"]})
    empty = pd.DataFrame({"src": [], "dst": [], "label": []})
    assert Graph.related(kinds, empty, contacts).num_edges == 0
    with_suspected = Graph.related(kinds, empty, contacts, suspected=True)
    assert list(with_suspected.edges()["label"]) == ["suspected"]


def test_networkx_subgraph_and_plot(graph):
    import matplotlib
    matplotlib.use("Agg")
    sub = graph.to_networkx(["A", "B", "P"])
    assert set(sub.nodes) == {"A", "B", "P"}
    assert {(u, v, d["label"]) for u, v, d in sub.edges(data=True)} == {
        ("A", "P", "legal_rep"), ("A", "B", "shareholder")}
    ax = graph.plot_network("A", hops=2, node_colors={"Q": "black"})
    assert "A" in ax.get_title()
