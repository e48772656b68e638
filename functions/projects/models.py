"""A project locks a style (Sprixen's style lock): jobs that name it inherit what they leave unset."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from functions.sprites.vocabulary import PALETTE_NAMES

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class ProjectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=100, description="What the project is called.")
    art_style: Literal["pixel", "smooth"] = Field("pixel", description="Pixel art or smooth rendering.")
    resolution: int | None = Field(None, ge=8, le=512, description="Sprite width and height in px.")
    view_angle: Literal["side", "top_down", "three_quarter", "isometric"] | None = Field(
        None, description="The camera every sprite of the project uses.")
    palette: str | list[str] | None = Field(None, description="A palette name, or up to 32 #rrggbb colours.")

    @field_validator("palette")
    @classmethod
    def _palette(cls, palette: str | list[str] | None) -> str | list[str] | None:
        if isinstance(palette, str) and palette not in PALETTE_NAMES:
            raise ValueError(f"palette must be one of {', '.join(PALETTE_NAMES)} or a list of #rrggbb colours")
        if isinstance(palette, list):
            if not 1 <= len(palette) <= 32:
                raise ValueError("a palette has 1 to 32 colours")
            bad = [c for c in palette if not HEX.match(c)]
            if bad:
                raise ValueError(f"not #rrggbb colours: {bad[:3]}")
            return [c.lower() for c in palette]
        return palette


# What a job inherits from its project, as (project field, job field).
INHERITED = (("art_style", "style"), ("resolution", "width"), ("resolution", "height"),
             ("view_angle", "camera"), ("palette", "palette"))
