"""What the worker calls for animation jobs: model animations, flat ones of an upload, and processing."""
from __future__ import annotations

from typing import Any

from functions.common.errors import RenderFailed
from functions.common.render import ProgressFn, RenderResult, no_progress
from functions.sprites import engine

from .flat import render_flat_animation
from .process import process_sheet
from .render import assemble_animation, render_animation, render_animation_part


def render_animation_job(*, mode: str, progress: ProgressFn = no_progress, source: bytes | None = None,
                         **params: Any) -> RenderResult:
    if mode == "flat":
        assert source is not None
        return render_flat_animation(source=source, progress=progress, **params)
    if mode == "process":
        assert source is not None
        return process_sheet(sheet_png=source, meta=params["meta"], mode=params["process_mode"])
    params.pop("workers", None)  # one process per invocation: Lambda has no multiprocessing queues
    try:
        return render_animation(progress=progress, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem


def render_animation_part_job(*, part: str, **params: Any) -> bytes:
    params.pop("workers", None)
    try:
        return render_animation_part(part=part, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem


def assemble_animation_job(*, parts: dict[str, bytes], progress: ProgressFn = no_progress,
                           **params: Any) -> RenderResult:
    params.pop("workers", None)
    return assemble_animation(parts=parts, progress=progress, **params)
