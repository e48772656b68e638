"""PBR texture generator: a prompt in, a seamless set of material maps out.

The renderer (numpy, Pillow) loads on first use only: the API function imports this package for
its request model and prompt reading, and ships without the render layer.
"""
from __future__ import annotations

from typing import Any

from .prompt import FAMILIES, interpret_texture_prompt

__all__ = ["FAMILIES", "MAP_NAMES", "interpret_texture_prompt", "render_texture_set"]


def __getattr__(name: str) -> Any:
    if name in ("MAP_NAMES", "render_texture_set"):
        from . import render

        return getattr(render, name)
    raise AttributeError(name)
