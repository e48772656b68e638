"""Turning an uploaded top-down image in its own plane: the only rotation of a flat image that shows
nothing the artist did not draw. The image is taken to face south (down the screen)."""
from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image, UnidentifiedImageError

from functions.common.errors import RenderFailed
from functions.common.render import OutputFile, ProgressFn, RenderResult, no_progress

# Counter-clockwise turn (Pillow's sense) that brings a south-facing image to each direction.
TURN_DEGREES = {"s": 0, "se": 45, "e": 90, "ne": 135, "n": 180, "nw": 225, "w": 270, "sw": 315}
ORDER = {4: ("s", "e", "n", "w"), 8: ("s", "se", "e", "ne", "n", "nw", "w", "sw")}
MAX_SIDE = 512


def decode_image(source: bytes) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(source)) as image:
            if max(image.size) > MAX_SIDE:
                raise RenderFailed("too_large", f"Rotation sources are at most {MAX_SIDE} px a side; this one is "
                                                f"{image.size[0]}x{image.size[1]}.")
            return np.asarray(image.convert("RGBA"))
    except (UnidentifiedImageError, OSError) as error:
        raise RenderFailed("unsupported_media", "The upload is not an image Pillow can read (PNG, JPEG, WebP, GIF).") \
            from error


def turn(image: np.ndarray, *, degrees: int, side: int) -> np.ndarray:
    """Nearest-neighbour turn (no new colours, crisp pixels) onto a square canvas of `side` px."""
    turned = np.asarray(Image.fromarray(image).rotate(degrees, resample=Image.Resampling.NEAREST, expand=True))
    canvas = np.zeros((side, side, 4), dtype=np.uint8)
    top, left = (side - turned.shape[0]) // 2, (side - turned.shape[1]) // 2
    canvas[top:top + turned.shape[0], left:left + turned.shape[1]] = turned
    return canvas


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def rotate_in_plane(source: bytes, *, directions: int, progress: ProgressFn = no_progress) -> RenderResult:
    image = decode_image(source)
    height, width = image.shape[:2]
    side = int(np.ceil(np.hypot(width, height)))  # every turn fits, so all frames share one canvas and pivot
    files, frames, rects = [], [], {}
    for i, direction in enumerate(ORDER[directions]):
        frame = turn(image, degrees=TURN_DEGREES[direction], side=side)
        frames.append(frame)
        files.append(OutputFile(name=f"rotation_{direction}.png", content_type="image/png", data=_png(frame),
                                width=side, height=side))
        rects[direction] = {"x": i * side, "y": 0, "w": side, "h": side, "file": f"rotation_{direction}.png"}
        progress((i + 1) / len(ORDER[directions]))
    sheet = np.concatenate(frames, axis=1)
    files.append(OutputFile(name="rotations_sheet.png", content_type="image/png", data=_png(sheet),
                            width=sheet.shape[1], height=side))
    meta = {"format": "pixelforge.rotation/1", "in_plane": True,
            "note": "An uploaded top-down image turned in its own plane; it is taken to face s (down the screen).",
            "order": list(ORDER[directions]), "frame_size": {"w": side, "h": side}, "frames": rects,
            "pivot": {"x": side // 2, "y": side // 2, "description": "the centre the image turns about"}}
    files.append(OutputFile(name="rotations.json", content_type="application/json",
                            data=json.dumps(meta, indent=2, sort_keys=True).encode()))
    return RenderResult(files=files, interpretation={"in_plane": True, "order": list(ORDER[directions])})
