"""Sprite generator: a prompt (or an edited model spec) in, consistent pixel-art sprites out.

The prompt compiler and the request model are pure Python: the API function imports this package for them and
ships without the render layer (numpy, Pillow, spritekiln), which loads on first use only.
"""
from __future__ import annotations

from typing import Any

from .compiler import compile_prompt, vary_spec

__all__ = ["compile_prompt", "render_rotations", "render_sprite_set", "vary_spec"]


def __getattr__(name: str) -> Any:
    if name in ("render_sprite_set", "render_rotations"):
        from . import render

        return getattr(render, name)
    raise AttributeError(name)
