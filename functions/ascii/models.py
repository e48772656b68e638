"""The public requests of the ASCII studio: a conversion, and changes to a saved asset."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from .settings import AsciiSettings, ascii_cost, ascii_params

# The file of a source job that becomes the picture to convert, by that job's type.
SOURCE_FILES = {"texture": ("preview.png", "basecolor.png"), "sprite": ("sprite.png", "sprite_v1.png"),
                "rotation": ("rotations_sheet.png",), "ascii": ()}
MEDIA_KINDS = {"image/gif": "animation", "video/mp4": "video", "video/quicktime": "video", "video/webm": "video",
               "model/gltf-binary": "model", "model/obj": "model"}


class AsciiRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    upload_id: str | None = Field(None, max_length=64, description="An upload of yours (image, GIF, video, GLB, OBJ).")
    source_job_id: str | None = Field(None, max_length=64, description="A finished texture or sprite job of yours.")
    settings: AsciiSettings = Field(default_factory=AsciiSettings, description="How to convert.")
    webhook_url: str | None = Field(None, max_length=2048, description="Where to POST job events (https).")

    # found by the API before pricing: where the source is and what kind of media it is
    _source: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _one_source(self) -> AsciiRequest:
        if (self.upload_id is None) == (self.source_job_id is None):
            raise ValueError("give exactly one of upload_id or source_job_id")
        return self


class AssetPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    settings: dict[str, Any] | None = Field(None, description="Changed settings: re-rendered as a new version.")
    public: bool | None = Field(None, description="Publish to (true) or remove from (false) the community gallery.")

    @model_validator(mode="after")
    def _something(self) -> AssetPatch:
        if self.settings is None and self.public is None:
            raise ValueError("give settings, public, or both")
        return self


def prepare_ascii(request: AsciiRequest, seed: int) -> tuple[dict, dict]:
    source = dict(request._source)
    params = {"settings": ascii_params(request.settings), **source}
    return params, {"source": {k: v for k, v in source.items() if k != "source_key"},
                    "columns": request.settings.columns, "charset": request.settings.charset,
                    "color": request.settings.color}


def cost(params: dict) -> int:
    return ascii_cost(params["settings"], media_kind=params.get("media_kind", "image"))
