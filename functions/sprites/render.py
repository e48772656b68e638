"""render_sprite_set / render_rotations: a model spec -> pixel-art PNGs + JSON sidecars + the editable spec.

numpy does the image work; Pillow only encodes; spritekiln is reached through `engine` alone.
"""
from __future__ import annotations

import io
import json
import math
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import yaml
from PIL import Image

from functions.common.render import OutputFile, ProgressFn, RenderResult, no_progress

from . import engine
from .compiler import vary_spec
from .models import CAMERA_PITCH
from .vocabulary import PALETTES

DIRECTIONS8: tuple[str, ...] = ("s", "se", "e", "ne", "n", "nw", "w", "sw")
DIRECTIONS4: tuple[str, ...] = ("s", "e", "n", "w")
LICENSE = "CC0-1.0"
SHADOW_RGB = (30, 25, 38)
FORMAT = "pixelforge.sprite/1"


# ---------------------------------------------------------------------------------------------- pixel work
def _neighbours4(mask: np.ndarray) -> np.ndarray:
    p = np.pad(mask, 1)
    return p[:-2, 1:-1].astype(np.int8) + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]


def remove_orphans(img: np.ndarray) -> np.ndarray:
    """Opaque pixels with no opaque 4-neighbour become transparent (until none is left)."""
    out = img.copy()
    for _ in range(4):
        solid = out[..., 3] > 0
        lone = solid & (_neighbours4(solid) == 0)
        if not lone.any():
            break
        out[lone] = 0
    return out


def _redmean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Perceptual-ish RGB distance (the 'redmean' approximation), a: (n,3), b: (m,3) -> (n,m)."""
    a = a.astype(np.float64)[:, None, :]
    b = b.astype(np.float64)[None, :, :]
    rm = (a[..., 0] + b[..., 0]) / 2
    d = a - b
    return np.sqrt((2 + rm / 256) * d[..., 0] ** 2 + 4 * d[..., 1] ** 2 + (2 + (255 - rm) / 256) * d[..., 2] ** 2)


def limit_colours(img: np.ndarray, max_colours: int) -> np.ndarray:
    """Merge the rarest opaque colours into their nearest neighbours until at most `max_colours` remain."""
    solid = img[..., 3] > 0
    cols, inverse, counts = np.unique(img[solid][:, :3], axis=0, return_inverse=True, return_counts=True)
    if len(cols) <= max_colours:
        return img
    target = np.arange(len(cols))
    alive = np.ones(len(cols), bool)
    weight = counts.astype(np.int64).copy()
    dist = _redmean(cols, cols)
    np.fill_diagonal(dist, np.inf)
    while alive.sum() > max_colours:
        idx = np.flatnonzero(alive)
        victim = idx[np.argmin(weight[idx])]
        others = dist[victim].copy()
        others[~alive] = np.inf
        into = int(np.argmin(others))
        alive[victim] = False
        weight[into] += weight[victim]
        target[target == victim] = into
    out = img.copy()
    out[solid, :3] = cols[target[inverse.reshape(-1)]]
    return out


def map_to_palette(img: np.ndarray, colours: list[str]) -> np.ndarray:
    """Every opaque pixel takes the nearest colour of the palette."""
    pal = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours], np.uint8)
    solid = img[..., 3] > 0
    px = img[solid][:, :3]
    if not len(px):
        return img
    uniq, inverse = np.unique(px, axis=0, return_inverse=True)
    nearest = _redmean(uniq, pal).argmin(1)
    out = img.copy()
    out[solid, :3] = pal[nearest[inverse.reshape(-1)]]
    return out


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def palette_colours(palette: list[str] | str | None) -> list[str] | None:
    """The colour list a named or listed palette means (None: the model's own ramps)."""
    if palette is None:
        return None
    if isinstance(palette, list):
        return [c.lower() for c in palette]
    if palette in PALETTES:
        return list(PALETTES[palette])
    ramps = engine.builtin_palettes().get(palette)
    if ramps is None:
        raise ValueError(f"unknown palette {palette!r}")
    seen: dict[str, None] = {}
    for ramp in ramps.values():
        for c in ramp:
            seen.setdefault(str(c).lower(), None)
    return list(seen)


def _shadow_mask(h: int, w: int, pivot: tuple[float, float], rx: float, ry: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    return ((xx + 0.5 - pivot[0]) / rx) ** 2 + ((yy + 0.5 - pivot[1]) / ry) ** 2 <= 1.0


def _bbox(alpha: np.ndarray) -> dict[str, int]:
    ys, xs = np.nonzero(alpha)
    if not len(xs):
        return {"x": 0, "y": 0, "w": 0, "h": 0}
    return {"x": int(xs.min()), "y": int(ys.min()), "w": int(xs.max() - xs.min() + 1),
            "h": int(ys.max() - ys.min() + 1)}


def _downsample(img: np.ndarray, k: int) -> np.ndarray:
    """Box filter with premultiplied alpha: k x k render pixels -> one smooth pixel."""
    if k == 1:
        return img
    h, w = img.shape[0] // k, img.shape[1] // k
    f = img[:h * k, :w * k].astype(np.float64) / 255.0
    a = f[..., 3:4]
    pre = np.concatenate([f[..., :3] * a, a], -1)
    pre = pre.reshape(h, k, w, k, 4).mean((1, 3))
    alpha = pre[..., 3:4]
    rgb = np.where(alpha > 0, pre[..., :3] / np.maximum(alpha, 1e-9), 0)
    return np.round(np.concatenate([rgb, alpha], -1) * 255).astype(np.uint8)


def _encode_png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, "RGBA").save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- one frame
class _Job:
    """Everything shared by the frames of one request: the model, its camera, the finishing options."""

    def __init__(self, *, spec: dict[str, Any], width: int, height: int, camera: str, elevation: float | None,
                 style: str, palette: list[str] | str | None, outline: bool, shadow: bool, background: str,
                 pixel_perfect: str, scale: float | None = None) -> None:
        if camera not in CAMERA_PITCH:
            raise ValueError(f"camera must be one of {', '.join(CAMERA_PITCH)}")
        if style not in ("pixel", "smooth"):
            raise ValueError("style must be pixel or smooth")
        self.width, self.height = int(width), int(height)
        self.camera_name = camera
        self.pitch = float(CAMERA_PITCH[camera] if elevation is None else elevation)
        self.style = style
        self.palette = palette
        self.colours = palette_colours(palette)
        self.outline, self.shadow, self.background = bool(outline), bool(shadow), background
        self.pixel_perfect = (style == "pixel") if pixel_perfect == "auto" else pixel_perfect == "on"
        longest = max(self.width, self.height)
        self.k = 1 if style == "pixel" else 3 if longest <= 128 else 2 if longest <= 256 else 1
        self.margin = 2 + (1 if longest >= 48 else 0)  # not tied to `outline`: same framing either way
        self.scale = scale
        self.spec = spec
        self.model = engine.load_model(spec)
        self.view = engine.fit_view(self.model, width=self.width * self.k, height=self.height * self.k,
                                    pitch=self.pitch, margin=self.margin * self.k, scale=scale)
        self.max_colours = 32 if longest <= 64 else 48 if longest <= 128 else 64

    def recoloured(self, spec: dict[str, Any]) -> engine.Model:
        return engine.load_model(spec)

    @property
    def pivot(self) -> tuple[float, float]:
        px, py = self.view.pivot
        return (px / self.k, py / self.k)

    def frame(self, model: engine.Model, direction: str) -> tuple[np.ndarray, dict[str, Any]]:
        yaw = engine.DIRECTION_YAW[direction]
        img = engine.render_view(model, self.view, yaw=yaw, outline=self.outline)
        if self.style == "pixel":
            if self.pixel_perfect:
                img = remove_orphans(img)
            if self.colours:
                img = map_to_palette(img, self.colours)
            img = limit_colours(img, self.max_colours)
        else:
            img = _downsample(img, self.k)
        sprite_alpha = img[..., 3] > 0
        bbox = _bbox(sprite_alpha)
        img = self._finish(img)
        return img, {"bbox": bbox}

    def _finish(self, img: np.ndarray) -> np.ndarray:
        h, w = img.shape[:2]
        out = img.copy()
        if self.shadow and self.pitch > 3:
            rx = max(2.5, self.view.footprint / (self.view.scale * self.k) * 1.2)
            ry = max(1.0, rx * math.sin(math.radians(self.pitch)) * 0.8)
            ground = _shadow_mask(h, w, (self.pivot[0], self.pivot[1] + 0.5), rx, ry) & (out[..., 3] == 0)
            if self.background == "transparent" and self.style == "pixel":
                out[ground] = (*SHADOW_RGB, 255)
            else:
                out[ground] = (*SHADOW_RGB, 110)
        if self.background != "transparent":
            bg = np.array(_hex_rgb(self.background), np.float64)
            a = out[..., 3:4].astype(np.float64) / 255.0
            rgb = out[..., :3].astype(np.float64) * a + bg * (1 - a)
            out = np.concatenate([np.round(rgb).astype(np.uint8), np.full((h, w, 1), 255, np.uint8)], -1)
        elif self.style == "pixel":
            if self.shadow:
                out = remove_orphans(out)
        return out

    def camera_info(self) -> dict[str, Any]:
        return {"preset": self.camera_name, "elevation": self.pitch, "scale": round(self.view.scale * self.k, 6),
                "units": "world units per pixel (a human is about 1.8 units tall)",
                "center": [round(c, 6) for c in self.view.center]}


def _spec_yaml(spec: dict[str, Any]) -> bytes:
    head = ("# PixelForge sprite model: a spritekiln spec (https://github.com/LucasJRamos/spritekiln, format 1).\n"
            "# Edit it and send it back as `spec` to re-render; the camera is fitted to the model per request.\n")
    return (head + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=120)).encode()


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, sort_keys=False).encode()


# ---------------------------------------------------------------------------------------------- public
def render_sprite_set(*, spec: dict, width: int, height: int, direction: str, camera: str,
                      elevation: float | None, style: str, palette: list[str] | str | None, outline: bool,
                      shadow: bool, background: str, pixel_perfect: str, seed: int, variants: int,
                      progress: ProgressFn = no_progress, **extra: Any) -> RenderResult:
    """One sprite (or 1-3 colourway variants of it) seen from `direction`, with sidecars and spec.yaml."""
    if direction not in DIRECTIONS8:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS8)}")
    if not 1 <= int(variants) <= 3:
        raise ValueError("variants must be 1 to 3")
    job = _Job(spec=spec, width=width, height=height, camera=camera, elevation=elevation, style=style,
               palette=palette, outline=outline, shadow=shadow, background=background, pixel_perfect=pixel_perfect)
    progress(0.1)
    files: list[OutputFile] = []
    frames_info = []
    for index in range(int(variants)):
        variant_spec = vary_spec(spec, seed=seed, index=index)
        model = job.model if index == 0 else job.recoloured(variant_spec)
        img, info = job.frame(model, direction)
        stem = "sprite" if variants == 1 else f"sprite_v{index + 1}"
        sidecar = {
            "format": FORMAT, "file": f"{stem}.png", "width": job.width, "height": job.height,
            "variant": index + 1, "seed": seed, "direction": direction, "camera": job.camera_info(),
            "style": style, "palette": palette, "outline": outline, "shadow": shadow, "background": background,
            "pixel_perfect": "on" if job.pixel_perfect else "off",
            "pivot": {"x": job.pivot[0], "y": job.pivot[1],
                      "description": "the ground point under the model (its feet), in px from the top left"},
            "bbox": info["bbox"], "colours": int(len(np.unique(img[img[..., 3] > 0][:, :3], axis=0))),
            "engine": f"{engine.ENGINE_NAME} {engine.ENGINE_VERSION}", "license": LICENSE,
            "spec": variant_spec,
        }
        files.append(OutputFile(name=f"{stem}.png", content_type="image/png", data=_encode_png(img),
                                width=job.width, height=job.height))
        files.append(OutputFile(name=f"{stem}.json", content_type="application/json", data=_json(sidecar)))
        frames_info.append({"file": f"{stem}.png", "bbox": info["bbox"]})
        progress(0.1 + 0.85 * (index + 1) / int(variants))
    files.append(OutputFile(name="spec.yaml", content_type="application/yaml", data=_spec_yaml(spec)))
    interpretation = dict(extra.get("interpretation") or {})
    interpretation["render"] = {"camera": job.camera_info(), "pivot": list(job.pivot), "frames": frames_info}
    progress(1.0)
    return RenderResult(files=files, interpretation=interpretation)


def render_rotations(*, spec: dict, directions: int, width: int, height: int, camera: str,
                     elevation: float | None = None, style: str = "pixel", palette: list[str] | str | None = None,
                     outline: bool = True, shadow: bool = False, background: str = "transparent",
                     pixel_perfect: str = "auto", seed: int = 0, progress: ProgressFn = no_progress,
                     **extra: Any) -> RenderResult:
    """The model in 4 or 8 directions: one PNG each, a one-row sheet and rotations.json (rects, order, pivot)."""
    if directions not in (4, 8):
        raise ValueError("directions must be 4 or 8")
    order = DIRECTIONS8 if directions == 8 else DIRECTIONS4
    job = _Job(spec=spec, width=width, height=height, camera=camera, elevation=elevation, style=style,
               palette=palette, outline=outline, shadow=shadow, background=background, pixel_perfect=pixel_perfect)
    files: list[OutputFile] = []
    frames: list[np.ndarray] = []
    rects: dict[str, Any] = {}
    # Directions are independent and numpy releases the GIL while it raymarches: threads use every core
    # (processes would not run on Lambda, which has no shared memory for them).
    with ThreadPoolExecutor(max_workers=max(1, min(len(order), os.cpu_count() or 1))) as pool:
        rendered = list(pool.map(lambda d: job.frame(job.model, d), order))
    for i, (d, (img, info)) in enumerate(zip(order, rendered, strict=True)):
        frames.append(img)
        rects[d] = {"x": i * job.width, "y": 0, "w": job.width, "h": job.height, "file": f"rotation_{d}.png",
                    "bbox": info["bbox"]}
        files.append(OutputFile(name=f"rotation_{d}.png", content_type="image/png", data=_encode_png(img),
                                width=job.width, height=job.height))
        progress(0.9 * (i + 1) / len(order))
    sheet = np.concatenate(frames, axis=1)
    files.append(OutputFile(name="rotations_sheet.png", content_type="image/png", data=_encode_png(sheet),
                            width=sheet.shape[1], height=sheet.shape[0]))
    meta = {
        "format": FORMAT, "sheet": "rotations_sheet.png", "order": list(order),
        "order_description": "one row, left to right: facing the viewer (s), then turning counter-clockwise as "
                             "seen from above (se = facing down-right on screen)",
        "frame_size": {"w": job.width, "h": job.height}, "frames": rects,
        "pivot": {"x": job.pivot[0], "y": job.pivot[1],
                  "description": "per frame, the ground point under the model (its feet), px from the top left"},
        "seed": seed, "camera": job.camera_info(), "style": style, "palette": palette, "outline": outline,
        "shadow": shadow, "background": background, "engine": f"{engine.ENGINE_NAME} {engine.ENGINE_VERSION}",
        "license": LICENSE, "spec": spec,
    }
    files.append(OutputFile(name="rotations.json", content_type="application/json", data=_json(meta)))
    files.append(OutputFile(name="spec.yaml", content_type="application/yaml", data=_spec_yaml(spec)))
    interpretation = dict(extra.get("interpretation") or {})
    interpretation["render"] = {"camera": job.camera_info(), "pivot": list(job.pivot), "order": list(order)}
    progress(1.0)
    return RenderResult(files=files, interpretation=interpretation)


def render_item_pack(*, pack: list[dict], width: int, height: int, direction: str, camera: str,
                     elevation: float | None, style: str, palette: list[str] | str | None, outline: bool,
                     shadow: bool, background: str, pixel_perfect: str, seed: int,
                     progress: ProgressFn = no_progress, **extra: Any) -> RenderResult:
    """Up to 8 items, each framed on its own, packed on one sheet (rows of 4) with pack.json rects."""
    columns = min(len(pack), 4)
    rows = math.ceil(len(pack) / columns)
    sheet = np.zeros((rows * int(height), columns * int(width), 4), dtype=np.uint8)
    files: list[OutputFile] = []
    rects: list[dict[str, Any]] = []
    prompts = list(extra.get("pack_prompts") or [])
    for i, spec in enumerate(pack):
        job = _Job(spec=spec, width=width, height=height, camera=camera, elevation=elevation, style=style,
                   palette=palette, outline=outline, shadow=shadow, background=background,
                   pixel_perfect=pixel_perfect)
        img, info = job.frame(job.model, direction)
        y, x = (i // columns) * job.height, (i % columns) * job.width
        sheet[y:y + job.height, x:x + job.width] = img
        name = f"item_{i + 1}.png"
        files.append(OutputFile(name=name, content_type="image/png", data=_encode_png(img), width=job.width,
                                height=job.height))
        rects.append({"index": i + 1, "file": name, "x": x, "y": y, "w": job.width, "h": job.height,
                      "prompt": prompts[i] if i < len(prompts) else None, "bbox": info["bbox"],
                      "pivot": {"x": job.pivot[0], "y": job.pivot[1]}})
        progress(0.9 * (i + 1) / len(pack))
    files.append(OutputFile(name="pack.png", content_type="image/png", data=_encode_png(sheet),
                            width=sheet.shape[1], height=sheet.shape[0]))
    meta = {"format": FORMAT, "sheet": "pack.png", "frame_size": {"w": int(width), "h": int(height)},
            "layout": f"rows of {columns}, left to right, top to bottom", "items": rects, "seed": seed,
            "direction": direction, "license": LICENSE, "specs": pack}
    files.append(OutputFile(name="pack.json", content_type="application/json", data=_json(meta)))
    return RenderResult(files=files, interpretation={"render": {"items": len(pack), "columns": columns}})
