"""render_texture_set: prompt -> Surface -> maps -> PNG files + material.json."""
from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from functions.common.render import OutputFile, ProgressFn, RenderResult, no_progress

from .materials import FAMILY_BUILDERS, MaterialContext, Surface
from .modifiers import apply_modifiers
from .prompt import interpret_texture_prompt
from .shading import (
    ambient_occlusion,
    downsample_half,
    lit_preview,
    nearest_upscale,
    normal_map,
    posterize,
    quantize_palette,
)

MAP_NAMES = ("basecolor", "normal", "roughness", "metallic", "height", "ao")
MIN_SIZE, MAX_SIZE = 32, 2048
PIXEL_ART_COLOURS = 12
NORMAL_CONVENTION = "OpenGL"

MAP_DESCRIPTIONS = {
    "basecolor": {"colour_space": "sRGB", "channels": "RGB", "bit_depth": 8},
    "normal": {"colour_space": "linear", "channels": "RGB", "bit_depth": 8},
    "roughness": {"colour_space": "linear", "channels": "L", "bit_depth": 8},
    "metallic": {"colour_space": "linear", "channels": "L", "bit_depth": 8},
    "height": {"colour_space": "linear", "channels": "L", "bit_depth": 16},
    "ao": {"colour_space": "linear", "channels": "L", "bit_depth": 8},
}


def pixel_art_resolution(size: int) -> int:
    """Retro textures are 16-64 texels across; 32 reads as 'pixel art' at 64-256, 64 beyond that."""
    return min(size, 32 if size <= 256 else 64)


def _encode_png(array: np.ndarray) -> bytes:
    # No text chunks, no timestamp: Pillow writes none unless asked, so the bytes depend on pixels only.
    # Level 1: these noisy images barely shrink at higher levels but take 3-6x longer to encode.
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _to_8bit(values: np.ndarray) -> np.ndarray:
    return np.round(np.clip(values, 0.0, 1.0) * 255.0).astype(np.uint8)


def _to_16bit(values: np.ndarray) -> np.ndarray:
    return np.round(np.clip(values, 0.0, 1.0) * 65535.0).astype(np.uint16)


def _pixelate(surface: Surface) -> Surface:
    """Few colours and few grey levels: flat clusters of texels, like hand-made retro textures."""
    return replace(
        surface,
        basecolor=quantize_palette(surface.basecolor, colours=PIXEL_ART_COLOURS),
        height=posterize(_normalised(surface.height), levels=8),
        roughness=posterize(surface.roughness, levels=8),
        metallic=posterize(surface.metallic, levels=4),
        emission=None if surface.emission is None else np.round(surface.emission * 8.0) / 8.0,
    )


def _normalised(height: np.ndarray) -> np.ndarray:
    low, high = float(height.min()), float(height.max())
    return ((height - low) / max(high - low, 1e-6)).astype(np.float32)


def _tile_2x2(image: np.ndarray) -> np.ndarray:
    return np.tile(image, (2, 2, 1) if image.ndim == 3 else (2, 2))


def render_texture_set(
    *,
    prompt: str,
    size: int,
    seed: int,
    maps: Sequence[str],
    pixel_art: bool,
    progress: ProgressFn = no_progress,
) -> RenderResult:
    if not (MIN_SIZE <= size <= MAX_SIZE and size & (size - 1) == 0):
        raise ValueError(f"size must be a power of two between {MIN_SIZE} and {MAX_SIZE}, got {size}")
    unknown = sorted(set(maps) - set(MAP_NAMES))
    if unknown:
        raise ValueError(f"unknown maps: {', '.join(unknown)}")
    requested = [name for name in MAP_NAMES if name in set(maps)]

    interpretation = interpret_texture_prompt(prompt)
    work_size = pixel_art_resolution(size) if pixel_art else size
    ctx = MaterialContext(size=work_size, seed=seed, pixel_art=pixel_art)
    surface = FAMILY_BUILDERS[interpretation["family"]](ctx)
    progress(0.25)
    surface = apply_modifiers(surface, modifiers=interpretation["modifiers"],
                              colours=[c["hex"] for c in interpretation["colours"]], ctx=ctx)
    if pixel_art:
        surface = _pixelate(surface)
    # Height is stored 0..1; normals use the unnormalised relief so the family's depth stays meaningful.
    normal = normal_map(surface.height, depth=surface.depth)
    ao = ambient_occlusion(surface.height, depth=surface.depth)
    if pixel_art:
        ao = posterize(ao, levels=6)
    progress(0.5)

    images = {
        "basecolor": lambda: _to_8bit(surface.basecolor),
        "normal": lambda: _to_8bit(normal * 0.5 + 0.5),
        "roughness": lambda: _to_8bit(surface.roughness),
        "metallic": lambda: _to_8bit(surface.metallic),
        "height": lambda: _to_16bit(_normalised(surface.height)),
        "ao": lambda: _to_8bit(ao),
    }
    factor = size // work_size
    files: list[OutputFile] = []
    for index, name in enumerate(requested):
        image = nearest_upscale(images[name](), factor=factor)
        files.append(OutputFile(name=f"{name}.png", content_type="image/png", data=_encode_png(image),
                                width=size, height=size))
        progress(0.5 + 0.4 * (index + 1) / max(len(requested), 1))

    preview = lit_preview(basecolor=surface.basecolor, normal=normal, roughness=surface.roughness,
                          metallic=surface.metallic, ao=ao, emission=surface.emission)
    # 2x2 tiles at half scale: same pixel size as the maps, and any seam would show as a cross.
    tiled = _tile_2x2(_to_8bit(preview))
    if tiled.shape[0] <= size:
        tiled = nearest_upscale(tiled, factor=size // tiled.shape[0])
    else:
        tiled = _to_8bit(downsample_half(_tile_2x2(preview)))
    files.append(OutputFile(name="preview.png", content_type="image/png", data=_encode_png(tiled),
                            width=size, height=size))

    material = {
        "format": "pixelforge.texture/1",
        "family": interpretation["family"],
        "prompt": prompt,
        "size": size,
        "seed": seed,
        "pixel_art": pixel_art,
        "tileable": True,
        "normal_map": {
            "convention": NORMAL_CONVENTION,
            "space": "tangent",
            "y": "+Y up (green brighter on faces lit from the top of the image); flip green for DirectX",
        },
        "height_scale": {"value": surface.depth, "unit": "tile widths for height 1.0"},
        "maps": {name: {"file": f"{name}.png", **MAP_DESCRIPTIONS[name]} for name in requested},
        "preview": {"file": "preview.png", "colour_space": "sRGB",
                    "description": "lit with the normal map from the upper left, tiled 2x2 at half scale"},
        "files": [f.name for f in files] + ["material.json"],
    }
    files.append(OutputFile(name="material.json", content_type="application/json",
                            data=json.dumps(material, indent=2).encode()))
    progress(1.0)
    return RenderResult(files=files, interpretation=interpretation)
