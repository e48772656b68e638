"""The public request for rotations: a model-based sprite in 4 or 8 directions, or an uploaded top-down
image turned in-plane. Side and front images are refused: we do not invent the sides nobody drew."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from functions.common.errors import UnprocessableSource

from .models import CAMERAS, MAX_SIZE, MIN_SIZE, spec_render_defaults

COST = {4: 2, 8: 4}
# What a rotation takes over from the sprite job it turns: the same model, camera and palette.
FROM_SPRITE = ("spec", "width", "height", "camera", "elevation", "style", "palette", "outline", "shadow",
               "background", "pixel_perfect")


class RotationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sprite_job_id: str | None = Field(None, max_length=64, description="A sprite job of yours to turn.")
    spec: dict[str, Any] | None = Field(None, description="A model spec (e.g. a sprite job's spec.yaml as JSON).")
    upload_id: str | None = Field(None, max_length=64, description="An uploaded image (top-down only, with view).")
    view: Literal["top_down", "side", "front", "three_quarter"] | None = Field(
        None, description="What the uploaded image shows. Only top-down images can be turned honestly.")
    directions: Literal[4, 8] = Field(8, description="4 (s, e, n, w) or 8 directions.")
    elevation: float | int | None = Field(None, ge=-90, le=90, description="Camera angle above the horizon.")
    camera: Literal["side", "top_down", "three_quarter", "isometric"] | None = Field(
        None, description="For a spec: the camera preset (default three_quarter).")
    width: int | None = Field(None, ge=MIN_SIZE, le=MAX_SIZE, description="For a spec: frame width in px (64).")
    height: int | None = Field(None, ge=MIN_SIZE, le=MAX_SIZE, description="For a spec: frame height in px (64).")
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")

    # the sprite job's params, found by the API (it needs the database) before pricing
    _source: dict[str, Any] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _one_source(self) -> RotationRequest:
        given = [name for name in ("sprite_job_id", "spec", "upload_id") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of sprite_job_id, spec or upload_id")
        if self.view is not None and self.upload_id is None:
            raise ValueError("view describes an uploaded image; use it with upload_id")
        if self.sprite_job_id is not None and any(v is not None for v in (self.camera, self.width, self.height)):
            raise ValueError("camera, width and height come from the sprite job; leave them out")
        return self

    def check_source_is_turnable(self) -> None:
        if self.upload_id is not None and self.view != "top_down":
            raise UnprocessableSource(
                "Only a top-down image can be rotated from an upload: turning a side or front view would mean "
                "inventing the sides nobody drew. Make a model-based sprite (POST /v1/sprites) and rotate that "
                "job, or upload a top-down image with view 'top_down'.",
                {"field": "view", "view": self.view, "supported": ["top_down"]})


def rotation_cost(params: dict) -> int:
    return COST[int(params["directions"])]


def prepare_rotation(request: RotationRequest, seed: int) -> tuple[dict, dict]:
    if request.upload_id is not None:
        params = {"mode": "in_plane", "upload_id": request.upload_id, "directions": request.directions}
        return params, {"source": "upload", "view": "top_down", "method": "in-plane rotation of the image",
                        "in_plane": True}
    if request.sprite_job_id is not None:
        source = request._source or {}
        params = {key: source.get(key) for key in FROM_SPRITE}
        origin = {"source": "sprite_job", "sprite_job_id": request.sprite_job_id}
    else:
        params = spec_render_defaults(request.spec, camera=request.camera, width=request.width,
                                      height=request.height)
        origin = {"source": "spec"}
    if request.elevation is not None:
        params["elevation"] = float(request.elevation)
    params.update(mode="model", directions=request.directions, seed=seed)
    return params, dict(origin, method="the model rendered from each direction", in_plane=False,
                        camera=params["camera"], elevation=params["elevation"])


__all__ = ["CAMERAS", "COST", "RotationRequest", "prepare_rotation", "rotation_cost"]
