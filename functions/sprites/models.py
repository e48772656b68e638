"""The public request for sprites: validated at the edge, priced, and handed to the worker with its model spec."""
from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .compiler import compile_prompt
from .vocabulary import PALETTE_NAMES

SUPPORTED_ASSET_TYPES: tuple[str, ...] = ("character", "creature", "item")
# What other sprite generators call asset types: named in the error so a client knows what is (not) here.
UNSUPPORTED_ASSET_TYPES: tuple[str, ...] = ("tile", "tileset", "background", "ui", "icon_set", "effect", "vfx",
                                            "portrait", "animation", "font")
DIRECTIONS: tuple[str, ...] = ("s", "se", "e", "ne", "n", "nw", "w", "sw")
_DIRECTION_NAMES = {
    "south": "s", "southeast": "se", "east": "e", "northeast": "ne", "north": "n", "northwest": "nw",
    "west": "w", "southwest": "sw", "front": "s", "back": "n", "right": "e", "left": "w",
}
CAMERAS: tuple[str, ...] = ("side", "top_down", "three_quarter", "isometric")
MIN_SIZE, MAX_SIZE = 8, 512
MAX_SPEC_BYTES = 64_000
CAMERA_PITCH = {"side": 0.0, "isometric": 30.0, "three_quarter": 38.0, "top_down": 60.0}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


MAX_PACK_ITEMS = 8
MAX_REFERENCE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ReferenceImage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    upload_id: str | None = Field(None, max_length=64, description="An uploaded PNG, JPEG, WebP or GIF of yours.")
    base64: str | None = Field(None, max_length=MAX_REFERENCE_BYTES * 4 // 3 + 4,
                               description="A PNG, base64-encoded (no data: prefix), at most 1 MB.")

    @model_validator(mode="after")
    def _one(self) -> ReferenceImage:
        if (self.upload_id is None) == (self.base64 is None):
            raise ValueError("give exactly one of upload_id or base64")
        if self.base64 is not None:
            import base64 as b64
            import binascii

            try:
                data = b64.b64decode(self.base64, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("base64 is not valid base64") from None
            if not data.startswith(PNG_SIGNATURE):
                raise ValueError("base64 must encode a PNG image")
            if len(data) > MAX_REFERENCE_BYTES:
                raise ValueError(f"the reference image is larger than {MAX_REFERENCE_BYTES} bytes")
        return self


class SpriteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    prompt: str | None = Field(None, min_length=3, max_length=1500,
                               description="What to draw, e.g. 'knight with a blue cape'. Exactly one of prompt/spec.")
    spec: dict[str, Any] | None = Field(None, description="A model spec (spritekiln YAML as JSON), e.g. an edited "
                                                          "spec.yaml of an earlier job. Exactly one of prompt/spec.")
    asset_type: str | None = Field(None, description="character | creature | item; inferred from the prompt when "
                                                     "omitted, and it constrains how the prompt is read.")
    width: int = Field(64, ge=MIN_SIZE, le=MAX_SIZE, description="Frame width in px.")
    height: int = Field(64, ge=MIN_SIZE, le=MAX_SIZE, description="Frame height in px.")
    direction: str = Field("s", description="Facing: s, se, e, ne, n, nw, w, sw (or south, south-east, ...); "
                                            "s faces the viewer.")
    camera: Literal["side", "top_down", "three_quarter", "isometric"] = Field(
        "three_quarter", description="Camera preset: side (0 deg), isometric (30), three_quarter (38), top_down (60).")
    elevation: float | int | None = Field(None, ge=-90, le=90, description="Camera angle above the horizon in "
                                                                         "degrees; overrides the preset's.")
    style: Literal["pixel", "smooth"] = Field("pixel", description="pixel: hard-edged pixel art; smooth: "
                                                                   "anti-aliased edges and alpha.")
    palette: str | list[str] | None = Field(None, description="A palette name (" + ", ".join(PALETTE_NAMES) +
                                            ") or a list of '#rrggbb' colours the sprite is limited to.")
    outline: bool = Field(True, description="A one-pixel dark outline around the silhouette.")
    shadow: bool = Field(False, description="A ground shadow under the model (opaque in pixel style).")
    background: str = Field("transparent", description="'transparent' or '#rrggbb'.")
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="Same request and seed give the same bytes.")
    variants: int = Field(1, ge=1, le=3, description="Colourways of the same model (palette swaps), 1 credit each.")
    pixel_perfect: Literal["auto", "on", "off"] = Field(
        "auto", description="Clean-up of orphan pixels and jaggies: auto = on for pixel style, off for smooth.")
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")
    project_id: str | None = Field(None, min_length=1, max_length=128, description="Groups jobs of one project.")
    inline: bool = Field(False, description="Also return the PNGs base64-encoded in the job (as sprite-ai does).")
    reference_image: ReferenceImage | None = Field(
        None, description="An image whose palette the sprite uses: {upload_id} or {base64} (PNG).")
    chain_animations: list[dict[str, Any]] | None = Field(
        None, min_length=1, max_length=6,
        description="Animations queued with the sprite, each like a POST /v1/animations body without its source, "
                    "e.g. [{\"preset\": \"idle\"}, {\"preset\": \"walk\", \"directions\": 8}]. Charged as such.")
    pack_items: list[str] | None = Field(
        None, min_length=1, max_length=MAX_PACK_ITEMS,
        description="Up to 8 item prompts packed on one sheet with JSON rects (instead of prompt/spec).")

    @field_validator("asset_type")
    @classmethod
    def _asset_type(cls, value: str | None) -> str | None:
        if value is not None and value not in SUPPORTED_ASSET_TYPES:
            raise ValueError(f"asset_type {value!r} is not supported for sprites: use one of "
                             f"{', '.join(SUPPORTED_ASSET_TYPES)} (tiles, backgrounds, UI and effects are not "
                             "generated by /v1/sprites)")
        return value

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = value.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        key = _DIRECTION_NAMES.get(key, key)
        if key not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)} (or south, south-east, ...)")
        return key

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: str | list[str] | None) -> str | list[str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            name = value.strip().lower()
            if name not in PALETTE_NAMES:
                raise ValueError(f"palette must be one of {', '.join(PALETTE_NAMES)} or a list of '#rrggbb' colours")
            return name
        if not 2 <= len(value) <= 64 or not all(_HEX.match(c) for c in value):
            raise ValueError("a palette list needs 2 to 64 colours written '#rrggbb'")
        return [c.lower() for c in value]

    @field_validator("background")
    @classmethod
    def _background(cls, value: str) -> str:
        if value != "transparent" and not _HEX.match(value):
            raise ValueError("background must be 'transparent' or '#rrggbb'")
        return value.lower()

    @field_validator("spec")
    @classmethod
    def _spec(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        if len(json.dumps(value, default=str)) > MAX_SPEC_BYTES:
            raise ValueError(f"spec is larger than {MAX_SPEC_BYTES} bytes")
        if value.get("spritekiln", 1) != 1:
            raise ValueError("spec: only format version 1 (`spritekiln: 1`) is supported")
        parts = value.get("parts")
        if not isinstance(parts, dict) or not parts:
            raise ValueError("spec needs a non-empty `parts` mapping")
        palette = value.get("palette")
        for ref in palette if isinstance(palette, list) else [palette] if palette else []:
            if not isinstance(ref, str) or ref.removesuffix(".yaml") not in ("gothic", "props"):
                raise ValueError("spec.palette may only name a built-in palette (gothic, props); "
                                 "put other colours under `ramps:`")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SpriteRequest:
        if sum(x is not None for x in (self.prompt, self.spec, self.pack_items)) != 1:
            raise ValueError("give exactly one of prompt, spec or pack_items")
        if self.chain_animations is not None and self.spec is None and self.prompt is None:
            raise ValueError("chain_animations animate one model: use them with prompt or spec, not pack_items")
        if self.pack_items is not None:
            short = [p for p in self.pack_items if not 3 <= len(p) <= 200]
            if short:
                raise ValueError("each pack_items prompt needs 3 to 200 characters")
            if self.variants != 1 or self.asset_type not in (None, "item"):
                raise ValueError("pack_items makes one sheet of items: leave variants and asset_type out")
        if self.reference_image is not None and self.palette is not None:
            raise ValueError("give a palette or a reference_image to take one from, not both")
        if self.style == "smooth" and self.pixel_perfect == "on":
            raise ValueError("pixel_perfect 'on' only applies to style 'pixel'")
        if self.spec is not None and self.asset_type is not None:
            raise ValueError("asset_type only guides how a prompt is read; leave it out with spec")
        return self


def sprite_cost(params: dict) -> int:
    """1 credit per variant, or per item of a pack."""
    return len(params["pack"]) if params.get("pack") else int(params.get("variants", 1))


def prepare_sprite(request: SpriteRequest, seed: int) -> tuple[dict, dict]:
    params = sprite_params(request, seed=seed)
    interpretation = params.pop("interpretation")
    reference = request.reference_image
    if reference is not None:
        # the worker reads an upload through `upload_id` like every other source
        params.update({"upload_id": reference.upload_id} if reference.upload_id else
                      {"reference_base64": reference.base64})
        interpretation["reference_image"] = "upload" if reference.upload_id else "base64"
    for key in ("webhook_url", "project_id", "chain_animations"):  # kept on the job itself, not render inputs
        params.pop(key, None)
    return params, interpretation


def sprite_params(request: SpriteRequest, *, seed: int) -> dict:
    """What the worker renders: the request with every default made explicit and the model spec compiled."""
    palette = request.palette
    pack_specs = None
    if request.pack_items is not None:
        items = [compile_prompt(p, asset_type="item", palette=palette, seed=seed + i)
                 for i, p in enumerate(request.pack_items)]
        pack_specs = [item["spec"] for item in items]
        spec = pack_specs[0]
        interpretation = {"asset_type": "item", "archetype": "pack",
                          "items": [dict(item["interpretation"], prompt=prompt)
                                    for item, prompt in zip(items, request.pack_items, strict=True)]}
    elif request.spec is not None:
        spec = request.spec
        interpretation: dict[str, Any] = {"asset_type": None, "archetype": "spec", "parts": sorted(spec["parts"]),
                                          "colours": [], "used_words": [], "ignored_words": [], "filler_words": []}
    else:
        compiled = compile_prompt(request.prompt or "", asset_type=request.asset_type, palette=palette, seed=seed)
        spec = compiled["spec"]
        interpretation = compiled["interpretation"]
        palette = interpretation.get("palette", palette)
    camera_pitch = CAMERA_PITCH[request.camera]
    return {
        "prompt": request.prompt, "asset_type": interpretation.get("asset_type"), "spec": spec,
        "interpretation": interpretation, "width": request.width, "height": request.height,
        "direction": request.direction, "camera": request.camera,
        "elevation": float(request.elevation) if request.elevation is not None else camera_pitch,
        "style": request.style, "palette": palette, "outline": request.outline, "shadow": request.shadow,
        "background": request.background, "seed": seed, "variants": request.variants,
        "pixel_perfect": request.pixel_perfect, "webhook_url": request.webhook_url,
        "project_id": request.project_id, "inline": request.inline,
        "pack": pack_specs, "pack_prompts": request.pack_items,
    }


def spec_render_defaults(spec: dict, *, camera: str | None, width: int | None, height: int | None) -> dict:
    """How a bare spec (rotated or animated without a sprite job) is drawn: the sprite defaults."""
    camera = camera or "three_quarter"
    return {"spec": spec, "width": width or 64, "height": height or 64, "camera": camera,
            "elevation": CAMERA_PITCH[camera], "style": "pixel", "palette": None, "outline": True, "shadow": False,
            "background": "transparent", "pixel_perfect": "auto"}
