"""render_ascii: upload bytes -> frames -> character grids -> txt, ans, html, gif (+ mp4 for video) + ascii.json.

The single entry point the worker calls. Frames are converted as they are decoded, so only the small
character grids of an animation are kept.
"""
from __future__ import annotations

import json
import math

from pydantic import ValidationError

from functions.common.errors import RenderFailed
from functions.common.render import OutputFile, ProgressFn, RenderResult, no_progress

from .convert import AsciiGrid, convert_image, convert_options, grid_shape, sample_size
from .glyphs import CELL_H, CELL_W
from .media import (
    IMAGE_KINDS,
    MODEL_KINDS,
    MediaLimits,
    check_bytes,
    image_frames,
    image_info,
    load_mesh,
    model_frames,
    sniff,
    video_frames,
    video_info,
)
from .output import hex_to_rgb, to_ansi, to_gif, to_html, to_mp4, to_text
from .settings import AsciiSettings

OVERSAMPLE = 2                 # decoders deliver twice the sampling grid; the area average does the rest
TURNTABLE_SECONDS = 3          # one full turn of a 3D model
MAX_MODEL_RENDER = 800         # px, side of the square turntable render


def _settings(settings: dict) -> AsciiSettings:
    try:
        return AsciiSettings.model_validate(settings)
    except ValidationError as error:
        raise RenderFailed("invalid_request", f"Invalid ASCII settings: {error.errors()[0]['msg']}") from None


def render_ascii(*, source: bytes, settings: dict, progress: ProgressFn = no_progress,
                 limits: MediaLimits | None = None) -> RenderResult:
    """Convert one upload (image, GIF, video or 3D model) to ASCII art files."""
    params = _settings(settings)
    limits = limits or MediaLimits()
    check_bytes(source, limits)
    kind = sniff(source)
    background = hex_to_rgb(params.background)
    options = convert_options(params.model_dump())
    columns = params.columns
    progress(0.0)

    truncated = False
    is_video = False
    if kind in IMAGE_KINDS:
        info = image_info(source, kind, limits)
        rows, _ = grid_shape(info.height, info.width, columns=columns, font_aspect=params.font_aspect)
        sample_h, sample_w = sample_size(info.height, info.width, columns=columns, font_aspect=params.font_aspect,
                                         charset=params.charset, edge=params.edge)
        frames = image_frames(source, limits=limits, max_frames=params.max_frames, background=background,
                              draft=(sample_w * OVERSAMPLE, sample_h * OVERSAMPLE))
        expected = min(params.max_frames, info.frames)
        truncated = info.frames > params.max_frames
    elif kind in MODEL_KINDS:
        mesh = load_mesh(source, kind, limits)
        sample_h, sample_w = sample_size(1000, 1000, columns=columns, font_aspect=params.font_aspect,
                                         charset=params.charset, edge=params.edge)
        side = min(MAX_MODEL_RENDER, sample_w * OVERSAMPLE)
        rows, _ = grid_shape(side, side, columns=columns, font_aspect=params.font_aspect)
        expected = max(1, min(params.max_frames, TURNTABLE_SECONDS * params.fps))
        frames = model_frames(mesh, count=expected, size=(side, side), fps=params.fps, background=background,
                              progress=lambda f: progress(0.8 * f))
        info = None
    else:
        info = video_info(source, kind, limits)
        is_video = True
        rows, _ = grid_shape(info.height, info.width, columns=columns, font_aspect=params.font_aspect)
        sample_h, sample_w = sample_size(info.height, info.width, columns=columns, font_aspect=params.font_aspect,
                                         charset=params.charset, edge=params.edge)
        scale = max(1, min(OVERSAMPLE, info.width // max(sample_w, 1)))
        total = math.ceil((info.duration_s or 0.0) * params.fps)
        truncated = total > params.max_frames
        expected = max(1, min(params.max_frames, total or params.max_frames))
        frames = video_frames(source, info, fps=params.fps, max_frames=params.max_frames,
                              size=(sample_h * scale, sample_w * scale), progress=lambda f: progress(0.8 * f))

    grids: list[AsciiGrid] = []
    durations: list[int] = []
    for index, (rgb, duration) in enumerate(frames):
        grids.append(convert_image(rgb, rows=rows, **options))
        durations.append(int(duration))
        if kind in IMAGE_KINDS:
            progress(0.8 * (index + 1) / max(expected, index + 1))

    files = _encode(grids, durations, params, is_video=is_video, progress=progress)
    source_info = {"kind": kind, "width": info.width if info else None, "height": info.height if info else None}
    summary = {
        "columns": grids[0].columns, "rows": grids[0].rows, "frames": len(grids), "durations_ms": durations,
        "duration_ms": sum(durations), "truncated": truncated, "source": source_info,
        "cell_px": [CELL_W, CELL_H], "settings": params.model_dump(),
    }
    files.append(OutputFile("ascii.json", "application/json",
                            json.dumps(summary, sort_keys=True, separators=(",", ":")).encode()))
    progress(1.0)
    interpretation = {"media": kind, "columns": summary["columns"], "rows": summary["rows"],
                      "frames": len(grids), "duration_ms": sum(durations), "truncated": truncated}
    return RenderResult(files=files, interpretation=interpretation)


def _encode(grids: list[AsciiGrid], durations: list[int], params: AsciiSettings, *, is_video: bool,
            progress: ProgressFn) -> list[OutputFile]:
    rows, columns = grids[0].rows, grids[0].columns
    width, height = columns * CELL_W, rows * CELL_H
    files = [
        OutputFile("ascii.txt", "text/plain; charset=utf-8", to_text(grids).encode("utf-8"), columns, rows),
        OutputFile("ascii.ans", "text/plain; charset=utf-8", to_ansi(grids).encode("utf-8"), columns, rows),
        OutputFile("ascii.html", "text/html; charset=utf-8",
                   to_html(grids, durations_ms=durations, background=params.background, loop=params.loop)
                   .encode("utf-8"), columns, rows),
    ]
    progress(0.85)
    files.append(OutputFile("ascii.gif", "image/gif",
                            to_gif(grids, durations_ms=durations, background=params.background, loop=params.loop),
                            width, height))
    progress(0.93)
    if is_video:
        data = to_mp4(grids, fps=params.fps, background=params.background)
        files.append(OutputFile("ascii.mp4", "video/mp4", data, width + width % 2, height + height % 2))
    return files
