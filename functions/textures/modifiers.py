"""Prompt adjectives and colours applied to a family's Surface, each a pure Surface -> Surface step.

Order matters and is fixed: shape changes (cracks, wear) first, then colour (paint, tint, dark/light),
then things that grow on top (dirt, moss, snow, soot), then wetness, which darkens whatever is on top.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .geometry import crack_network, smoothstep, voronoi_cells
from .materials import MaterialContext, Surface
from .noise import variant
from .shading import colour_ramp, hex_to_rgb, luminance, mix, periodic_box_blur

DEFAULT_PAINT = "#3f6f8f"


def cavity(height: np.ndarray) -> np.ndarray:
    """0 on exposed surfaces, towards 1 in crevices: where dirt, moss and water collect."""
    radius = max(1, round(height.shape[0] * 0.015))
    return np.clip((periodic_box_blur(height, radius=radius) - height) * 8.0, 0.0, 1.0)


def exposure(height: np.ndarray) -> np.ndarray:
    """0 in hollows, towards 1 on edges and tops: where wear polishes and snow settles."""
    radius = max(1, round(height.shape[0] * 0.015))
    return np.clip((height - periodic_box_blur(height, radius=radius)) * 8.0, 0.0, 1.0)


def _desaturate(rgb: np.ndarray, amount: float | np.ndarray) -> np.ndarray:
    grey = luminance(rgb)[..., None]
    return mix(rgb, np.broadcast_to(grey, rgb.shape), amount)


def tint(surface: Surface, colours: list[str], ctx: MaterialContext) -> Surface:
    """Recolour the tintable parts, keeping their light-dark structure; a second colour mottles in."""
    if not colours:
        return surface
    mask = surface.tint_mask
    light = luminance(surface.basecolor)
    weight = np.maximum(mask, 1e-3)
    reference = float((light * weight).sum() / weight.sum())
    relative = np.clip(light / max(reference, 1e-3), 0.0, 2.5)[..., None]
    target = hex_to_rgb(colours[0]) * relative
    if len(colours) > 1:
        mottle = smoothstep(-0.2, 0.4, variant(ctx.noise("tint"), index=1))
        target = mix(target, hex_to_rgb(colours[1]) * relative, mottle * 0.6)
    return replace(surface, basecolor=mix(surface.basecolor, np.clip(target, 0.0, 1.0), mask * 0.85))


def painted(surface: Surface, colour: str, ctx: MaterialContext, *, worn: bool) -> Surface:
    chips_field = variant(ctx.noise("paint"), index=2)
    exposed = exposure(surface.height)
    # Paint flakes off where things get knocked: edges, plus random chips; more so when worn.
    chipped = smoothstep(0.35, 0.55, chips_field + (0.6 if worn else 0.25) * exposed - (0.0 if worn else 0.25))
    coverage = surface.tint_mask * (1.0 - chipped)
    paint = hex_to_rgb(colour) * (0.92 + 0.08 * ctx.noise("paint"))[..., None]
    return replace(
        surface,
        basecolor=mix(surface.basecolor, np.clip(paint, 0.0, 1.0), coverage),
        roughness=surface.roughness + (0.45 - surface.roughness) * coverage,
        metallic=surface.metallic * (1.0 - coverage),
        height=surface.height + 0.02 * coverage,
        tint_mask=surface.tint_mask * chipped,
    )


def cracked(surface: Surface, ctx: MaterialContext) -> Surface:
    base = ctx.noise("cracks")
    cells = voronoi_cells(ctx.size, count=4, rng=ctx.rng("cracks"), jitter=0.7,
                          warp_v=0.05 * variant(base, index=1), warp_u=0.05 * variant(base, index=2))
    cracks = crack_network(cells, coverage=variant(base, index=3) + 0.15, width=0.003, pixel=ctx.pixel)
    low = float(surface.height.min())
    return replace(
        surface,
        height=surface.height - (surface.height - low) * cracks * 0.8,
        basecolor=mix(surface.basecolor, surface.basecolor * 0.25, cracks),
        roughness=np.maximum(surface.roughness, cracks * 0.95),
    )


def worn(surface: Surface, ctx: MaterialContext) -> Surface:
    exposed = exposure(surface.height)
    hollow = cavity(surface.height)
    blotches = smoothstep(0.0, 0.6, variant(ctx.noise("wear"), index=4))
    basecolor = _desaturate(surface.basecolor, 0.3)
    basecolor = mix(basecolor, np.clip(basecolor * 1.35 + 0.05, 0.0, 1.0), exposed * 0.6 + blotches * 0.15)
    basecolor = mix(basecolor, basecolor * 0.6, hollow * 0.5)
    return replace(surface, basecolor=basecolor, roughness=np.clip(surface.roughness + 0.08, 0.0, 1.0),
                   height=surface.height - 0.03 * blotches)


def dirty(surface: Surface, ctx: MaterialContext) -> Surface:
    grime = np.clip(cavity(surface.height) * 1.5 + smoothstep(0.0, 0.7, ctx.noise("dirt")) * 0.5, 0.0, 1.0)
    grime_colour = colour_ramp(0.5 + 0.5 * variant(ctx.noise("dirt"), index=3),
                               stops=[(0.0, "#2e251b"), (1.0, "#5a4a36")])
    return replace(surface, basecolor=mix(surface.basecolor, grime_colour, grime * 0.75),
                   roughness=surface.roughness + (0.95 - surface.roughness) * grime,
                   metallic=surface.metallic * (1.0 - grime))


def mossy(surface: Surface, ctx: MaterialContext) -> Surface:
    field = ctx.noise("moss", cells=(4, 4), octaves=6, persistence=0.6)
    fuzz = ctx.grain("moss grain")
    # Moss colonises crevices first and spreads in patches over the top.
    coverage = smoothstep(0.05, 0.35, field + 0.9 * cavity(surface.height) + 0.1 * fuzz)
    moss_colour = colour_ramp(0.5 + 0.4 * variant(field, index=2) + 0.2 * fuzz,
                              stops=[(0.0, "#24360f"), (0.5, "#45661c"), (1.0, "#7d9a34")])
    return replace(
        surface,
        basecolor=mix(surface.basecolor, moss_colour, coverage),
        height=surface.height + coverage * (0.06 + 0.03 * fuzz),
        roughness=surface.roughness + (0.95 - surface.roughness) * coverage,
        metallic=surface.metallic * (1.0 - coverage),
        tint_mask=surface.tint_mask * (1.0 - coverage),
    )


def snowy(surface: Surface, ctx: MaterialContext) -> Surface:
    field = ctx.noise("snow", cells=(4, 4), octaves=5)
    # Judge height on a slightly blurred copy: snow lies in drifts, not on single grains.
    settled = periodic_box_blur(surface.height, radius=max(1, round(surface.height.shape[0] * 0.004)))
    span = float(settled.max() - settled.min()) or 1.0
    level = (settled - settled.min()) / span
    coverage = smoothstep(0.6, 0.8, level + 0.35 * field + 0.3 * exposure(settled))
    snow_colour = colour_ramp(0.6 + 0.4 * level, stops=[(0.0, "#c8d4e2"), (1.0, "#f4f7fa")])
    return replace(
        surface,
        basecolor=mix(surface.basecolor, snow_colour, coverage),
        height=surface.height + coverage * 0.08 * span,
        roughness=surface.roughness + (0.7 - surface.roughness) * coverage,
        metallic=surface.metallic * (1.0 - coverage),
        tint_mask=surface.tint_mask * (1.0 - coverage),
    )


def burnt(surface: Surface, ctx: MaterialContext) -> Surface:
    field = ctx.noise("burn", cells=(4, 4), octaves=6)
    char = smoothstep(-0.35, 0.35, field + 0.3 * exposure(surface.height))
    soot = colour_ramp(0.5 + 0.5 * variant(field, index=1), stops=[(0.0, "#0d0b0a"), (1.0, "#2b2320")])
    scorched = mix(surface.basecolor, surface.basecolor * np.array([0.5, 0.35, 0.25], np.float32), 0.7)
    basecolor = mix(scorched, soot, char * 0.85)
    return replace(surface, basecolor=basecolor,
                   roughness=surface.roughness + (0.95 - surface.roughness) * char,
                   metallic=surface.metallic * (1.0 - 0.7 * char))


def wet(surface: Surface) -> Surface:
    hollow = cavity(surface.height)
    # Water fills pores, so porous things darken and saturate; a film makes everything glossy.
    darker = np.clip(surface.basecolor ** 1.35 * 0.82, 0.0, 1.0)
    darker = np.clip(_desaturate(darker, -0.15), 0.0, 1.0)
    puddles = smoothstep(0.3, 0.8, hollow)
    roughness = np.clip(surface.roughness * 0.35, 0.05, 1.0) * (1.0 - puddles) + 0.03 * puddles
    return replace(surface, basecolor=darker, roughness=roughness)


def dark(surface: Surface) -> Surface:
    return replace(surface, basecolor=surface.basecolor * 0.6)


def light(surface: Surface) -> Surface:
    return replace(surface, basecolor=mix(_desaturate(surface.basecolor, 0.2), "#f2f0ea", 0.35))


def polished(surface: Surface) -> Surface:
    return replace(surface, roughness=np.clip(surface.roughness * 0.3, 0.03, 1.0))


def rough(surface: Surface, ctx: MaterialContext) -> Surface:
    span = float(surface.height.max() - surface.height.min()) or 1.0
    return replace(surface, roughness=0.55 + 0.45 * surface.roughness,
                   height=surface.height + ctx.grain("rough") * 0.03 * span)


def apply_modifiers(surface: Surface, *, modifiers: list[str], colours: list[str],
                    ctx: MaterialContext) -> Surface:
    chosen = set(modifiers)
    if "cracked" in chosen:
        surface = cracked(surface, ctx)
    if "worn" in chosen:
        surface = worn(surface, ctx)
    if "rough" in chosen:
        surface = rough(surface, ctx)
    if "polished" in chosen:
        surface = polished(surface)
    if "painted" in chosen:
        surface = painted(surface, colours[0] if colours else DEFAULT_PAINT, ctx, worn="worn" in chosen)
        colours = colours[1:]
    surface = tint(surface, colours, ctx)
    if "dark" in chosen:
        surface = dark(surface)
    if "light" in chosen:
        surface = light(surface)
    if "burnt" in chosen:
        surface = burnt(surface, ctx)
    if "dirty" in chosen:
        surface = dirty(surface, ctx)
    if "mossy" in chosen:
        surface = mossy(surface, ctx)
    if "snowy" in chosen:
        surface = snowy(surface, ctx)
    if "wet" in chosen:
        surface = wet(surface)
    return replace(
        surface,
        basecolor=np.clip(surface.basecolor, 0.0, 1.0).astype(np.float32),
        roughness=np.clip(surface.roughness, 0.0, 1.0).astype(np.float32),
        metallic=np.clip(surface.metallic, 0.0, 1.0).astype(np.float32),
        height=surface.height.astype(np.float32),
    )
