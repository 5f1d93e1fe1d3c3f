"""Synthetic province generator: ``creditgraph.generate(scale, seed, out)``.

Writes a data set folder that follows ``shared/spec/catalog.md`` (catalog.yaml, one file per
source, ``truth/``) for a scale factor (SF=1 is Shandong, SF=0.001 a small town). The same
seed and scale give byte-identical files whatever the thread count. See docs/generator.md.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Mapping

from . import _core
from .errors import InputError

__all__ = ["generate", "source_ids", "NOISE_RATES"]

#: The noise rates and their defaults (probabilities; see docs/generator.md).
NOISE_RATES = {
    "omit_code": 0.10, "old_code": 0.06, "id15": 0.05, "typo": 0.03, "fullwidth": 0.02,
    "suffix": 0.05, "region_prefix": 0.05, "space": 0.02, "wrong_check": 0.01,
    "branch_swap": 0.01, "malformed": 0.002,
}


def source_ids() -> list[str]:
    """The ids of the sources the generator writes, in catalog order."""
    return list(_core.generate.source_ids())


def _progress_printer():
    try:
        from tqdm import tqdm  # type: ignore
    except ImportError:  # pragma: no cover - tqdm is optional
        tqdm = None
    if tqdm is not None:
        bar = tqdm(total=1000, desc="generate", unit="‰", leave=True, file=sys.stderr)

        def update(fraction: float, stage: str) -> None:
            bar.set_postfix_str(stage, refresh=False)
            bar.update(int(fraction * 1000) - bar.n)
            if fraction >= 1.0:
                bar.close()
        return update
    started = time.monotonic()
    last = [0.0]

    def update(fraction: float, stage: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - last[0] >= 1.0:
            last[0] = now
            print(f"\rgenerate: {fraction:6.1%} {stage:<16} {now - started:6.1f}s",
                  end="\n" if fraction >= 1.0 else "", file=sys.stderr, flush=True)
    return update


def generate(scale: float, seed: int, out: str | os.PathLike, threads: int | None = None,
             progress: bool = True, as_of: str = "2026-06-30",
             noise: Mapping[str, float] | None = None) -> dict:
    """Generates a data set into ``out`` and returns its counts.

    ``scale``: 1 = Shandong (≈14 M market entities, 20 M persons); counts scale linearly.
    ``threads``: None uses every core; the output does not depend on it.
    ``progress``: show a progress bar (tqdm if installed, else a printed line).
    ``noise``: override some of ``NOISE_RATES``.
    """
    if not isinstance(scale, (int, float)) or not 0 < scale <= 20:
        raise InputError(f"scale must be a number in (0, 20] (1 = Shandong); got {scale!r}")
    if int(seed) < 0:
        raise InputError(f"seed must be a non-negative integer; got {seed!r}")
    callback = _progress_printer() if progress else None
    return dict(_core.generate.generate(float(scale), int(seed), os.fspath(out),
                                        int(threads or 0), as_of, dict(noise or {}), callback))
