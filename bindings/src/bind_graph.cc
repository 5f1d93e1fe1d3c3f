// creditgraph._core.graph: the CSR graph and its kernels for Python (numpy in and out, the GIL
// released around every computation). Thin: conversion only; see graph/ and core/related/.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/related/graph_io.h"
#include "core/related/related_graph.h"
#include "core/store/store.h"
#include "graph/bfs.h"
#include "graph/components.h"
#include "graph/control.h"
#include "graph/csr_builder.h"
#include "graph/ownership.h"
#include "graph/shortest_path.h"
#include "graph/strong_components.h"

namespace py = pybind11;

namespace {

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
py::array_t<T> ToNumpy(std::vector<T>&& values) {
  auto holder = std::make_unique<std::vector<T>>(std::move(values));
  const auto size = py::ssize_t(holder->size());
  T* data = holder->data();
  py::capsule owner(holder.get(), [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
  holder.release();
  return py::array_t<T>(size, data, owner);
}

template <typename T>
std::vector<T> FromNumpy(const Array<T>& array) {
  return std::vector<T>(array.data(), array.data() + array.size());
}

cg::Direction ParseDirection(const std::string& text) {
  if (text == "out") return cg::Direction::kOut;
  if (text == "in") return cg::Direction::kIn;
  if (text == "both") return cg::Direction::kBoth;
  throw cg::py_bind::InputError("direction must be 'out', 'in' or 'both', not '" + text + "'");
}

// The Python-side graph: the CSR plus a lazily built ownership model per label.
struct PyGraph {
  std::shared_ptr<const cg::CsrGraph> graph;
  mutable std::shared_ptr<cg::OwnershipModel> ownership;
  mutable int ownership_label = -1;

  const cg::CsrGraph& get() const { return *graph; }
  void CheckNode(std::uint64_t node) const {
    if (node >= graph->num_nodes()) {
      throw cg::py_bind::NotFoundError("node " + std::to_string(node) + " is not in the graph (" +
                                       std::to_string(graph->num_nodes()) + " nodes)");
    }
  }
};

PyGraph Wrap(cg::CsrGraph&& graph) {
  return PyGraph{std::make_shared<const cg::CsrGraph>(std::move(graph)), nullptr, -1};
}

std::vector<cg::EdgeInput> EdgesFrom(const Array<std::uint32_t>& src, const Array<std::uint32_t>& dst,
                                     const Array<std::uint8_t>& label, const Array<std::uint8_t>& tag,
                                     const Array<float>& value) {
  const auto m = src.size();
  if (dst.size() != m || label.size() != m || tag.size() != m || value.size() != m) {
    throw cg::py_bind::InputError("src, dst, label, tag and value must have the same length");
  }
  std::vector<cg::EdgeInput> edges(m);
  for (py::ssize_t i = 0; i < m; ++i) {
    edges[i] = {src.data()[i], dst.data()[i], label.data()[i], tag.data()[i], value.data()[i]};
  }
  return edges;
}

}  // namespace

CG_BIND(graph) {
  m.doc() = "CSR graph kernels (graph/) and the related-party graph (core/related/)";

  py::class_<PyGraph>(m, "Graph")
      .def_static(
          "from_edges",
          [](std::uint64_t num_nodes, const Array<std::uint32_t>& src, const Array<std::uint32_t>& dst,
             const Array<std::uint8_t>& label, const Array<std::uint8_t>& tag,
             const Array<float>& value, bool keep_all) {
            auto edges = EdgesFrom(src, dst, label, tag, value);
            py::gil_scoped_release release;
            return Wrap(cg::CsrBuilder::FromEdges(
                cg::NodeId(num_nodes), edges,
                keep_all ? cg::CsrBuilder::Duplicates::kKeepAll
                         : cg::CsrBuilder::Duplicates::kKeepFirst));
          },
          py::arg("num_nodes"), py::arg("src"), py::arg("dst"), py::arg("label"), py::arg("tag"),
          py::arg("value"), py::arg("keep_all") = false,
          "Builds a graph (parallel); duplicates (src, dst, label) keep the first unless keep_all.")
      .def_static(
          "build_related",
          [](const Array<std::uint8_t>& kinds, const Array<std::uint32_t>& src,
             const Array<std::uint32_t>& dst, const Array<std::uint8_t>& label,
             const Array<std::uint8_t>& tag, const Array<float>& value,
             const Array<std::uint32_t>& contact_entity, const Array<std::uint8_t>& contact_kind,
             const std::vector<std::string>& contact_key, bool derive_controllers,
             bool suspected, std::size_t max_suspected_group) {
            auto raw = EdgesFrom(src, dst, label, tag, value);
            std::vector<cg::core::EntityKind> entity_kinds(kinds.size());
            for (py::ssize_t i = 0; i < kinds.size(); ++i)
              entity_kinds[i] = cg::core::EntityKind(kinds.data()[i]);
            std::vector<cg::core::related::StatedEdge> edges(raw.size());
            for (std::size_t i = 0; i < raw.size(); ++i) {
              edges[i] = {raw[i].tail, raw[i].head, cg::core::EdgeLabel(raw[i].label), raw[i].tag,
                          raw[i].value};
            }
            if (contact_entity.size() != contact_kind.size() ||
                std::size_t(contact_entity.size()) != contact_key.size()) {
              throw cg::py_bind::InputError("contact arrays must have the same length");
            }
            std::vector<cg::core::related::ContactKey> contacts(contact_key.size());
            for (std::size_t i = 0; i < contacts.size(); ++i) {
              contacts[i] = {contact_entity.data()[i],
                             cg::core::related::ContactKind(contact_kind.data()[i]), contact_key[i]};
            }
            cg::core::related::BuildOptions options;
            options.derive_controllers = derive_controllers;
            options.suspected = suspected;
            options.max_suspected_group = max_suspected_group;
            absl::StatusOr<cg::core::related::RelatedGraph> built;
            {
              py::gil_scoped_release release;
              built = cg::core::related::BuildRelatedGraph(entity_kinds, edges, contacts, options);
            }
            cg::py_bind::ThrowIfError(built.status());
            py::dict stats;
            stats["stated_edges"] = built->stated_edges;
            stats["self_loops_dropped"] = built->self_loops_dropped;
            stats["declared_controllers"] = built->declared_controllers;
            stats["derived_controllers"] = built->derived_controllers;
            stats["suspected_edges"] = built->suspected_edges;
            return py::make_tuple(Wrap(std::move(built->graph)), stats);
          },
          py::arg("kinds"), py::arg("src"), py::arg("dst"), py::arg("label"), py::arg("tag"),
          py::arg("value"), py::arg("contact_entity"), py::arg("contact_kind"),
          py::arg("contact_key"), py::arg("derive_controllers") = true,
          py::arg("suspected") = false, py::arg("max_suspected_group") = 10,
          "The related-party graph of measures.md §2 (core/related); returns (graph, stats).")
      .def_property_readonly("num_nodes", [](const PyGraph& g) { return g.get().num_nodes(); })
      .def_property_readonly("num_edges", [](const PyGraph& g) { return g.get().num_edges(); })
      .def_property_readonly("memory_bytes", [](const PyGraph& g) { return g.get().memory_bytes(); })
      .def("validate", [](const PyGraph& g) { return g.get().Validate(); })
      .def(
          "edges",
          [](const PyGraph& g) {
            const cg::CsrGraph& graph = g.get();
            std::vector<std::uint32_t> tails(graph.num_edges());
            {
              py::gil_scoped_release release;
              for (cg::NodeId node = 0; node < graph.num_nodes(); ++node)
                for (cg::EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) tails[e] = node;
            }
            return py::make_tuple(ToNumpy(std::move(tails)),
                                  ToNumpy(std::vector<std::uint32_t>(graph.heads())),
                                  ToNumpy(std::vector<std::uint8_t>(graph.labels())),
                                  ToNumpy(std::vector<std::uint8_t>(graph.tags())),
                                  ToNumpy(std::vector<float>(graph.values())));
          },
          "Every edge by id: (src, dst, label, tag, value) arrays.")
      .def(
          "edge_info",
          [](const PyGraph& g, const Array<std::uint32_t>& edge_ids) {
            const cg::CsrGraph& graph = g.get();
            const auto count = std::size_t(edge_ids.size());
            std::vector<std::uint32_t> tails(count), heads(count);
            std::vector<std::uint8_t> labels(count), tags(count);
            std::vector<float> values(count);
            for (std::size_t i = 0; i < count; ++i) {
              const cg::EdgeIdx e = edge_ids.data()[i];
              if (e >= graph.num_edges()) throw cg::py_bind::NotFoundError("no edge " + std::to_string(e));
              tails[i] = graph.tail(e);
              heads[i] = graph.head(e);
              labels[i] = graph.label(e);
              tags[i] = graph.tag(e);
              values[i] = graph.value(e);
            }
            return py::make_tuple(ToNumpy(std::move(tails)), ToNumpy(std::move(heads)),
                                  ToNumpy(std::move(labels)), ToNumpy(std::move(tags)),
                                  ToNumpy(std::move(values)));
          },
          py::arg("edge_ids"), "(src, dst, label, tag, value) of the given edges.")
      .def(
          "induced_edges",
          [](const PyGraph& g, const Array<std::uint32_t>& nodes) {
            const cg::CsrGraph& graph = g.get();
            std::vector<std::uint32_t> sorted = FromNumpy(nodes);
            std::sort(sorted.begin(), sorted.end());
            std::vector<std::uint32_t> out;
            for (cg::NodeId node : sorted) {
              if (node >= graph.num_nodes()) continue;
              for (cg::EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) {
                if (std::binary_search(sorted.begin(), sorted.end(), graph.head(e))) out.push_back(e);
              }
            }
            return ToNumpy(std::move(out));
          },
          py::arg("nodes"), "Ids of the edges with both ends among `nodes`.")
      .def(
          "neighbors",
          [](const PyGraph& g, std::uint64_t node, std::uint64_t labels, const std::string& direction) {
            g.CheckNode(node);
            const cg::EdgeFilter filter{labels, ParseDirection(direction)};
            std::vector<std::uint32_t> neighbor, edge;
            std::vector<bool> forward_bits;
            cg::ForEachNeighbor(g.get(), cg::NodeId(node), filter,
                                [&](cg::NodeId other, cg::EdgeIdx e, bool forward) {
                                  neighbor.push_back(other);
                                  edge.push_back(e);
                                  forward_bits.push_back(forward);
                                  return true;
                                });
            std::vector<std::uint8_t> forward(forward_bits.begin(), forward_bits.end());
            return py::make_tuple(ToNumpy(std::move(neighbor)), ToNumpy(std::move(edge)),
                                  ToNumpy(std::move(forward)));
          },
          py::arg("node"), py::arg("labels"), py::arg("direction") = "both",
          "(neighbor, edge_id, forward) arrays; forward = 1 for an out-edge of node.")
      .def(
          "khop",
          [](const PyGraph& g, const Array<std::uint32_t>& sources, std::uint32_t hops,
             std::uint64_t labels, const std::string& direction) {
            for (py::ssize_t i = 0; i < sources.size(); ++i) g.CheckNode(sources.data()[i]);
            const cg::EdgeFilter filter{labels, ParseDirection(direction)};
            std::vector<cg::NodeId> start = FromNumpy(sources);
            std::vector<std::uint32_t> nodes, distance;
            {
              py::gil_scoped_release release;
              auto reached = cg::KHopNeighborhood(g.get(), start, hops, filter);
              nodes.reserve(reached.size());
              distance.reserve(reached.size());
              for (const auto& hop : reached) {
                nodes.push_back(hop.node);
                distance.push_back(hop.hops);
              }
            }
            return py::make_tuple(ToNumpy(std::move(nodes)), ToNumpy(std::move(distance)));
          },
          py::arg("sources"), py::arg("hops"), py::arg("labels"), py::arg("direction") = "both",
          "Nodes within `hops` of the sources, in BFS order: (node, hops) arrays.")
      .def(
          "bfs_distances",
          [](const PyGraph& g, std::uint64_t source, std::uint64_t labels, const std::string& direction) {
            g.CheckNode(source);
            const cg::EdgeFilter filter{labels, ParseDirection(direction)};
            std::vector<std::uint32_t> distance;
            {
              py::gil_scoped_release release;
              distance = cg::BfsDistances(g.get(), cg::NodeId(source), filter);
            }
            return ToNumpy(std::move(distance));
          },
          py::arg("source"), py::arg("labels"), py::arg("direction") = "both",
          "Hop distance to every node (2**32-1 where unreached).")
      .def(
          "shortest_paths",
          [](const PyGraph& g, std::uint64_t from, std::uint64_t to, std::uint64_t labels,
             const std::string& direction, std::size_t max_paths, std::uint32_t max_hops) {
            g.CheckNode(from);
            g.CheckNode(to);
            const cg::EdgeFilter filter{labels, ParseDirection(direction)};
            std::vector<cg::Path> paths;
            {
              py::gil_scoped_release release;
              paths = cg::AllShortestPaths(g.get(), cg::NodeId(from), cg::NodeId(to), filter,
                                           max_paths, max_hops);
            }
            py::list out;
            for (auto& path : paths) {
              out.append(py::make_tuple(ToNumpy(std::move(path.nodes)), ToNumpy(std::move(path.edges))));
            }
            return out;
          },
          py::arg("src"), py::arg("dst"), py::arg("labels"), py::arg("direction") = "both",
          py::arg("max_paths") = 16, py::arg("max_hops") = 6,
          "Every shortest path (up to max_paths): a list of (nodes, edge_ids) arrays.")
      .def(
          "components",
          [](const PyGraph& g, std::uint64_t labels) {
            std::vector<cg::NodeId> component;
            {
              py::gil_scoped_release release;
              component = cg::ConnectedComponents(g.get(), labels);
            }
            return ToNumpy(std::move(component));
          },
          py::arg("labels"), "Weakly connected components: the smallest member's id per node.")
      .def(
          "strong_components",
          [](const PyGraph& g, std::uint64_t labels) {
            std::vector<cg::NodeId> component;
            {
              py::gil_scoped_release release;
              component = cg::StrongComponents(g.get(), labels);
            }
            return ToNumpy(std::move(component));
          },
          py::arg("labels"), "Strongly connected components (Boost.Graph): smallest member per node.")
      .def(
          "controllers",
          [](const PyGraph& g, std::uint8_t label, float threshold) {
            cg::ControlResult result;
            {
              py::gil_scoped_release release;
              result = cg::DeriveControllers(g.get(), label, threshold);
            }
            std::vector<std::uint8_t> source(result.source.size());
            for (std::size_t i = 0; i < source.size(); ++i) source[i] = std::uint8_t(result.source[i]);
            return py::make_tuple(ToNumpy(std::move(result.controller)), ToNumpy(std::move(source)));
          },
          py::arg("label"), py::arg("threshold") = 0.5f,
          "Majority-walk controllers over `label` edges: (controller, source) with source 2 = derived.")
      .def(
          "integrated_shares",
          [](const PyGraph& g, std::uint64_t company, std::uint8_t label, double min_share,
             bool terminal_only) {
            g.CheckNode(company);
            cg::OwnershipResult result;
            // The cached model is read and replaced with the GIL held; the work runs without it.
            std::shared_ptr<cg::OwnershipModel> model = g.ownership;
            if (!model || g.ownership_label != label) {
              {
                py::gil_scoped_release release;
                model = std::make_shared<cg::OwnershipModel>(g.get(), label);
              }
              g.ownership = model;
              g.ownership_label = label;
            }
            {
              py::gil_scoped_release release;
              result = terminal_only ? model->BeneficialOwners(cg::NodeId(company), min_share)
                                     : model->IntegratedShares(cg::NodeId(company), min_share);
            }
            std::vector<std::uint32_t> holder;
            std::vector<double> share, direct;
            std::vector<std::uint8_t> terminal;
            for (const auto& item : result.shares) {
              holder.push_back(item.holder);
              share.push_back(item.share);
              direct.push_back(item.direct);
              terminal.push_back(item.terminal);
            }
            return py::make_tuple(ToNumpy(std::move(holder)), ToNumpy(std::move(share)),
                                  ToNumpy(std::move(direct)), ToNumpy(std::move(terminal)),
                                  result.converged);
          },
          py::arg("company"), py::arg("label"), py::arg("min_share") = 0.0,
          py::arg("terminal_only") = false,
          "Integrated ownership: (holder, share, direct, terminal, converged).")
      .def("serialize",
           [](const PyGraph& g) {
             std::string bytes;
             {
               py::gil_scoped_release release;
               bytes = cg::core::related::SerializeGraph(g.get());
             }
             return py::bytes(bytes);
           })
      .def_static("deserialize",
                  [](const py::bytes& data) {
                    std::string bytes = data;
                    absl::StatusOr<cg::CsrGraph> graph;
                    {
                      py::gil_scoped_release release;
                      graph = cg::core::related::DeserializeGraph(bytes, true);
                    }
                    cg::py_bind::ThrowIfError(graph.status());
                    return Wrap(std::move(*graph));
                  })
      .def(
          "save",
          [](const PyGraph& g, const std::string& db, const std::string& name) {
            absl::Status status;
            {
              py::gil_scoped_release release;
              auto store = cg::core::store::Store::Open(db);
              status = store.ok() ? cg::core::related::SaveGraph(**store, g.get(), name)
                                  : store.status();
            }
            cg::py_bind::ThrowIfError(status);
          },
          py::arg("db"), py::arg("name") = std::string(cg::core::related::kRelatedGraphName),
          "Saves the graph in the database folder `db` (family `graph`).")
      .def_static(
          "load",
          [](const std::string& db, const std::string& name) {
            absl::StatusOr<cg::CsrGraph> graph;
            {
              py::gil_scoped_release release;
              auto store = cg::core::store::Store::Open(db, {.read_only = true, .create_if_missing = false});
              graph = store.ok() ? cg::core::related::LoadGraph(**store, name)
                                 : absl::StatusOr<cg::CsrGraph>(store.status());
            }
            cg::py_bind::ThrowIfError(graph.status());
            return Wrap(std::move(*graph));
          },
          py::arg("db"), py::arg("name") = std::string(cg::core::related::kRelatedGraphName),
          "Loads a saved graph (no rebuild).");
}
