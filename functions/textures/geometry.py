"""Where things are: cells, bricks, boards, tiles and cracks, as numpy arrays over one periodic tile.

Nothing here chooses a colour. Every layout is periodic by construction: counts per tile are whole
numbers, random offsets are whole-tile periodic, and cell distances are taken across the wrap.
Distances are in tile units (1.0 = the tile width) so a layout looks the same at every resolution.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def tile_coordinates(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres as (v, u) in [0, 1), shaped to broadcast as (rows, 1) and (1, cols)."""
    centres = (np.arange(size, dtype=np.float32) + 0.5) / size
    return centres[:, None], centres[None, :]


def smoothstep(edge0: float | np.ndarray, edge1: float | np.ndarray, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


@dataclass(frozen=True)
class Cells:
    """Wrap-around Voronoi diagram of a jittered grid."""

    nearest: np.ndarray        # distance to the nearest site, in tile units
    second: np.ndarray         # distance to the second nearest site
    edge: np.ndarray           # distance to the nearest cell border, in tile units
    cell_id: np.ndarray        # int index of the nearest site, stable across the wrap
    offset_v: np.ndarray       # vector from the site to the pixel, in cell units (for domes, facets)
    offset_u: np.ndarray
    count: int                 # sites per tile edge


def voronoi_cells(
    size: int,
    *,
    count: int,
    rng: np.random.Generator,
    jitter: float = 0.7,
    warp_v: np.ndarray | None = None,
    warp_u: np.ndarray | None = None,
) -> Cells:
    """One site per grid cell (``count`` x ``count`` per tile) and every pixel's relation to them.

    Sites are looked up modulo ``count``, so a pixel one tile away sees the same sites: the diagram tiles.
    Jitter stays below 0.75 so the 3x3 neighbourhood always contains the nearest two sites.
    A periodic warp (in tile units) bends cell borders into stone-like or crack-like shapes.
    """
    v, u = tile_coordinates(size)
    pos_v = np.broadcast_to(v, (size, size)).astype(np.float32)
    pos_u = np.broadcast_to(u, (size, size)).astype(np.float32)
    if warp_v is not None:
        pos_v = pos_v + warp_v
    if warp_u is not None:
        pos_u = pos_u + warp_u
    pos_v = pos_v * count
    pos_u = pos_u * count
    base_v = np.floor(pos_v)
    base_u = np.floor(pos_u)
    # Work relative to each pixel's own cell: small numbers keep float32 exact enough at 2048 px.
    frac_v = pos_v - base_v
    frac_u = pos_u - base_u
    jitter_v = 0.5 + (rng.random((count, count), dtype=np.float32) - 0.5) * jitter
    jitter_u = 0.5 + (rng.random((count, count), dtype=np.float32) - 0.5) * jitter

    # Sites of every cell plus a one-cell wrapped border, as offsets from the cell's own origin, so the
    # neighbour (dv, du) of a pixel is one flat gather at a constant offset from its base index.
    padded = count + 2
    ring = np.arange(-1, count + 1) % count
    site_v = jitter_v[np.ix_(ring, ring)].ravel()
    site_u = jitter_u[np.ix_(ring, ring)].ravel()
    site_id = (ring[:, None] * count + ring[None, :]).ravel()
    base_index = ((base_v.astype(np.int64) % count) + 1) * padded + (base_u.astype(np.int64) % count) + 1
    neighbours = [(dv, du, dv * padded + du) for dv in (-1, 0, 1) for du in (-1, 0, 1)]

    best = np.full((size, size), np.inf, dtype=np.float32)
    second = np.full((size, size), np.inf, dtype=np.float32)
    best_neighbour = np.zeros((size, size), dtype=np.int8)
    for number, (dv, du, flat_offset) in enumerate(neighbours):
        index = base_index + flat_offset
        delta_v = frac_v - (dv + site_v[index])
        delta_u = frac_u - (du + site_u[index])
        dist = delta_v * delta_v + delta_u * delta_u
        closer = dist < best
        np.minimum(second, np.where(closer, best, dist), out=second)
        np.copyto(best, dist, where=closer)
        np.copyto(best_neighbour, number, where=closer)

    best_dv = best_neighbour // 3 - 1
    best_du = best_neighbour % 3 - 1
    best_index = base_index + best_dv.astype(np.int64) * padded + best_du
    nearest_v = best_dv + site_v[best_index]
    nearest_u = best_du + site_u[best_index]
    # F2 - F1 gives borders of uneven width; the distance to the bisector with each neighbour is exact.
    edge = np.full((size, size), np.inf, dtype=np.float32)
    for dv, du, flat_offset in neighbours:
        index = base_index + flat_offset
        other_v = dv + site_v[index]
        other_u = du + site_u[index]
        dir_v = other_v - nearest_v
        dir_u = other_u - nearest_u
        length = np.sqrt(dir_v * dir_v + dir_u * dir_u)
        same = length < 1e-5
        bisector = ((0.5 * (other_v + nearest_v) - frac_v) * dir_v
                    + (0.5 * (other_u + nearest_u) - frac_u) * dir_u) / np.where(same, 1.0, length)
        np.minimum(edge, np.where(same, np.inf, bisector), out=edge)
    return Cells(
        nearest=np.sqrt(best) / count,
        second=np.sqrt(second) / count,
        edge=np.maximum(edge, 0.0) / count,
        cell_id=site_id[best_index],
        offset_v=(frac_v - nearest_v).astype(np.float32),
        offset_u=(frac_u - nearest_u).astype(np.float32),
        count=count,
    )


@dataclass(frozen=True)
class Blocks:
    """A running-bond or grid layout of rectangles (bricks, tiles, boards, panels)."""

    block_id: np.ndarray       # int per pixel, the same for every pixel of one rectangle
    edge: np.ndarray           # distance to the rectangle's border, in tile units
    local_v: np.ndarray        # position inside the rectangle, 0..1
    local_u: np.ndarray
    row: np.ndarray            # row index, for per-row variation


def block_layout(
    size: int,
    *,
    rows: int,
    columns: int,
    row_shift: float = 0.5,
    offset_v: float = 0.0,
    offset_u: float = 0.0,
    row_shifts: np.ndarray | None = None,
) -> Blocks:
    """Rows of equal rectangles, each row shifted by ``row_shift`` of a rectangle (0.5 = running bond).

    ``offset_*`` slide the whole layout (in tile units) so mortar lines need not sit on the tile edge.
    ``row_shifts`` (one per row, in rectangles) replaces the regular bond, for boards that end anywhere;
    the layout still repeats because every row holds a whole number of rectangles.
    """
    v, u = tile_coordinates(size)
    row_pos = (v + offset_v) * rows
    row = np.floor(row_pos).astype(np.int64)
    local_v = row_pos - row
    row %= rows
    shift = (row % 2) * row_shift if row_shifts is None else row_shifts[row]
    col_pos = (u + offset_u) * columns + shift
    col = np.floor(col_pos).astype(np.int64)
    local_u = col_pos - col
    col %= columns
    edge = np.minimum(
        np.minimum(local_v, 1.0 - local_v) / rows,
        np.minimum(local_u, 1.0 - local_u) / columns,
    )
    block_id = np.broadcast_to(row * columns + col, (size, size))
    return Blocks(
        block_id=block_id,
        edge=np.broadcast_to(edge, (size, size)).astype(np.float32),
        local_v=np.broadcast_to(local_v, (size, size)).astype(np.float32),
        local_u=np.broadcast_to(local_u, (size, size)).astype(np.float32),
        row=np.broadcast_to(row, (size, size)),
    )


def per_id_random(ids: np.ndarray, *, rng: np.random.Generator, count: int) -> np.ndarray:
    """A random value in [0, 1) per cell/block id: stable within the cell, different between cells."""
    return rng.random(count, dtype=np.float32)[ids % count]


def line_mask(distance: np.ndarray, *, width: float, pixel: float) -> np.ndarray:
    """1 on a line of ``width`` (tile units) around distance 0, antialiased over one pixel."""
    half = max(width * 0.5, pixel * 0.5)
    return 1.0 - smoothstep(half - pixel * 0.5, half + pixel * 0.5, distance)


def crack_network(cells: Cells, *, coverage: np.ndarray, width: float, pixel: float) -> np.ndarray:
    """Cracks along warped cell borders, kept where ``coverage`` > 0 so the network is broken, not a grid."""
    lines = line_mask(cells.edge, width=width, pixel=pixel)
    return lines * smoothstep(0.0, 0.25, coverage)
