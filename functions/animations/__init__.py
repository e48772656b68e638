"""Animations (`POST /v1/animations`): a model (or an uploaded sprite) in motion, as sheets, GIFs and metadata.

`models` and `motion` are pure Python (the API imports them); the render layer (numpy, Pillow, spritekiln)
loads on first use only.
"""
from __future__ import annotations

from typing import Any

__all__ = ["process_sheet", "render_animation", "render_flat_animation"]


def __getattr__(name: str) -> Any:
    if name == "render_animation":
        from .render import render_animation

        return render_animation
    if name == "render_flat_animation":
        from .flat import render_flat_animation

        return render_flat_animation
    if name == "process_sheet":
        from .process import process_sheet

        return process_sheet
    raise AttributeError(name)
