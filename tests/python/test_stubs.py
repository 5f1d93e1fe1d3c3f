"""The committed type stubs of creditgraph._core (bindings/python/creditgraph/_core/*.pyi) describe
the extension as built: every submodule, class, function and method of the module has its stub,
and no stub names something the module lacks. Regenerate with `make stubs` after changing a
binding. (The comparison is by names, not text, so a newer pybind11-stubgen's formatting does not
fail it.)"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

from creditgraph import _core

STUBS = Path(__file__).resolve().parents[2] / "bindings" / "python" / "creditgraph" / "_core"


def stub_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(f"{node.name}.{item.name}" for item in node.body
                         if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"))
    return names


def module_names(module) -> set[str]:
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if inspect.isclass(value):
            if issubclass(value, BaseException):
                names.add(name)
                continue
            names.add(name)
            names.update(f"{name}.{attr}" for attr, member in vars(value).items()
                         if not attr.startswith("_") and callable(member) or isinstance(member, staticmethod))
        elif callable(value):
            names.add(name)
    return names


def test_every_submodule_has_a_stub():
    submodules = {name for name, value in vars(_core).items() if inspect.ismodule(value)}
    stubbed = {path.stem for path in STUBS.glob("*.pyi") if path.stem != "__init__"}
    assert submodules == stubbed, "run `make stubs`"


def test_stubs_name_exactly_what_the_module_has():
    for path in STUBS.glob("*.pyi"):
        if path.stem == "__init__":
            continue
        module = getattr(_core, path.stem)
        expected = {n for n in module_names(module) if "." not in n or not n.split(".")[1].startswith("_")}
        stubbed = stub_names(path)
        missing = expected - stubbed
        assert not missing, f"{path.name} lacks {sorted(missing)[:10]}: run `make stubs`"
        extra = {n for n in stubbed - expected if "." not in n}
        assert not extra, f"{path.name} names {sorted(extra)[:10]} that the module lacks: run `make stubs`"
