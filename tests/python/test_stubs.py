"""The committed type stubs of creditgraph._core (bindings/python/creditgraph/_core/*.pyi) match
the extension as built: regenerate with `make stubs` after changing a binding."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "bindings" / "python" / "creditgraph" / "_core"


def test_stubs_are_current(tmp_path):
    pytest.importorskip("pybind11_stubgen")
    subprocess.run([sys.executable, "-m", "pybind11_stubgen", "creditgraph._core", "-o", str(tmp_path),
                    "--ignore-all-errors"], check=True, capture_output=True)
    fresh = tmp_path / "creditgraph" / "_core"
    fresh_files = {p.relative_to(fresh): p.read_text() for p in fresh.rglob("*.pyi")}
    committed_files = {p.relative_to(COMMITTED): p.read_text() for p in COMMITTED.rglob("*.pyi")}
    assert sorted(fresh_files) == sorted(committed_files), "run `make stubs`"
    stale = [str(name) for name in fresh_files if fresh_files[name] != committed_files[name]]
    assert not stale, f"stubs out of date for {stale}: run `make stubs`"
