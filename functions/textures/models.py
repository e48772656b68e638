"""The public request for PBR textures: validated at the edge, priced, and handed to the worker as is."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MapName = Literal["basecolor", "normal", "roughness", "metallic", "height", "ao"]
ALL_MAPS: tuple[str, ...] = ("basecolor", "normal", "roughness", "metallic", "height", "ao")
MIN_SIZE, MAX_SIZE = 32, 2048


class TextureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    prompt: str = Field(min_length=3, max_length=1500, description="What the material is, e.g. 'mossy red brick wall'.")
    size: int = Field(512, ge=MIN_SIZE, le=MAX_SIZE, description="Width and height in px; a power of two.")
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="Same request and seed give the same bytes.")
    maps: list[MapName] | None = Field(None, min_length=1, max_length=6,
                                       description="Which maps to render; all six when omitted.")
    pixel_art: bool = Field(False, description="Palette-quantized, crisp output for retro games.")
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")

    @field_validator("size")
    @classmethod
    def _power_of_two(cls, size: int) -> int:
        if size & (size - 1):
            raise ValueError(f"size must be a power of two between {MIN_SIZE} and {MAX_SIZE}")
        return size

    @field_validator("maps")
    @classmethod
    def _no_repeats(cls, maps: list[str] | None) -> list[str] | None:
        if maps is not None and len(set(maps)) != len(maps):
            raise ValueError("maps must not repeat a name")
        return maps


def texture_cost(params: dict) -> int:
    """Priced by area: 2 credits up to 512 px, then doubling with each step up."""
    return {1024: 4, 2048: 8}.get(int(params["size"]), 2)


def prepare_texture(request: TextureRequest, seed: int) -> tuple[dict, dict]:
    from functions.textures.prompt import interpret_texture_prompt

    params = texture_params(request, seed=seed)
    return params, interpret_texture_prompt(params["prompt"])


def texture_params(request: TextureRequest, *, seed: int) -> dict:
    """What the worker renders: the request with every default made explicit."""
    return {
        "prompt": request.prompt, "size": request.size, "seed": seed,
        "maps": [m for m in ALL_MAPS if request.maps is None or m in request.maps],
        "pixel_art": request.pixel_art,
    }
