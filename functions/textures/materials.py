"""One function per material family: geometry from geometry.py, painted into a Surface.

Counts (bricks per tile, cells per tile) are fixed per family so a texture shows the same layout at
every size; larger sizes only add finer noise octaves.
"""
from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from .geometry import (
    Blocks,
    block_layout,
    crack_network,
    line_mask,
    per_id_random,
    smoothstep,
    tile_coordinates,
    voronoi_cells,
)
from .noise import fractal_noise, periodic_waves, pixel_grain, ridged, variant
from .shading import colour_ramp, mix


@dataclass(frozen=True)
class Surface:
    basecolor: np.ndarray          # sRGB 0..1, (n, n, 3)
    height: np.ndarray             # 0..1
    roughness: np.ndarray          # 0..1
    metallic: np.ndarray           # 0..1
    depth: float                   # how tall height 1.0 is, in tile units (drives normal strength)
    tint_mask: np.ndarray          # where colour words apply (bricks yes, mortar no)
    emission: np.ndarray | None = None   # linear RGB added in the preview only (lava)


@dataclass
class MaterialContext:
    size: int
    seed: int
    pixel_art: bool
    _fields: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def pixel(self) -> float:
        return 1.0 / self.size

    @property
    def edge_softness(self) -> float:
        """Antialiasing width: about a pixel, but nearly none in pixel art, whose edges must be crisp."""
        return self.pixel * (0.3 if self.pixel_art else 1.2)

    def line(self, width: float) -> float:
        """A line width no thinner than one pixel; exactly one texel in pixel art."""
        return self.pixel if self.pixel_art else max(width, self.pixel * 1.5)

    def offset(self, rng: np.random.Generator) -> float:
        """A random layout offset snapped to whole pixels, so pixel-art joints land on the texel grid."""
        return float(rng.integers(0, self.size)) / self.size

    def joints(self, layout: Blocks, *, rows: int, columns: int, width: float) -> np.ndarray:
        """1 on the faces of blocks, 0 in the joints between them.

        Pixel art wants joints exactly one texel wide, which a symmetric distance-to-edge cannot give
        (it is always an even number of texels), so there the first texel row and column are the joint.
        """
        if self.pixel_art:
            first_row = layout.local_v * (self.size / rows) < 1.0
            first_column = layout.local_u * (self.size / columns) < 1.0
            return (~(first_row | first_column)).astype(np.float32)
        width = self.line(width)
        return smoothstep(width * 0.5, width * 0.5 + self.edge_softness, layout.edge)

    def rng(self, purpose: str) -> np.random.Generator:
        # crc32, not hash(): str hashes are salted per process and would break determinism.
        return np.random.default_rng(
            [self.seed & 0xFFFFFFFF, (self.seed >> 32) & 0xFFFFFFFF, zlib.crc32(purpose.encode())])

    def noise(self, purpose: str, *, cells: tuple[int, int] = (4, 4), octaves: int = 6,
              persistence: float = 0.5) -> np.ndarray:
        key = f"{purpose}:{cells}:{octaves}:{persistence}"
        if key not in self._fields:
            self._fields[key] = fractal_noise(self.size, rng=self.rng(purpose), cells=cells, octaves=octaves,
                                              persistence=persistence)
        return self._fields[key]

    def grain(self, purpose: str = "grain") -> np.ndarray:
        return pixel_grain(self.size, rng=self.rng(purpose))

    def full(self, value: float) -> np.ndarray:
        return np.full((self.size, self.size), value, dtype=np.float32)


def _normalise(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return ((values - low) / max(high - low, 1e-6)).astype(np.float32)


def brick(ctx: MaterialContext) -> Surface:
    rng = ctx.rng("layout")
    rows, columns = (8, 4) if ctx.pixel_art else (12, 4)
    layout = block_layout(ctx.size, rows=rows, columns=columns, offset_v=ctx.offset(rng),
                          offset_u=ctx.offset(rng))
    base = ctx.noise("base")
    chips = variant(base, index=3)
    # Ragged brick edges read as fired clay; perfectly straight ones read as a vector drawing.
    ragged = 0.0 if ctx.pixel_art else 1.0
    edge = layout.edge + ragged * (0.0025 * variant(base, index=5) + 0.002 * np.minimum(chips, 0.0))
    mortar = ctx.line(0.012)
    brick_mask = ctx.joints(replace(layout, edge=edge), rows=rows, columns=columns, width=0.012)
    bevel = smoothstep(mortar * 0.5, mortar * 0.5 + 0.014, edge)
    grain = ctx.grain()
    tone = per_id_random(layout.block_id, rng=rng, count=rows * columns)
    height = (0.12 + 0.05 * grain + brick_mask * (0.45 + 0.3 * np.sqrt(bevel) + 0.06 * base + 0.02 * grain))
    brick_colour = colour_ramp(tone * 0.75 + 0.12 * base + 0.08 * grain,
                               stops=[(0.0, "#6e2c20"), (0.35, "#8e3a2a"), (0.65, "#a24e35"), (1.0, "#b8704f")])
    # Fired bricks are darker towards their faces' edges.
    brick_colour = mix(brick_colour, "#4a2419", (1.0 - bevel) * 0.35)
    brick_colour = mix(brick_colour, "#c9b8a0", smoothstep(0.55, 0.9, variant(base, index=6)) * 0.25)
    mortar_colour = colour_ramp(0.5 + 0.3 * variant(base, index=1) + 0.15 * grain,
                                stops=[(0.0, "#8d857a"), (1.0, "#b8b0a2")])
    basecolor = mix(mortar_colour, brick_colour, brick_mask)
    roughness = 0.95 - 0.12 * brick_mask + 0.04 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.02, tint_mask=brick_mask)


def _rounded_stones(ctx: MaterialContext, *, count: int, gap: float, warp: float, jitter: float = 0.7):
    base = ctx.noise("base")
    cells = voronoi_cells(ctx.size, count=count, rng=ctx.rng("cells"), jitter=jitter,
                          warp_v=warp * variant(base, index=2), warp_u=warp * variant(base, index=7))
    gap = ctx.line(gap)
    stone_mask = smoothstep(gap * 0.5, gap * 0.5 + ctx.edge_softness, cells.edge)
    # sqrt of the distance to the border gives a rounded shoulder and a flattish top, like worn stone.
    dome = np.sqrt(smoothstep(gap * 0.5, gap * 0.5 + 0.6 / count, cells.edge))
    return cells, stone_mask, dome, base


def cobblestone(ctx: MaterialContext) -> Surface:
    count = 4 if ctx.pixel_art else 6
    cells, stone_mask, dome, base = _rounded_stones(ctx, count=count, gap=0.012, warp=0.025)
    grain = ctx.grain()
    tone = per_id_random(cells.cell_id, rng=ctx.rng("tone"), count=count * count)
    height = 0.05 + 0.05 * grain + stone_mask * (0.25 + 0.65 * dome * (0.8 + 0.2 * tone) + 0.05 * base)
    stone_colour = colour_ramp(tone + 0.15 * variant(base, index=1) + 0.05 * grain,
                               stops=[(0.0, "#5d5953"), (0.35, "#77726a"), (0.7, "#8d877c"), (1.0, "#9c958a")])
    stone_colour = mix(stone_colour, "#4a4640", (1.0 - dome) * 0.4)
    gap_colour = colour_ramp(0.5 + 0.4 * variant(base, index=4) + 0.2 * grain,
                             stops=[(0.0, "#2b251f"), (1.0, "#4e4336")])
    basecolor = mix(gap_colour, stone_colour, stone_mask)
    roughness = 0.95 - 0.15 * stone_mask * dome + 0.03 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.03, tint_mask=stone_mask)


def gravel(ctx: MaterialContext) -> Surface:
    count = 8 if ctx.pixel_art else 16
    cells, stone_mask, dome, base = _rounded_stones(ctx, count=count, gap=0.006, warp=0.008)
    grain = ctx.grain()
    tone = per_id_random(cells.cell_id, rng=ctx.rng("tone"), count=count * count)
    hue = per_id_random(cells.cell_id, rng=ctx.rng("hue"), count=count * count)
    height = 0.1 * grain * 0.3 + stone_mask * dome * (0.5 + 0.5 * tone)
    grey = colour_ramp(tone + 0.04 * grain, stops=[(0.0, "#55524d"), (0.5, "#817c74"), (1.0, "#aaa49a")])
    brown = colour_ramp(tone + 0.04 * grain, stops=[(0.0, "#5a4a3a"), (0.5, "#84705a"), (1.0, "#b09a80")])
    stones = mix(grey, brown, smoothstep(0.55, 0.75, hue))
    stones = mix(stones, "#3c3a36", (1.0 - dome) * 0.35)
    basecolor = mix(colour_ramp(0.5 + 0.5 * grain, stops=[(0.0, "#2a2520"), (1.0, "#3e362d")]), stones, stone_mask)
    roughness = 0.9 - 0.12 * dome * stone_mask
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.012, tint_mask=stone_mask)


def stone(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", octaves=7, persistence=0.55)
    grain = ctx.grain()
    strata = ridged(variant(base, index=1) * 1.6)
    cells = voronoi_cells(ctx.size, count=3, rng=ctx.rng("cells"), jitter=0.7,
                          warp_v=0.06 * variant(base, index=2), warp_u=0.06 * variant(base, index=5))
    # Joints between rock faces: deep, slightly wider than a crack.
    joints = line_mask(cells.edge, width=0.008, pixel=ctx.pixel)
    face_tilt = per_id_random(cells.cell_id, rng=ctx.rng("tilt"), count=9)
    height = (0.5 + 0.28 * base + 0.12 * strata ** 3 + 0.1 * face_tilt + 0.03 * grain) * (1.0 - 0.5 * joints)
    height = _normalise(height)
    tone = 0.55 * height + 0.25 * variant(base, index=6) + 0.15 * face_tilt + 0.05 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#3f3e3b"), (0.35, "#615f5a"), (0.7, "#838079"),
                                         (1.0, "#a29e95")])
    speckle = smoothstep(0.8, 1.0, grain)
    basecolor = mix(basecolor, "#c5c0b4", speckle * 0.3)
    basecolor = mix(basecolor, "#26241f", joints * 0.6)
    roughness = 0.88 + 0.05 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.035, tint_mask=ctx.full(1.0))


def planks(ctx: MaterialContext) -> Surface:
    rng = ctx.rng("layout")
    rows = 4 if ctx.pixel_art else 6
    columns = 2
    shifts = rng.random(rows).astype(np.float32)
    layout = block_layout(ctx.size, rows=rows, columns=columns, offset_v=ctx.offset(rng),
                          row_shifts=np.round(shifts * ctx.size / columns) * columns / ctx.size)
    board_tone = per_id_random(layout.block_id, rng=ctx.rng("tone"), count=rows * columns)
    board_phase = per_id_random(layout.block_id, rng=ctx.rng("phase"), count=rows * columns)
    # Grain runs along the boards: lattice long in u, fine in v.
    streaks = ctx.noise("grain", cells=(16, 2), octaves=4, persistence=0.6)
    wobble = ctx.noise("base", cells=(4, 2), octaves=3)
    grain = ctx.grain()
    ring_position = (layout.local_v * 3.0 + board_phase * 7.0 + 1.2 * wobble + 0.35 * streaks)
    rings = np.abs(np.modf(ring_position)[0] - 0.5) * 2.0
    ring_lines = smoothstep(0.75, 0.98, rings)
    gap = ctx.line(0.005)
    board_mask = ctx.joints(layout, rows=rows, columns=columns, width=0.005)
    bevel = smoothstep(gap * 0.5, gap * 0.5 + 0.01, layout.edge)
    tone = 0.45 + 0.35 * (board_tone - 0.5) + 0.2 * streaks - 0.35 * ring_lines + 0.04 * grain
    wood = colour_ramp(tone, stops=[(0.0, "#5a3519"), (0.35, "#7d4e2a"), (0.65, "#9c6a3e"), (1.0, "#b88a58")])
    basecolor = mix(np.zeros_like(wood) + np.array([0.13, 0.08, 0.05], dtype=np.float32), wood, board_mask)
    height = board_mask * (0.6 + 0.3 * bevel - 0.08 * ring_lines + 0.04 * streaks) + 0.02 * grain
    roughness = 0.62 + 0.15 * ring_lines + 0.05 * streaks + 0.3 * (1.0 - board_mask)
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.012, tint_mask=board_mask)


def bark(ctx: MaterialContext) -> Surface:
    furrow_noise = ctx.noise("furrows", cells=(2, 16), octaves=4, persistence=0.5)
    detail = ctx.noise("base", cells=(4, 4), octaves=6)
    grain = ctx.grain()
    # Bark plates are flat-topped with narrow deep furrows between them: clip the ridged noise's top.
    furrows = 1.0 - ridged(furrow_noise * 2.5 + 0.3 * detail) ** 4
    plates = smoothstep(0.05, 0.5, furrows)
    breaks = smoothstep(0.5, 0.8, ridged(ctx.noise("breaks", cells=(8, 16), octaves=2) * 3.0))
    height = _normalise(0.75 * plates * (1.0 - 0.5 * breaks) + 0.15 * detail + 0.05 * grain)
    tone = 0.7 * height + 0.2 * variant(detail, index=3) + 0.05 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#1e150e"), (0.35, "#3d2b1d"), (0.7, "#5f4a38"),
                                         (1.0, "#7d6b5a")])
    lichen = smoothstep(0.45, 0.7, variant(detail, index=5)) * smoothstep(0.6, 0.8, height)
    basecolor = mix(basecolor, "#7d8a64", lichen * 0.5)
    roughness = 0.92 + 0.05 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.05, tint_mask=ctx.full(1.0))


def grass(ctx: MaterialContext) -> Surface:
    blades = ctx.noise("blades", cells=(8, 64) if ctx.size >= 256 else (8, 32), octaves=2, persistence=0.6)
    crossing = ctx.noise("crossing", cells=(16, 32), octaves=2)
    clumps = ctx.noise("base", cells=(4, 4), octaves=4)
    grain = ctx.grain()
    # Blades are thin vertical streaks; the clumps decide how tall and how dry each patch is.
    strands = np.maximum(ridged(blades * 2.2), 0.8 * ridged(crossing * 2.0)) ** 3
    height = _normalise(0.6 * strands + 0.3 * clumps + 0.1 * grain)
    tone = 0.6 * height + 0.25 * clumps + 0.1 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#1d3312"), (0.35, "#355d1e"), (0.7, "#5b8a2e"),
                                         (1.0, "#8fb04a")])
    dry = smoothstep(0.35, 0.75, variant(clumps, index=3))
    basecolor = mix(basecolor, colour_ramp(tone, stops=[(0.0, "#4a4520"), (1.0, "#b5a55a")]), dry * 0.45)
    roughness = 0.85 + 0.1 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.02, tint_mask=ctx.full(1.0))


def moss(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(8, 8), octaves=5, persistence=0.6)
    cushions = voronoi_cells(ctx.size, count=10, rng=ctx.rng("cells"), jitter=0.7,
                             warp_v=0.02 * variant(base, index=1), warp_u=0.02 * variant(base, index=2))
    grain = ctx.grain()
    fuzz = ctx.grain("fuzz")
    dome = smoothstep(0.0, 0.05, cells_edge := cushions.edge)
    height = _normalise(0.25 * dome + 0.45 * base + 0.2 * grain + 0.1 * fuzz)
    tone = 0.55 * height + 0.25 * variant(base, index=4) + 0.1 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#1f2e10"), (0.35, "#3c5a1a"), (0.7, "#637f26"),
                                         (1.0, "#9aa845")])
    basecolor = mix(basecolor, "#15200b", (1.0 - smoothstep(0.0, 0.02, cells_edge)) * 0.2)
    roughness = 0.93 + 0.05 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.03, tint_mask=ctx.full(1.0))


def dirt(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", octaves=7, persistence=0.55)
    grain = ctx.grain()
    pebbles_cells = voronoi_cells(ctx.size, count=16, rng=ctx.rng("cells"), jitter=0.7,
                                  warp_v=0.01 * variant(base, index=4), warp_u=0.01 * variant(base, index=5))
    chosen = per_id_random(pebbles_cells.cell_id, rng=ctx.rng("pebbles"), count=256) < 0.3
    radius = 0.006 + 0.01 * per_id_random(pebbles_cells.cell_id, rng=ctx.rng("radius"), count=256)
    pebble = chosen * np.sqrt(smoothstep(radius, radius * 0.4, pebbles_cells.nearest))
    height = _normalise(0.55 * base + 0.15 * grain + 0.35 * pebble)
    tone = 0.5 * height + 0.3 * variant(base, index=2) + 0.1 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#2e2015"), (0.4, "#4c3523"), (0.75, "#6b4e35"),
                                         (1.0, "#85694d")])
    basecolor = mix(basecolor, colour_ramp(0.3 + 0.6 * pebble, stops=[(0.0, "#4a4038"), (1.0, "#7d746a")]),
                    smoothstep(0.0, 0.3, pebble) * 0.8)
    roughness = 0.95 - 0.1 * pebble
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.02, tint_mask=ctx.full(1.0))


def sand(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=5)
    grain = ctx.grain()
    v, u = tile_coordinates(ctx.size)
    # Wind ripples: whole wave numbers across the tile keep them periodic, the noise bends them.
    phase = 2 * np.pi * (7 * v + 1 * u) + 2.5 * base
    ripples = np.sin(phase)
    ripples = np.where(ripples > 0, ripples, ripples * 0.5)   # sharper crest, gentle trough
    height = _normalise(0.45 * ripples + 0.35 * variant(base, index=2) + 0.1 * grain)
    tone = 0.45 * height + 0.25 * variant(base, index=3) + 0.15 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#a8875c"), (0.5, "#c9a878"), (1.0, "#e0c89a")])
    roughness = 0.9 + 0.05 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.008, tint_mask=ctx.full(1.0))


def water(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=5)
    rng = ctx.rng("waves")
    waves = [(int(rng.integers(-6, 7)), int(rng.integers(2, 9)), 1.0 / (1 + i), float(rng.random() * 6.283))
             for i in range(6)]
    swell = periodic_waves(ctx.size, waves=waves)
    cells = voronoi_cells(ctx.size, count=6, rng=ctx.rng("cells"), jitter=0.7,
                          warp_v=0.05 * variant(base, index=1), warp_u=0.05 * variant(base, index=2))
    # Sunlit caustic-like ridges along warped cell borders give the ripples their look.
    ripples = 1.0 - smoothstep(0.0, 0.025, cells.edge)
    height = _normalise(0.45 * swell / 2.5 + 0.35 * base + 0.3 * ripples)
    basecolor = colour_ramp(0.6 * height + 0.2 * variant(base, index=3),
                            stops=[(0.0, "#0d2f4a"), (0.5, "#16506e"), (1.0, "#2a7a8c")])
    basecolor = mix(basecolor, "#6fb3bf", ripples * 0.35)
    roughness = 0.04 + 0.04 * smoothstep(0.3, 0.9, variant(base, index=5))
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.006, tint_mask=ctx.full(1.0))


def lava(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=6)
    grain = ctx.grain()
    cells = voronoi_cells(ctx.size, count=5, rng=ctx.rng("cells"), jitter=0.7,
                          warp_v=0.05 * variant(base, index=1), warp_u=0.05 * variant(base, index=2))
    heat = 1.0 - smoothstep(0.0, 0.03 + 0.015 * variant(base, index=3), cells.edge)
    crust_dome = np.sqrt(smoothstep(0.0, 0.08, cells.edge))
    height = _normalise(crust_dome * (0.7 + 0.2 * base + 0.05 * grain) - 0.3 * heat)
    crust = colour_ramp(0.5 + 0.3 * base + 0.2 * grain, stops=[(0.0, "#141010"), (0.6, "#2a2220"),
                                                               (1.0, "#3d302a")])
    crust = mix(crust, "#5a1a0a", (1.0 - crust_dome) * 0.6)
    glow = colour_ramp(heat, stops=[(0.0, "#3a0a02"), (0.4, "#c02a05"), (0.75, "#ff7a10"), (1.0, "#ffd24a")])
    molten = smoothstep(0.05, 0.6, heat)
    basecolor = mix(crust, glow, molten)
    emission = (glow ** 2.2) * (molten ** 1.5)[..., None] * 3.0
    roughness = 0.9 - 0.55 * molten
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.03, tint_mask=molten, emission=emission.astype(np.float32))


def ice(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=6)
    grain = ctx.grain()
    cells = voronoi_cells(ctx.size, count=4, rng=ctx.rng("cells"), jitter=0.7,
                          warp_v=0.03 * variant(base, index=1), warp_u=0.03 * variant(base, index=2))
    cracks = crack_network(cells, coverage=variant(base, index=3) + 0.2, width=0.003, pixel=ctx.pixel)
    fine = crack_network(
        voronoi_cells(ctx.size, count=10, rng=ctx.rng("fine"), jitter=0.7,
                      warp_v=0.02 * variant(base, index=4), warp_u=0.02 * variant(base, index=6)),
        coverage=variant(base, index=7) - 0.1, width=0.0015, pixel=ctx.pixel)
    height = _normalise(0.6 + 0.25 * base + 0.02 * grain - 0.4 * cracks - 0.2 * fine)
    depth_tone = 0.5 + 0.5 * variant(base, index=5)
    basecolor = colour_ramp(depth_tone, stops=[(0.0, "#6d9fb8"), (0.5, "#a4cadb"), (1.0, "#d5ebf2")])
    basecolor = mix(basecolor, "#f2fbff", np.maximum(cracks, fine * 0.7) * 0.8)
    roughness = 0.08 + 0.1 * smoothstep(0.2, 0.9, variant(base, index=2)) + 0.3 * cracks
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.008, tint_mask=ctx.full(1.0))


def snow(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=6, persistence=0.45)
    grain = ctx.grain()
    height = _normalise(0.8 * base + 0.05 * grain)
    basecolor = colour_ramp(0.7 * height + 0.1 * grain, stops=[(0.0, "#b9c9dc"), (0.5, "#dde6ef"),
                                                               (1.0, "#f7f9fb")])
    sparkle = smoothstep(0.93, 1.0, grain)
    basecolor = mix(basecolor, "#ffffff", sparkle)
    roughness = 0.75 - 0.4 * sparkle
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.015, tint_mask=ctx.full(1.0))


def _panels(ctx: MaterialContext):
    rng = ctx.rng("layout")
    layout = block_layout(ctx.size, rows=2, columns=2, row_shift=0.0, offset_v=ctx.offset(rng),
                          offset_u=ctx.offset(rng))
    panel_mask = ctx.joints(layout, rows=2, columns=2, width=0.004)
    # Rivets on a ring inset from each panel border, spaced evenly so they also repeat across panels.
    inset, spacing = 0.02, 0.0625
    along_u = np.abs((np.modf(layout.local_u * 0.5 / spacing)[0]) - 0.5) * spacing
    along_v = np.abs((np.modf(layout.local_v * 0.5 / spacing)[0]) - 0.5) * spacing
    from_edge_v = np.minimum(layout.local_v, 1.0 - layout.local_v) * 0.5
    from_edge_u = np.minimum(layout.local_u, 1.0 - layout.local_u) * 0.5
    rivet_distance = np.minimum(np.hypot(from_edge_v - inset, along_u), np.hypot(from_edge_u - inset, along_v))
    radius = max(0.007, ctx.pixel * 1.5)
    rivets = np.sqrt(np.clip(1.0 - (rivet_distance / radius) ** 2, 0.0, 1.0))
    return layout, panel_mask, rivets


def metal_plate(ctx: MaterialContext) -> Surface:
    layout, panel_mask, rivets = _panels(ctx)
    brushed = ctx.noise("brushed", cells=(64, 2) if ctx.size >= 256 else (32, 2), octaves=2)
    dents = ctx.noise("base", cells=(4, 4), octaves=4)
    grain = ctx.grain()
    panel_tone = per_id_random(layout.block_id, rng=ctx.rng("tone"), count=4)
    height = 0.1 + panel_mask * (0.45 + 0.04 * dents) + 0.35 * rivets + 0.01 * brushed
    tone = 0.5 + 0.15 * (panel_tone - 0.5) + 0.12 * brushed + 0.08 * dents + 0.03 * grain
    basecolor = colour_ramp(tone, stops=[(0.0, "#5f6367"), (0.5, "#8e9399"), (1.0, "#b4b9bf")])
    basecolor = mix(basecolor, "#2c2e30", (1.0 - panel_mask) * 0.7)
    roughness = 0.32 + 0.1 * brushed + 0.08 * smoothstep(0.2, 0.8, variant(dents, index=3)) + 0.02 * grain
    metallic = np.where(panel_mask > 0.5, 1.0, 0.85).astype(np.float32)
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=metallic,
                   depth=0.008, tint_mask=panel_mask)


def rusted_metal(ctx: MaterialContext) -> Surface:
    plate = metal_plate(ctx)
    base = ctx.noise("rust", cells=(4, 4), octaves=7, persistence=0.6)
    grain = ctx.grain("rust grain")
    # Rust starts at seams, rivets and low spots, then spreads in blotches.
    seams = 1.0 - smoothstep(0.1, 0.5, plate.height)
    coverage = smoothstep(-0.15, 0.25, base + 0.6 * seams + 0.15 * grain)
    flakes = smoothstep(0.4, 0.9, variant(base, index=3) + 0.3 * grain)
    rust = colour_ramp(0.5 + 0.35 * variant(base, index=5) + 0.25 * grain,
                       stops=[(0.0, "#3f1e0e"), (0.35, "#6e3317"), (0.7, "#9a4d1f"), (1.0, "#c0732f")])
    basecolor = mix(plate.basecolor, rust, coverage)
    height = plate.height + coverage * (0.05 + 0.06 * flakes)
    roughness = plate.roughness + (0.9 - plate.roughness) * coverage
    metallic = plate.metallic * (1.0 - coverage)
    return replace(plate, basecolor=basecolor, height=height, roughness=roughness, metallic=metallic)


def marble(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=7, persistence=0.55)
    grain = ctx.grain()
    v, u = tile_coordinates(ctx.size)
    veins = ridged(np.sin(2 * np.pi * (2 * u + 1 * v) + 5.0 * base)) ** 14
    fine_veins = ridged(np.sin(2 * np.pi * (1 * u - 3 * v) + 6.0 * variant(base, index=3))) ** 30
    cloud = variant(base, index=5)
    basecolor = colour_ramp(0.6 + 0.3 * cloud + 0.03 * grain, stops=[(0.0, "#c9c4bb"), (0.5, "#e4e0d8"),
                                                                     (1.0, "#f5f3ee")])
    basecolor = mix(basecolor, "#6a6863", veins * 0.75)
    basecolor = mix(basecolor, "#8d8a84", fine_veins * 0.5)
    height = 0.5 + 0.02 * cloud - 0.05 * veins
    roughness = 0.12 + 0.06 * smoothstep(0.0, 1.0, variant(base, index=2)) + 0.1 * veins
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.004, tint_mask=1.0 - veins)


def ceramic_tiles(ctx: MaterialContext) -> Surface:
    rng = ctx.rng("layout")
    count = 4
    layout = block_layout(ctx.size, rows=count, columns=count, row_shift=0.0, offset_v=ctx.offset(rng),
                          offset_u=ctx.offset(rng))
    base = ctx.noise("base", cells=(4, 4), octaves=5)
    grain = ctx.grain()
    grout = ctx.line(0.01)
    tile_mask = ctx.joints(layout, rows=count, columns=count, width=0.01)
    bevel = smoothstep(grout * 0.5, grout * 0.5 + 0.012, layout.edge)
    tone = per_id_random(layout.block_id, rng=ctx.rng("tone"), count=count * count)
    tile_colour = colour_ramp(0.5 + 0.25 * (tone - 0.5) + 0.05 * base, stops=[(0.0, "#cfc9bd"),
                                                                             (1.0, "#f0ece4")])
    grout_colour = colour_ramp(0.5 + 0.3 * variant(base, index=2) + 0.2 * grain,
                               stops=[(0.0, "#6f6a62"), (1.0, "#8f887d")])
    basecolor = mix(grout_colour, tile_colour, tile_mask)
    height = 0.15 + 0.04 * grain * (1.0 - tile_mask) + tile_mask * (0.6 + 0.25 * np.sqrt(bevel) + 0.01 * base)
    roughness = 0.9 - tile_mask * (0.78 - 0.05 * variant(base, index=3))
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.008, tint_mask=tile_mask)


def fabric(ctx: MaterialContext) -> Surface:
    threads = 16 if ctx.pixel_art else 48
    base = ctx.noise("base", cells=(4, 4), octaves=4)
    grain = ctx.grain()
    v, u = tile_coordinates(ctx.size)
    across_v, index_v = np.modf(v * threads)
    across_u, index_u = np.modf(u * threads)
    # Plain weave: in alternate crossings the warp (vertical) or the weft (horizontal) thread is on top.
    warp_on_top = ((index_v + index_u) % 2 == 0)
    warp_profile = np.sin(np.pi * across_u)           # across the vertical thread
    weft_profile = np.sin(np.pi * across_v)
    warp_bulge = np.sin(np.pi * across_v) * 0.3 + 0.7
    weft_bulge = np.sin(np.pi * across_u) * 0.3 + 0.7
    height = np.where(warp_on_top, warp_profile * warp_bulge, weft_profile * weft_bulge)
    height = np.broadcast_to(height, (ctx.size, ctx.size)).astype(np.float32) * 0.8 + 0.1 * base + 0.05 * grain
    thread_tone = np.where(warp_on_top, 0.55, 0.45) + 0.2 * variant(base, index=1) + 0.1 * grain
    basecolor = colour_ramp(thread_tone + 0.25 * height, stops=[(0.0, "#4e4232"), (0.5, "#8a7a60"),
                                                                (1.0, "#b8a88a")])
    roughness = 0.95 + 0.03 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.004, tint_mask=ctx.full(1.0))


def leather(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=5)
    grain = ctx.grain()
    count = 16 if ctx.pixel_art else 32
    pores = voronoi_cells(ctx.size, count=count, rng=ctx.rng("cells"), jitter=0.7,
                          warp_v=0.01 * variant(base, index=1), warp_u=0.01 * variant(base, index=2))
    pebble = np.sqrt(smoothstep(0.0, 0.4 / count, pores.edge))
    creases = crack_network(
        voronoi_cells(ctx.size, count=6, rng=ctx.rng("creases"), jitter=0.7,
                      warp_v=0.04 * variant(base, index=3), warp_u=0.04 * variant(base, index=4)),
        coverage=variant(base, index=5), width=0.004, pixel=ctx.pixel)
    height = _normalise(0.5 * pebble + 0.3 * base + 0.05 * grain - 0.35 * creases)
    tone = 0.4 * height + 0.35 * variant(base, index=6) + 0.3
    basecolor = colour_ramp(tone, stops=[(0.0, "#2e1a0f"), (0.5, "#5b3720"), (1.0, "#8a5a35")])
    roughness = 0.55 + 0.15 * (1.0 - pebble) + 0.1 * creases
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.006, tint_mask=ctx.full(1.0))


def concrete(ctx: MaterialContext) -> Surface:
    base = ctx.noise("base", cells=(4, 4), octaves=7, persistence=0.55)
    grain = ctx.grain()
    pit_cells = voronoi_cells(ctx.size, count=24, rng=ctx.rng("pits"), jitter=0.7)
    chosen = per_id_random(pit_cells.cell_id, rng=ctx.rng("pit sizes"), count=576)
    radius = np.where(chosen < 0.35, 0.002 + 0.005 * chosen, 0.0)
    pits = smoothstep(radius + ctx.pixel * 0.5, radius - ctx.pixel * 0.5, pit_cells.nearest)
    height = _normalise(0.35 * base + 0.1 * grain - 0.4 * pits)
    tone = 0.5 + 0.3 * variant(base, index=2) + 0.1 * grain - 0.2 * pits
    basecolor = colour_ramp(tone, stops=[(0.0, "#5c5a56"), (0.5, "#8a8782"), (1.0, "#aeaaa3")])
    stains = smoothstep(0.3, 0.8, variant(base, index=5))
    basecolor = mix(basecolor, "#6d6a63", stains * 0.3)
    roughness = 0.9 + 0.05 * grain
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.01, tint_mask=ctx.full(1.0))


def crystal(ctx: MaterialContext) -> Surface:
    count = 5
    base = ctx.noise("base", cells=(4, 4), octaves=5)
    cells = voronoi_cells(ctx.size, count=count, rng=ctx.rng("cells"), jitter=0.7)
    rng = ctx.rng("facets")
    # Each cell is one flat facet: a random plane through its site, so normals are constant per facet.
    slope_v = (rng.random(count * count, dtype=np.float32) - 0.5) * 1.6
    slope_u = (rng.random(count * count, dtype=np.float32) - 0.5) * 1.6
    lift = rng.random(count * count, dtype=np.float32)
    facet = 0.6 + 0.3 * lift[cells.cell_id] + slope_v[cells.cell_id] * cells.offset_v \
        + slope_u[cells.cell_id] * cells.offset_u
    edges = line_mask(cells.edge, width=0.004, pixel=ctx.pixel)
    height = _normalise(facet - 0.15 * edges)
    tone = 0.35 + 0.4 * lift[cells.cell_id] + 0.25 * (slope_u[cells.cell_id] - slope_v[cells.cell_id]) \
        + 0.08 * base
    basecolor = colour_ramp(tone, stops=[(0.0, "#2a1245"), (0.4, "#5a2a8a"), (0.75, "#9560c8"),
                                         (1.0, "#d2b0f0")])
    basecolor = mix(basecolor, "#efe2ff", edges * 0.7)
    roughness = 0.06 + 0.05 * smoothstep(0.0, 1.0, variant(base, index=2))
    emission = (basecolor ** 2.2) * (edges * 0.15)[..., None]
    return Surface(basecolor=basecolor, height=height, roughness=roughness, metallic=ctx.full(0.0),
                   depth=0.03, tint_mask=ctx.full(1.0), emission=emission.astype(np.float32))


FAMILY_BUILDERS: dict[str, Callable[[MaterialContext], Surface]] = {
    "stone": stone, "cobblestone": cobblestone, "brick": brick, "planks": planks, "bark": bark,
    "grass": grass, "dirt": dirt, "sand": sand, "gravel": gravel, "water": water, "lava": lava, "ice": ice,
    "snow": snow, "metal_plate": metal_plate, "rusted_metal": rusted_metal, "marble": marble, "moss": moss,
    "ceramic_tiles": ceramic_tiles, "fabric": fabric, "leather": leather, "concrete": concrete,
    "crystal": crystal,
}
