"""ASCII art from images, GIFs, videos and 3D models.

The engine (numpy, Pillow, imageio-ffmpeg, trimesh) loads on first use only: the API function imports
this package for its settings model and pricing, and ships without the render layer.
"""
from __future__ import annotations

from typing import Any

from .settings import AsciiSettings, ascii_cost, ascii_params

__all__ = ["AsciiSettings", "ascii_cost", "ascii_params", "convert_image", "render_ascii", "sniff"]


def __getattr__(name: str) -> Any:
    if name == "render_ascii":
        from .render import render_ascii

        return render_ascii
    if name == "convert_image":
        from .convert import convert_image

        return convert_image
    if name == "sniff":
        from .media import sniff

        return sniff
    raise AttributeError(name)
