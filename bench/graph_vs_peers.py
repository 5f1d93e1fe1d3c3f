"""CreditGraph's graph kernels beside igraph and networkx on the same graph, in the same run.

A random heavy-tailed directed graph (sources drawn as n * u**2.5, targets uniform: a few hubs
with huge out-degree, like holding groups and agents) is built once in each tool; then weakly
connected components and a BFS (out-edges, from the biggest hub) are timed, median of several
runs, and the ratios printed. Usage:

    PYTHONPATH=bindings/python python3 bench/graph_vs_peers.py [--nodes 1000000] [--edges 3000000]
        [--repeats 5] [--nx-repeats 3] [--skip-networkx]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def timed(function, repeats):
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=3_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--nx-repeats", type=int, default=3)
    parser.add_argument("--skip-networkx", action="store_true")
    args = parser.parse_args()

    from creditgraph import _core
    import igraph

    rng = np.random.default_rng(42)
    n, m = args.nodes, args.edges
    src = np.minimum((n * rng.random(m) ** 2.5).astype(np.uint32), n - 1)
    dst = rng.integers(0, n, m, dtype=np.uint32)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    label = rng.integers(0, 6, len(src), dtype=np.uint8)
    zeros8 = np.zeros(len(src), dtype=np.uint8)
    values = rng.random(len(src)).astype(np.float32)
    print(f"graph: {n:,} nodes, {len(src):,} edges (heavy-tailed out-degree)")

    rows = []
    build_cg, graph = timed(lambda: _core.graph.Graph.from_edges(n, src, dst, label, zeros8, values,
                                                                 True), 3)
    pairs = np.column_stack([src, dst]).astype(np.int64)
    build_ig, ig = timed(lambda: igraph.Graph(n=n, edges=pairs, directed=True), 1)
    hub = int(np.bincount(src, minlength=n).argmax())
    print(f"build: creditgraph {build_cg:.3f} s ({graph.memory_bytes / graph.num_edges:.1f} B/edge), "
          f"igraph {build_ig:.3f} s")

    all_labels = (1 << 64) - 1
    cc_cg, comp = timed(lambda: graph.components(all_labels), args.repeats)
    cc_ig, ig_comp = timed(lambda: ig.connected_components(mode="weak"), args.repeats)
    assert len(np.unique(comp)) == len(ig_comp), "component counts differ"
    bfs_cg, dist = timed(lambda: graph.bfs_distances(hub, all_labels, "out"), args.repeats)
    bfs_ig, ig_bfs = timed(lambda: ig.bfs(hub, mode="out"), args.repeats)
    reached = int((dist != 2**32 - 1).sum())
    assert reached == len(ig_bfs[0]), "BFS reach differs"
    rows.append(("components (weak)", cc_cg, cc_ig, None))
    rows.append((f"BFS out from hub ({reached:,} reached)", bfs_cg, bfs_ig, None))

    if not args.skip_networkx:
        import networkx as nx

        start = time.perf_counter()
        nxg = nx.DiGraph()
        nxg.add_nodes_from(range(n))
        nxg.add_edges_from(zip(src.tolist(), dst.tolist()))
        print(f"build: networkx {time.perf_counter() - start:.1f} s")
        cc_nx, nx_comp = timed(lambda: list(nx.weakly_connected_components(nxg)), args.nx_repeats)
        assert len(nx_comp) == len(ig_comp)
        bfs_nx, nx_dist = timed(lambda: nx.single_source_shortest_path_length(nxg, hub),
                                args.nx_repeats)
        assert len(nx_dist) == reached
        rows[0] = rows[0][:3] + (cc_nx,)
        rows[1] = rows[1][:3] + (bfs_nx,)

    print(f"\n{'kernel':<36}{'creditgraph':>13}{'igraph':>11}{'networkx':>11}"
          f"{'× igraph':>10}{'× networkx':>12}")
    for name, ours, ig_time, nx_time in rows:
        nx_text = f"{nx_time * 1e3:9.1f}ms" if nx_time is not None else f"{'-':>11}"
        nx_ratio = f"{nx_time / ours:11.1f}×" if nx_time is not None else f"{'-':>12}"
        print(f"{name:<36}{ours * 1e3:11.1f}ms{ig_time * 1e3:9.1f}ms{nx_text}"
              f"{ig_time / ours:9.1f}×{nx_ratio}")
    print(f"\n(medians of {args.repeats} runs; networkx {args.nx_repeats}; same graph, same process)")


if __name__ == "__main__":
    main()
