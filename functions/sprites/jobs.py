"""What the worker calls for sprite and rotation jobs: the engine's failures become public job errors."""
from __future__ import annotations

from typing import Any

from functions.common.errors import RenderFailed
from functions.common.render import ProgressFn, RenderResult, no_progress

from . import engine
from .inplane import rotate_in_plane
from .render import render_rotations, render_sprite_set


def render_sprite_job(*, progress: ProgressFn = no_progress, **params: Any) -> RenderResult:
    try:
        return render_sprite_set(progress=progress, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem


def render_rotation_job(*, mode: str, progress: ProgressFn = no_progress, source: bytes | None = None,
                        **params: Any) -> RenderResult:
    if mode == "in_plane":
        assert source is not None
        return rotate_in_plane(source, directions=int(params["directions"]), progress=progress)
    try:
        return render_rotations(progress=progress, **params)
    except engine.SpecProblem as problem:
        raise RenderFailed("invalid_spec", f"The model spec cannot be rendered: {problem}") from problem
