"""Render time of a full texture map set per size, median of several runs, on one core.

Run: .venv/bin/python bench/textures.py [prompt]
"""
from __future__ import annotations

import os

# Pin BLAS/OpenMP pools to one thread before numpy loads: the Lambda worker gets about one core.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from functions.textures import MAP_NAMES, render_texture_set  # noqa: E402

SIZES = (64, 128, 256, 512, 1024, 2048)
PROMPTS = ("mossy red brick wall", "cobblestone", "rusty metal plates", "wet cracked stone")


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    prompts = sys.argv[1:] or PROMPTS
    print(f"{'size':>6} " + " ".join(f"{p[:22]:>24}" for p in prompts))
    for size in SIZES:
        runs = 7 if size <= 256 else 3 if size <= 1024 else 2
        row = []
        for prompt in prompts:
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                render_texture_set(prompt=prompt, size=size, seed=7, maps=MAP_NAMES, pixel_art=False)
                timings.append((time.perf_counter() - start) * 1000.0)
            row.append(statistics.median(timings))
        print(f"{size:>6} " + " ".join(f"{ms:>21.1f} ms" for ms in row), flush=True)


if __name__ == "__main__":
    main()
