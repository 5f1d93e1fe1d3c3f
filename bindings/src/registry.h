// Self-registration of binding areas: each bindings/src/bind_<area>.cc says
//   CG_BIND(area) { ...defs on `m`, the submodule creditgraph._core.<area>... }
// and module.cc creates every registered submodule, so adding an area edits no shared file.
// The bindings are thin: conversion only, the GIL released around every long call.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <string>
#include <vector>

namespace cg::py_bind {

using BindFn = void (*)(pybind11::module_&);
struct BindEntry {
  std::string name;
  BindFn fn;
};
std::vector<BindEntry>& Registry();
struct BindRegistrar {
  BindRegistrar(const char* name, BindFn fn) { Registry().push_back({name, fn}); }
};

}  // namespace cg::py_bind

#define CG_BIND(area)                                                              \
  static void CgBind_##area(pybind11::module_& m);                                 \
  static const ::cg::py_bind::BindRegistrar cg_bind_registrar_##area(#area,        \
                                                                     &CgBind_##area); \
  static void CgBind_##area(pybind11::module_& m)
