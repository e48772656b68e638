"""Uploads -> RGB frames: sniff the real type from bytes, enforce caps before decoding, decode lazily.

Every failure a user can cause raises RenderFailed with a public code:
  unsupported_media (not a type we take), too_large (bytes or pixels), too_long (duration or frames),
  invalid_media (truncated or corrupt).
Frames are produced one at a time (a generator) so an animation never sits in memory at full size.
"""
from __future__ import annotations

import io
import math
import os
import re
import struct
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from functions.common.errors import RenderFailed

IMAGE_KINDS = ("png", "jpeg", "webp", "gif")
VIDEO_KINDS = ("mp4", "mov", "webm")
MODEL_KINDS = ("glb", "obj")
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_OBJ_VERTEX = re.compile(rb"^\s*v\s+[-+0-9.eE]+\s+[-+0-9.eE]+\s+[-+0-9.eE]+", re.MULTILINE)


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 64 * 1024 * 1024
    max_pixels: int = 40_000_000              # per frame; Pillow's own bomb limit stays as a second net
    max_frames: int = 5_000                   # frames in a source animation
    max_duration_s: float = 120.0             # video length
    max_faces: int = 500_000                  # 3D triangles


@dataclass(frozen=True)
class MediaInfo:
    kind: str                 # png | jpeg | webp | gif | mp4 | mov | webm | glb | obj
    width: int                # source frame size in pixels (3D: the turntable render size)
    height: int
    animated: bool
    is_video: bool = False
    duration_s: float | None = None
    frames: int = 1           # frames in the source (video: unknown until decoded, 0)


def sniff(data: bytes) -> str:
    """The real media type from magic numbers; names and claimed content types are never trusted."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head[4:8] in _QUICKTIME_ATOMS and len(data) >= 8:
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head[:4] == b"glTF" and len(data) >= 12 and struct.unpack("<I", data[4:8])[0] == 2:
        return "glb"
    sample = data[:65536]
    if b"\x00" not in sample and _OBJ_VERTEX.search(sample):
        return "obj"
    raise RenderFailed("unsupported_media",
                       "The upload is not a supported file: send JPEG, PNG, WebP, GIF, MP4, MOV, WebM, GLB or OBJ.")


def check_bytes(data: bytes, limits: MediaLimits) -> None:
    if not data:
        raise RenderFailed("invalid_media", "The upload is empty.")
    if len(data) > limits.max_bytes:
        raise RenderFailed("too_large", f"The upload is {len(data)} bytes; the limit is {limits.max_bytes}.")


def _check_pixels(width: int, height: int, limits: MediaLimits) -> None:
    if width <= 0 or height <= 0:
        raise RenderFailed("invalid_media", "The file declares an empty picture.")
    if width * height > limits.max_pixels:
        raise RenderFailed("too_large", f"The picture is {width}x{height} pixels; the limit is "
                                        f"{limits.max_pixels} pixels per frame.")


# --- images and GIFs (Pillow) ---------------------------------------------------------------------------------------

def _open_image(data: bytes, limits: MediaLimits):
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))       # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise RenderFailed("too_large", f"The picture declares too many pixels: {error}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise RenderFailed("invalid_media", f"The image cannot be read: {error}") from None
    _check_pixels(image.width, image.height, limits)
    return image


def _composite(frame, background: tuple[int, int, int]) -> np.ndarray:
    from PIL import Image

    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        base = Image.new("RGBA", rgba.size, background + (255,))
        return np.asarray(Image.alpha_composite(base, rgba).convert("RGB"))
    return np.asarray(frame.convert("RGB"))


def image_frames(data: bytes, *, limits: MediaLimits, max_frames: int, background: tuple[int, int, int] = (0, 0, 0),
                 draft: tuple[int, int] | None = None) -> Iterator[tuple[np.ndarray, int]]:
    """(rgb, duration_ms) for each frame of a still or animated image, up to max_frames.

    ``draft`` lets a JPEG decode at 1/2, 1/4 or 1/8 scale (DCT scaling) when the grid needs no more pixels.
    """
    from PIL import Image

    image = _open_image(data, limits)
    total = getattr(image, "n_frames", 1)
    if total > limits.max_frames:
        raise RenderFailed("too_long", f"The animation has {total} frames; the limit is {limits.max_frames}.")
    try:
        if draft is not None and image.format == "JPEG":
            image.draft("RGB", draft)
        for index in range(min(total, max_frames)):
            if index:
                image.seek(index)
            duration = int(image.info.get("duration") or 0)
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                rgb = _composite(image, background)
            yield rgb, (duration if duration > 0 else 100)
    except RenderFailed:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise RenderFailed("invalid_media", f"The image is truncated or corrupt: {error}") from None


def image_info(data: bytes, kind: str, limits: MediaLimits) -> MediaInfo:
    image = _open_image(data, limits)
    frames = int(getattr(image, "n_frames", 1))
    return MediaInfo(kind=kind, width=image.width, height=image.height, animated=frames > 1, frames=frames)


# --- video (imageio-ffmpeg) -----------------------------------------------------------------------------------------

class _VideoFile:
    """The upload on disk for ffmpeg, removed on close."""

    def __init__(self, data: bytes, kind: str):
        handle, self.path = tempfile.mkstemp(suffix="." + kind)
        with os.fdopen(handle, "wb") as out:
            out.write(data)

    def close(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def _video_meta(path: str) -> dict:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(path)
    try:
        meta = next(reader)
    except (RuntimeError, OSError, StopIteration) as error:
        raise RenderFailed("invalid_media", f"The video cannot be read: {str(error).strip()[:300]}") from None
    finally:
        reader.close()
    return meta


def video_info(data: bytes, kind: str, limits: MediaLimits) -> MediaInfo:
    file = _VideoFile(data, kind)
    try:
        meta = _video_meta(file.path)
    finally:
        file.close()
    width, height = (int(v) for v in meta.get("source_size") or meta.get("size") or (0, 0))
    duration = float(meta.get("duration") or 0.0)
    _check_pixels(width, height, limits)
    if duration > limits.max_duration_s:
        raise RenderFailed("too_long", f"The video lasts {duration:.1f} s; the limit is {limits.max_duration_s:g} s.")
    return MediaInfo(kind=kind, width=width, height=height, animated=True, is_video=True, duration_s=duration,
                     frames=0)


def video_frames(data: bytes, info: MediaInfo, *, fps: int, max_frames: int, size: tuple[int, int],
                 progress: Callable[[float], None]) -> Iterator[tuple[np.ndarray, int]]:
    """Frames sampled at ``fps`` and scaled by ffmpeg (area filter) to ``size`` = (height, width)."""
    import imageio_ffmpeg

    height, width = size
    expected = max(1, min(max_frames, math.ceil((info.duration_s or 0.0) * fps) or max_frames))
    file = _VideoFile(data, info.kind)
    reader = imageio_ffmpeg.read_frames(
        file.path, output_params=["-vf", f"fps={fps},scale={width}:{height}:flags=area", "-frames:v", str(max_frames),
                                  "-an", "-sn"])
    produced = 0
    try:
        next(reader)
        for raw in reader:
            frame = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)
            produced += 1
            progress(min(produced / expected, 1.0))
            yield frame, round(1000 / fps)
            if produced >= max_frames:
                break
    except (RuntimeError, OSError) as error:
        raise RenderFailed("invalid_media", f"The video is truncated or corrupt: {str(error).strip()[:300]}") from None
    finally:
        reader.close()
        file.close()
    if produced == 0:
        raise RenderFailed("invalid_media", "The video has no frames that can be decoded.")


# --- 3D (trimesh + our rasterizer) ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mesh:
    vertices: np.ndarray      # (V, 3) float
    faces: np.ndarray         # (F, 3) int
    face_colours: np.ndarray  # (F, 3) float 0..1


def load_mesh(data: bytes, kind: str, limits: MediaLimits) -> Mesh:
    import trimesh

    try:
        loaded = trimesh.load(io.BytesIO(data), file_type=kind, force="scene", process=False)
        meshes = [g for g in loaded.dump() if isinstance(g, trimesh.Trimesh) and len(g.faces)] \
            if isinstance(loaded, trimesh.Scene) else [loaded]
    except RenderFailed:
        raise
    except Exception as error:  # trimesh raises many types for bad files
        raise RenderFailed("invalid_media", f"The 3D file cannot be read: {str(error)[:300]}") from None
    meshes = [m for m in meshes if isinstance(m, trimesh.Trimesh) and len(m.faces)]
    if not meshes:
        raise RenderFailed("invalid_media", "The 3D file has no faces to draw.")
    faces_total = sum(len(m.faces) for m in meshes)
    if faces_total > limits.max_faces:
        raise RenderFailed("too_large", f"The model has {faces_total} triangles; the limit is {limits.max_faces}.")
    vertices, faces, colours, offset = [], [], [], 0
    for mesh in meshes:
        vertices.append(np.asarray(mesh.vertices, dtype=np.float64))
        faces.append(np.asarray(mesh.faces, dtype=np.int64) + offset)
        offset += len(mesh.vertices)
        colours.append(_face_colours(mesh))
    all_vertices = np.concatenate(vertices)
    if not np.isfinite(all_vertices).all():
        raise RenderFailed("invalid_media", "The 3D file has vertices that are not finite numbers.")
    return Mesh(all_vertices, np.concatenate(faces), np.concatenate(colours))


def _face_colours(mesh) -> np.ndarray:
    default = np.full((len(mesh.faces), 3), 0.8)
    try:
        visual = mesh.visual
        if visual.kind in ("face", "vertex"):
            return np.asarray(visual.face_colors, dtype=np.float64)[:, :3] / 255.0
        material = getattr(visual, "material", None)
        main = getattr(material, "main_color", None)
        if main is not None:
            return np.broadcast_to(np.asarray(main[:3], dtype=np.float64) / 255.0, default.shape).copy()
    except Exception:  # noqa: BLE001 - a colour we cannot read falls back to grey
        pass
    return default


def model_frames(mesh: Mesh, *, count: int, size: tuple[int, int], fps: int, background: tuple[int, int, int],
                 progress: Callable[[float], None]) -> Iterator[tuple[np.ndarray, int]]:
    """A turntable: ``count`` frames, one full turn about the Y axis."""
    from .raster import rasterize_mesh, turntable_rotation

    for index in range(count):
        rotation = turntable_rotation(2.0 * math.pi * index / count)
        yield (rasterize_mesh(mesh.vertices, mesh.faces, mesh.face_colours, size=size, rotation=rotation,
                              background=background), round(1000 / fps))
        progress((index + 1) / count)
