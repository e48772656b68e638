"""What may be uploaded, and how much of it. Checked again against the bytes by the worker."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MB = 1024 * 1024
VIDEO_TYPES = ("video/mp4", "video/quicktime", "video/webm")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
MODEL_TYPES = ("model/gltf-binary", "model/obj")
CONTENT_TYPES = IMAGE_TYPES + VIDEO_TYPES + MODEL_TYPES
MAX_BYTES = {**{t: 50 * MB for t in VIDEO_TYPES}, **{t: 10 * MB for t in IMAGE_TYPES + MODEL_TYPES}}
# Caps the worker enforces on what it decodes (a 10 MB file can declare a gigapixel image).
MAX_PIXELS = 40_000_000
MAX_FRAMES = 1_800
MAX_VIDEO_SECONDS = 120
UPLOAD_URL_SECONDS = 900
UPLOAD_LIFETIME_DAYS = 2

ContentType = Literal[
    "image/png", "image/jpeg", "image/webp", "image/gif", "video/mp4", "video/quicktime", "video/webm",
    "model/gltf-binary", "model/obj",
]


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    filename: str = Field(min_length=1, max_length=255, description="Your file's name, kept for reference.")
    content_type: ContentType = Field(description="The file's media type; the upload must send the same.")
    bytes: int = Field(ge=1, le=50 * MB, description="The file's exact size in bytes.")


def limits() -> dict:
    return {
        "content_types": list(CONTENT_TYPES),
        "max_bytes": {"video": 50 * MB, "image": 10 * MB, "model": 10 * MB},
        "max_pixels": MAX_PIXELS, "max_frames": MAX_FRAMES, "max_video_seconds": MAX_VIDEO_SECONDS,
        "upload_url_seconds": UPLOAD_URL_SECONDS, "unused_uploads_expire_after_days": UPLOAD_LIFETIME_DAYS,
    }
