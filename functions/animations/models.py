"""The public request for animations (`POST /v1/animations`): validated at the edge, priced, prepared.

No numpy, Pillow or spritekiln here: the API function imports this module.
"""
from __future__ import annotations

import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from functions.sprites.models import MAX_SPEC_BYTES, spec_render_defaults

from .motion import LOOPING, PRESETS, MotionProblem, parse_custom_motion

DIRECTIONS8: tuple[str, ...] = ("s", "se", "e", "ne", "n", "nw", "w", "sw")
# What an animation takes over from the sprite job it animates: the same model, camera and palette.
FROM_SPRITE = ("spec", "width", "height", "camera", "elevation", "style", "palette", "outline", "shadow",
               "background", "pixel_perfect")
FLAT_PRESETS = ("idle", "walk", "run", "jump", "hurt", "death", "attack_slash", "attack_thrust", "dodge", "bob",
                "hover", "shake", "spin")
MAX_ANIMATION_SIZE = 256


class AnimationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sprite_job_id: str | None = Field(None, max_length=64, description="A completed sprite job of yours to animate "
                                      "(its model, size, camera and palette are reused).")
    spec: dict[str, Any] | None = Field(None, description="A model spec (e.g. a sprite job's spec.yaml as JSON).")
    upload_id: str | None = Field(None, max_length=64, description="An uploaded single-sprite PNG (no model, at most "
                                  "256 px a side): only 2D motions (flat presets), one direction.")
    preset: Literal["idle", "walk", "run", "attack_slash", "attack_thrust", "shoot", "cast", "jump", "hurt", "death",
                    "block", "dodge", "custom", "bob", "hover", "shake", "spin"] = Field(
        ..., description="The motion. `custom` needs custom_motion. bob, hover, shake and spin are for uploads only.")
    custom_motion: str | None = Field(None, max_length=200, description="With preset custom: a short motion, e.g. "
                                      "'raise both arms then bow', 'spin', 'wave right hand'. Unknown words are "
                                      "rejected, not guessed.")
    frame_count: int = Field(8, ge=2, le=24, description="Frames per direction (2-24).")
    fps: int = Field(12, ge=4, le=60, description="Playback speed; every frame lasts round(1000/fps) ms.")
    directions: Literal[1, 4, 8, "one"] = Field(8, description="1 (or 'one': just `direction`), 4 (s, e, n, w) or 8.")
    direction: Literal["s", "se", "e", "ne", "n", "nw", "w", "sw"] | None = Field(
        None, description="With directions 1: the facing (default s, toward the viewer).")
    loop: bool | None = Field(None, description="Whether the clip loops (default: true for idle, walk and run).")
    normalize_size: bool = Field(True, description="One scale, canvas and pivot for every direction, frame and preset "
                                 "of the character (drawn with room to move). false keeps the still sprite's framing "
                                 "(big motions may clip).")
    weapon_hand: Literal["left", "right"] | None = Field(None, description="Which hand holds the weapon (bipeds).")
    camera: Literal["side", "top_down", "three_quarter", "isometric"] | None = Field(
        None, description="For a spec: the camera preset (default three_quarter).")
    width: int | None = Field(None, ge=16, le=MAX_ANIMATION_SIZE, description="For a spec: frame width in px (64).")
    height: int | None = Field(None, ge=16, le=MAX_ANIMATION_SIZE, description="For a spec: frame height px (64).")
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")

    # the sprite job's params, found by the API (it needs the database) before pricing
    _source: dict[str, Any] | None = PrivateAttr(None)

    @field_validator("spec")
    @classmethod
    def _small_spec(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None and len(json.dumps(value, default=str)) > MAX_SPEC_BYTES:
            raise ValueError(f"spec is larger than {MAX_SPEC_BYTES} bytes")
        return value

    @model_validator(mode="after")
    def _check(self) -> AnimationRequest:
        given = [name for name in ("sprite_job_id", "spec", "upload_id") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of sprite_job_id, spec or upload_id")
        if self.sprite_job_id is not None and any(v is not None for v in (self.camera, self.width, self.height)):
            raise ValueError("camera, width and height come from the sprite job; leave them out")
        if self.upload_id is not None:
            if self.preset not in FLAT_PRESETS:
                raise ValueError(f"an uploaded sprite has no model: preset must be one of {', '.join(FLAT_PRESETS)}")
            if self.directions not in (1, "one") or any(
                    v is not None for v in (self.camera, self.width, self.height, self.weapon_hand)):
                raise ValueError("an uploaded sprite is animated in 2D: one direction, its own size, no camera or "
                                 "weapon_hand")
        elif self.preset in ("bob", "hover", "shake", "spin"):
            raise ValueError(f"preset {self.preset} is for uploaded sprites; for a model use idle, walk, ... or "
                             "custom (e.g. custom_motion 'spin')")
        if (self.preset == "custom") != (self.custom_motion is not None):
            raise ValueError("custom_motion is required with preset custom, and only then")
        if self.custom_motion is not None:
            try:
                parse_custom_motion(self.custom_motion)
            except MotionProblem as exc:
                raise ValueError(str(exc)) from None
        if self.direction is not None and self.directions not in (1, "one"):
            raise ValueError("direction is for directions 1; 4 and 8 render every direction")
        return self

    @property
    def direction_count(self) -> int:
        return 1 if self.directions in (1, "one") else int(self.directions)

    @property
    def resolved_loop(self) -> bool:
        return self.preset in LOOPING + ("bob", "hover", "shake", "spin") if self.loop is None else self.loop


def animation_cost(params: dict) -> int:
    """Credits: ceil(frames x directions / 8), at least 1."""
    return max(1, math.ceil(int(params["frame_count"]) * int(params["directions"]) / 8))


def prepare_animation(request: AnimationRequest, seed: int) -> tuple[dict, dict]:
    """The worker's params (defaults explicit) and how the request was read."""
    motion = {"preset": request.preset, "custom_motion": request.custom_motion, "frame_count": request.frame_count,
              "fps": request.fps, "directions": request.direction_count,
              "direction": request.direction or "s", "loop": request.resolved_loop,
              "frame_ms": max(1, round(1000 / request.fps)), "seed": seed}
    if request.upload_id is not None:
        params = dict(motion, mode="flat", upload_id=request.upload_id)
        return params, {"source": "upload", "method": "2D transforms of the uploaded sprite (no model)",
                        "preset": request.preset, "directions": 1, "loop": motion["loop"]}
    if request.sprite_job_id is not None:
        source = request._source or {}
        params = {key: source.get(key) for key in FROM_SPRITE}
        origin: dict[str, Any] = {"source": "sprite_job", "sprite_job_id": request.sprite_job_id}
    else:
        params = spec_render_defaults(request.spec, camera=request.camera, width=request.width,
                                      height=request.height)
        origin = {"source": "spec"}
    params.update(motion, mode="model", normalize_size=request.normalize_size, weapon_hand=request.weapon_hand)
    interpretation = dict(origin, method="the model's skeleton posed per frame and rendered from each direction",
                          preset=request.preset, frame_count=request.frame_count, fps=request.fps,
                          directions=request.direction_count, loop=motion["loop"], camera=params.get("camera"))
    if request.custom_motion is not None:
        interpretation["custom_motion"] = [
            {"verb": g.verb, "side": g.side, "direction": g.direction, "repeat": g.repeat}
            for g in parse_custom_motion(request.custom_motion)]
    return params, interpretation


__all__ = ["AnimationRequest", "FLAT_PRESETS", "PRESETS", "animation_cost", "prepare_animation"]


class ProcessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    mode: Literal["stabilize", "tight", "aggressive"] = Field(
        "stabilize", description="stabilize: fix drift; tight: also trim padding; aggressive: also fit the canvas.")
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")
    seed: int | None = None

    # the animation job being processed, found by the API: its sheet's key and its animation.json
    _source: dict[str, Any] = PrivateAttr(default_factory=dict)


PROCESS_COST = 1


def prepare_process(request: ProcessRequest, seed: int) -> tuple[dict, dict]:
    source = request._source
    params = {"mode": "process", "process_mode": request.mode, "source_key": source["sheet_key"],
              "meta": source["meta"], "source_job_id": source["job_id"]}
    return params, {"source": "animation_job", "animation_job_id": source["job_id"], "mode": request.mode,
                    "non_destructive": True}


def fanout_parts(params: dict) -> list[str]:
    """The directions a model animation can render in parallel invocations (none for one direction)."""
    if params.get("mode") != "model" or int(params["directions"]) == 1:
        return []
    return ["s", "se", "e", "ne", "n", "nw", "w", "sw"] if int(params["directions"]) == 8 else ["s", "e", "n", "w"]
