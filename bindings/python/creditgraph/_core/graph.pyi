"""
CSR graph kernels (graph/) and the related-party graph (core/related/)
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['Graph']
class Graph:
    @staticmethod
    def build_related(kinds: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], src: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], dst: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], label: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], tag: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], value: typing.Annotated[numpy.typing.ArrayLike, numpy.float32], contact_entity: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], contact_kind: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], contact_key: collections.abc.Sequence[str], derive_controllers: bool = True, suspected: bool = False, max_suspected_group: typing.SupportsInt | typing.SupportsIndex = 10) -> tuple[Graph, dict]:
        """
        The related-party graph of measures.md §2 (core/related); returns (graph, stats).
        """
    @staticmethod
    def deserialize(arg0: bytes) -> Graph:
        ...
    @staticmethod
    def from_edges(num_nodes: typing.SupportsInt | typing.SupportsIndex, src: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], dst: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], label: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], tag: typing.Annotated[numpy.typing.ArrayLike, numpy.uint8], value: typing.Annotated[numpy.typing.ArrayLike, numpy.float32], keep_all: bool = False) -> Graph:
        """
        Builds a graph (parallel); duplicates (src, dst, label) keep the first unless keep_all.
        """
    @staticmethod
    def load(db: str, name: str = 'related') -> Graph:
        """
        Loads a saved graph (no rebuild).
        """
    def bfs_distances(self, source: typing.SupportsInt | typing.SupportsIndex, labels: typing.SupportsInt | typing.SupportsIndex, direction: str = 'both') -> numpy.typing.NDArray[numpy.uint32]:
        """
        Hop distance to every node (2**32-1 where unreached).
        """
    def components(self, labels: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.uint32]:
        """
        Weakly connected components: the smallest member's id per node.
        """
    def controllers(self, label: typing.SupportsInt | typing.SupportsIndex, threshold: typing.SupportsFloat | typing.SupportsIndex = 0.5) -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint8]]:
        """
        Majority-walk controllers over `label` edges: (controller, source) with source 2 = derived.
        """
    def edge_info(self, edge_ids: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32]) -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.float32]]:
        """
        (src, dst, label, tag, value) of the given edges.
        """
    def edges(self) -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.uint8], numpy.typing.NDArray[numpy.float32]]:
        """
        Every edge by id: (src, dst, label, tag, value) arrays.
        """
    def induced_edges(self, nodes: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32]) -> numpy.typing.NDArray[numpy.uint32]:
        """
        Ids of the edges with both ends among `nodes`.
        """
    def integrated_shares(self, company: typing.SupportsInt | typing.SupportsIndex, label: typing.SupportsInt | typing.SupportsIndex, min_share: typing.SupportsFloat | typing.SupportsIndex = 0.0, terminal_only: bool = False) -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.uint8], bool]:
        """
        Integrated ownership: (holder, share, direct, terminal, converged).
        """
    def khop(self, sources: typing.Annotated[numpy.typing.ArrayLike, numpy.uint32], hops: typing.SupportsInt | typing.SupportsIndex, labels: typing.SupportsInt | typing.SupportsIndex, direction: str = 'both') -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint32]]:
        """
        Nodes within `hops` of the sources, in BFS order: (node, hops) arrays.
        """
    def neighbors(self, node: typing.SupportsInt | typing.SupportsIndex, labels: typing.SupportsInt | typing.SupportsIndex, direction: str = 'both') -> tuple[numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint32], numpy.typing.NDArray[numpy.uint8]]:
        """
        (neighbor, edge_id, forward) arrays; forward = 1 for an out-edge of node.
        """
    def save(self, db: str, name: str = 'related') -> None:
        """
        Saves the graph in the database folder `db` (family `graph`).
        """
    def serialize(self) -> bytes:
        ...
    def shortest_paths(self, src: typing.SupportsInt | typing.SupportsIndex, dst: typing.SupportsInt | typing.SupportsIndex, labels: typing.SupportsInt | typing.SupportsIndex, direction: str = 'both', max_paths: typing.SupportsInt | typing.SupportsIndex = 16, max_hops: typing.SupportsInt | typing.SupportsIndex = 6) -> list:
        """
        Every shortest path (up to max_paths): a list of (nodes, edge_ids) arrays.
        """
    def strong_components(self, labels: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.uint32]:
        """
        Strongly connected components (Boost.Graph): smallest member per node.
        """
    def validate(self) -> str:
        ...
    @property
    def memory_bytes(self) -> int:
        ...
    @property
    def num_edges(self) -> int:
        ...
    @property
    def num_nodes(self) -> int:
        ...
