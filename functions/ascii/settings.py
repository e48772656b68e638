"""The public request for ASCII art: validated at the edge, priced, handed to the worker as a plain dict.

No numpy here: the API function imports this module and ships without the render layer.
"""
from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Charset = Literal["standard", "detailed", "blocks", "braille", "custom"]
ColorMode = Literal["none", "ansi16", "ansi256", "truecolor"]
Dither = Literal["none", "ordered", "floyd-steinberg"]
MediaKind = Literal["image", "animation", "video", "model"]

MIN_COLUMNS, MAX_COLUMNS = 20, 400
# Glyphs the renderer can draw: printable ASCII from the bundled font, plus the block and braille
# glyphs it draws itself. A custom charset may use any of them.
BLOCK_GLYPHS = " ░▒▓█▀▄▌▐▖▗▘▝▚▞▙▛▜▟"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def drawable(char: str) -> bool:
    code = ord(char)
    return 0x20 <= code <= 0x7E or char in BLOCK_GLYPHS or 0x2800 <= code <= 0x28FF


class AsciiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    columns: int = Field(100, ge=MIN_COLUMNS, le=MAX_COLUMNS, description="Characters per row.")
    charset: Charset = Field(
        "standard",
        description="Glyph set: 'standard' (a short ramp like ' .:-=+*#%@'), 'detailed' (70-glyph ramp), "
                    "'blocks' (shades, half and quadrant blocks), 'braille' (2x4 dots per cell) or "
                    "'custom' (the glyphs in custom_chars).")
    custom_chars: str | None = Field(
        None, min_length=2, max_length=256,
        description="Glyphs for charset='custom': printable ASCII, block or braille characters; "
                    "order does not matter, glyphs are ranked by measured ink coverage.")
    color: ColorMode = Field("truecolor", description="Glyph colours: none (monochrome), ansi16, ansi256 or truecolor.")
    invert: bool = Field(False, description="Dark glyphs on a light background: dense glyphs mean dark.")
    contrast: float = Field(1.0, ge=0.0, le=4.0, description="Contrast multiplier around mid grey; 1 keeps it.")
    brightness: float = Field(0.0, ge=-1.0, le=1.0, description="Added to perceptual brightness (0..1 scale).")
    gamma: float = Field(1.0, ge=0.2, le=5.0, description="Gamma on perceptual brightness; >1 brightens mid-tones.")
    dither: Dither = Field("none", description="Spread quantisation error: none, ordered (Bayer) or floyd-steinberg.")
    edge: bool = Field(True, description="Edge-aware glyphs: match each cell's shape (e.g. / \\ | _ along edges), "
                                         "not just its brightness.")
    font_aspect: float = Field(0.5, ge=0.25, le=1.0,
                               description="Character cell width / height, so circles stay circles.")
    background: str = Field("#000000", description="Background colour as #rrggbb (HTML, GIF and MP4 outputs).")
    fps: int = Field(10, ge=1, le=30, description="Frames per second sampled from videos and used for 3D turntables.")
    max_frames: int = Field(120, ge=1, le=600, description="Most frames kept from an animation, video or turntable.")
    loop: bool = Field(True, description="Animated outputs loop forever; otherwise they play once.")

    @field_validator("background")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError("background must be a colour like #1a2b3c")
        return value.lower()

    @field_validator("custom_chars")
    @classmethod
    def _drawable(cls, value: str | None) -> str | None:
        if value is not None:
            bad = sorted({c for c in value if not drawable(c)})
            if bad:
                raise ValueError(f"custom_chars has glyphs the renderer cannot draw: {''.join(bad)!r}")
            if len(set(value)) < 2:
                raise ValueError("custom_chars needs at least two different glyphs")
        return value

    @model_validator(mode="after")
    def _custom_needs_chars(self) -> AsciiSettings:
        if self.charset == "custom" and not self.custom_chars:
            raise ValueError("charset 'custom' needs custom_chars")
        if self.charset != "custom" and self.custom_chars is not None:
            raise ValueError("custom_chars is only used with charset 'custom'")
        return self


def ascii_params(settings: AsciiSettings) -> dict:
    """What the worker renders: the settings with every default made explicit."""
    return settings.model_dump()


def ascii_cost(settings: dict, *, media_kind: MediaKind = "image") -> int:
    """Credits for one conversion, known before the upload is decoded.

    A still costs 1 credit (2 above 200 columns). Animations, videos and 3D turntables are priced by the
    most frames they can produce (max_frames): one extra unit per started 60 frames.
    """
    columns = int(settings.get("columns", 100))
    unit = 1 if columns <= 200 else 2
    if media_kind == "image":
        return unit
    frames = int(settings.get("max_frames", 120))
    return unit * (1 + math.ceil(frames / 60))
