"""Periodic noise fields: every field here wraps around exactly at the tile edge.

Built on perlin-numpy, whose gradient lattice repeats when ``tileable=(True, True)``, so each octave is
periodic by construction. perlin-numpy evaluates every octave at full resolution, which is the slow part
(about 190 ns per pixel per octave), so coarse octaves are evaluated at 8 pixels per lattice cell and
brought to full size with a wrap-around bilinear upsample; gradient noise is smooth inside a cell, so
nothing visible is lost and 256 px stays within the render budget.
"""
from __future__ import annotations

import numpy as np
from perlin_numpy import generate_perlin_noise_2d

PIXELS_PER_LATTICE_CELL = 8
# Above this, detail comes from geometry and per-pixel grain instead: a 2048 px octave costs ~0.8 s.
MAX_NOISE_RESOLUTION = 1024


def periodic_upsample(image: np.ndarray, *, shape: tuple[int, int]) -> np.ndarray:
    """Bilinear upsample by whole factors, reading neighbours across the wrap so the result stays periodic."""
    out = image
    for axis, target in enumerate(shape):
        source = out.shape[axis]
        if source == target:
            continue
        factor = target // source
        position = (np.arange(target, dtype=np.float32) + 0.5) / factor - 0.5
        lower = np.floor(position).astype(np.int64)
        weight = (position - lower).astype(np.float32)
        lower %= source
        upper = (lower + 1) % source
        a = np.take(out, lower, axis=axis)
        b = np.take(out, upper, axis=axis)
        weight_shape = [1, 1]
        weight_shape[axis] = target
        w = weight.reshape(weight_shape)
        out = a + (b - a) * w
    return out


def fractal_noise(
    size: int,
    *,
    rng: np.random.Generator,
    cells: tuple[int, int] = (4, 4),
    octaves: int = 5,
    persistence: float = 0.5,
) -> np.ndarray:
    """Periodic fBm in roughly [-1, 1]; ``cells`` = lattice cells per tile along (rows, cols), powers of two.

    Octaves whose lattice would be finer than 4 px are skipped: they only alias at this size, and
    skipping keeps the same seed looking the same at every size (low octaves are drawn first).
    """
    total = np.zeros((size, size), dtype=np.float32)
    amplitude, norm = 1.0, 0.0
    cell_rows, cell_cols = cells
    for _ in range(octaves):
        # Draw the lattice even when skipping so later fields get the same random stream at every size.
        octave_rng = np.random.default_rng(rng.integers(0, 2**63))
        if cell_rows * 4 <= size and cell_cols * 4 <= size:
            work = (
                min(size, cell_rows * PIXELS_PER_LATTICE_CELL, MAX_NOISE_RESOLUTION),
                min(size, cell_cols * PIXELS_PER_LATTICE_CELL, MAX_NOISE_RESOLUTION),
            )
            octave = generate_perlin_noise_2d(work, (cell_rows, cell_cols), (True, True), rng=octave_rng)
            total += amplitude * periodic_upsample(octave.astype(np.float32), shape=(size, size))
            norm += amplitude
        amplitude *= persistence
        cell_rows *= 2
        cell_cols *= 2
    return total / max(norm, 1e-6) * 1.4


def pixel_grain(size: int, *, rng: np.random.Generator) -> np.ndarray:
    """Per-pixel white noise in [-1, 1]: periodic trivially, and the cheapest source of micro detail."""
    return rng.random((size, size), dtype=np.float32) * 2.0 - 1.0


def variant(field: np.ndarray, *, index: int) -> np.ndarray:
    """A visually unrelated copy of a periodic field: transposed, flipped and rolled, still periodic.

    One full-resolution fBm costs more than everything else in a 256 px render, so materials that need
    several independent-looking patterns derive them from one field.
    """
    n = field.shape[0]
    out = field.T if index % 2 else field
    if index & 2:
        out = out[::-1]
    if index & 4:
        out = out[:, ::-1]
    shift = (index * 0.381966 % 1.0, index * 0.618034 % 1.0)
    return np.roll(out, (int(shift[0] * n), int(shift[1] * n)), axis=(0, 1))


def ridged(noise: np.ndarray) -> np.ndarray:
    """Sharp crests where the noise crosses zero: rock ridges, bark furrows, cracks in ice."""
    return 1.0 - np.abs(np.clip(noise, -1.0, 1.0))


def periodic_waves(size: int, *, waves: list[tuple[int, int, float, float]]) -> np.ndarray:
    """Sum of plane waves ``(k_rows, k_cols, amplitude, phase)``; integer wave numbers make it tile."""
    v = (np.arange(size, dtype=np.float32) / size)[:, None]
    u = (np.arange(size, dtype=np.float32) / size)[None, :]
    total = np.zeros((size, size), dtype=np.float32)
    for k_rows, k_cols, amplitude, phase in waves:
        total += amplitude * np.sin(np.float32(2 * np.pi) * (k_rows * v + k_cols * u) + np.float32(phase))
    return total
