"""What the worker calls for sprite and rotation jobs: references become palettes, packs become sheets,
and the engine's failures become public job errors."""
from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from functions.common.errors import RenderFailed
from functions.common.render import ProgressFn, RenderResult, no_progress

from . import engine
from .inplane import rotate_in_plane
from .render import render_item_pack, render_rotations, render_sprite_set

REFERENCE_COLOURS = 16
REFERENCE_MAX_PIXELS = 4096 * 4096


def reference_palette(data: bytes, *, colours: int = REFERENCE_COLOURS) -> list[str]:
    """The main colours of a reference image (median cut over its opaque pixels), as #rrggbb."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > REFERENCE_MAX_PIXELS:
                raise RenderFailed("too_large", "The reference image has more pixels than we decode (16 MP).")
            rgba = np.asarray(image.convert("RGBA"))
    except (UnidentifiedImageError, OSError) as error:
        raise RenderFailed("unsupported_media", "The reference image is not a PNG, JPEG, WebP or GIF.") from error
    opaque = rgba[rgba[..., 3] > 127][:, :3]
    if not len(opaque):
        raise RenderFailed("invalid_media", "The reference image has no opaque pixels to take colours from.")
    quantised = Image.fromarray(opaque.reshape(-1, 1, 3)).quantize(colors=colours,
                                                                   method=Image.Quantize.MEDIANCUT)
    used = sorted(set(np.asarray(quantised).ravel().tolist()))
    flat = quantised.getpalette()
    return list(dict.fromkeys(f"#{flat[3 * i]:02x}{flat[3 * i + 1]:02x}{flat[3 * i + 2]:02x}" for i in used))


def render_sprite_job(*, progress: ProgressFn = no_progress, source: bytes | None = None,
                      reference_base64: str | None = None, pack: list[dict] | None = None,
                      **params: Any) -> RenderResult:
    reference = source if source is not None else base64.b64decode(reference_base64) if reference_base64 else None
    found: dict[str, Any] = {}
    if reference is not None:
        params["palette"] = found["reference_palette"] = reference_palette(reference)
    try:
        result = render_item_pack(pack=pack, progress=progress, **params) if pack else \
            render_sprite_set(progress=progress, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem
    return RenderResult(files=result.files, interpretation={**result.interpretation, **found})


def render_rotation_job(*, mode: str, progress: ProgressFn = no_progress, source: bytes | None = None,
                        **params: Any) -> RenderResult:
    if mode == "in_plane":
        assert source is not None
        return rotate_in_plane(source, directions=int(params["directions"]), progress=progress)
    try:
        return render_rotations(progress=progress, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem
