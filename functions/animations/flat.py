"""render_flat_animation: an uploaded single sprite (no model) moved in 2D, honestly: the pixels are only
translated, scaled, flashed, faded or rotated; nothing is drawn that the sprite did not have.

Presets: idle (breathe: a 1 px squash at the feet), bob, hover, walk (bounce), run (faster bounce, lean),
jump (squash and stretch), hurt (white flash + knockback), death (collapse + fade), attack_slash /
attack_thrust (lunge), dodge (side hop), shake, spin (in-plane turn). One direction.
"""
from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from PIL import Image

from functions.animations.sheet_check import sheet_reason
from functions.common.errors import RenderFailed
from functions.common.render import ProgressFn, RenderResult, no_progress

from .sheet import write_outputs

MAX_SIDE = 256
PRESETS = ("idle", "bob", "hover", "walk", "run", "jump", "hurt", "death", "attack_slash", "attack_thrust", "dodge",
           "shake", "spin")


def _load(source: bytes) -> np.ndarray:
    try:
        im = Image.open(io.BytesIO(source))
        frames = getattr(im, "n_frames", 1)
        im.load()
    except Exception:  # noqa: BLE001 - any decoder failure is the same answer to the user
        raise RenderFailed("unsupported_source", "the upload is not an image we can read (PNG, GIF, WebP, JPEG)") \
            from None
    if frames > 1:
        raise RenderFailed("unsupported_source", f"the upload is an animation ({frames} frames); upload one frame")
    if max(im.size) > MAX_SIDE:
        raise RenderFailed("unsupported_source", f"the sprite is {im.size[0]}x{im.size[1]} px; at most {MAX_SIDE} px "
                           "a side (animate bigger art with a model: POST /v1/sprites, then /v1/animations)")
    img = np.asarray(im.convert("RGBA")).copy()
    if (img[..., 3] == 255).all():  # no transparency: the corner colour is the background
        corner = img[0, 0, :3]
        img[(img[..., :3] == corner).all(-1), 3] = 0
    img[..., 3] = np.where(img[..., 3] >= 128, 255, 0).astype(np.uint8)
    img[img[..., 3] == 0] = 0
    if not img[..., 3].any():
        raise RenderFailed("unsupported_source", "the sprite is empty (fully transparent)")
    return img


def looks_like_sheet(img: np.ndarray) -> str | None:
    """Why the image looks like a sheet of frames (None: a single sprite); see sheet_check."""
    alpha = img[..., 3] > 0
    return sheet_reason(alpha.any(axis=0).tolist(), alpha.any(axis=1).tolist())


def _place(img: np.ndarray, canvas: tuple[int, int], anchor: tuple[float, float], *, sx: float = 1.0,
           sy: float = 1.0, dx: float = 0.0, dy: float = 0.0, angle: float = 0.0) -> np.ndarray:
    """Nearest-neighbour affine: scale about the feet (anchor), rotate about the centre of mass, translate."""
    ch, cw = canvas
    out = np.zeros((ch, cw, 4), np.uint8)
    ax, ay = anchor
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float64)
    x = xx + 0.5 - dx
    y = yy + 0.5 - dy
    if angle:
        cy = ay - img.shape[0] / 2 * 0.0 - (img.shape[0] / 2)
        ca, sa = math.cos(-angle), math.sin(-angle)
        x, y = ax + (x - ax) * ca - (y - cy) * sa, cy + (x - ax) * sa + (y - cy) * ca
    x = ax + (x - ax) / sx
    y = ay + (y - ay) / sy
    ix, iy = np.floor(x).astype(int), np.floor(y).astype(int)
    ok = (ix >= 0) & (iy >= 0) & (ix < img.shape[1]) & (iy < img.shape[0])
    out[ok] = img[iy[ok], ix[ok]]
    return out


def _curve(preset: str, t: float, p: float, h: int) -> dict[str, Any]:
    """Transform at time t (0..1; p = 2 pi t) in px of a sprite h px tall."""
    s = math.sin(p)
    px1 = max(1.0, h / 32)
    if preset == "idle":
        k = 1 + (px1 / h) * (0.5 - 0.5 * math.cos(p))
        return {"sy": 1 / k, "sx": 1.0}
    if preset == "bob":
        return {"dy": -round(px1 * (0.5 - 0.5 * math.cos(p)))}
    if preset == "hover":
        return {"dy": -round(2 * px1 + 1.5 * px1 * s)}
    if preset in ("walk", "run"):
        amp = (2 if preset == "run" else 1) * px1
        return {"dy": -round(amp * abs(math.sin(p))), "lean": 0.08 if preset == "run" else 0.0}
    if preset == "jump":
        keys = [(0, 1, 1, 0), (0.2, 1.12, 0.86, 0), (0.35, 0.9, 1.12, -0.5), (0.55, 0.95, 1.05, -0.62),
                (0.8, 1.15, 0.85, 0), (1, 1, 1, 0)]
        for (t0, a0, b0, c0), (t1, a1, b1, c1) in zip(keys, keys[1:], strict=False):
            if t0 <= t <= t1:
                x = (t - t0) / (t1 - t0)
                x = x * x * (3 - 2 * x)
                return {"sx": a0 + (a1 - a0) * x, "sy": b0 + (b1 - b0) * x, "dy": round((c0 + (c1 - c0) * x) * h)}
        return {}
    if preset == "hurt":
        k = max(0.0, 1 - t * 2)
        return {"dx": -round(3 * px1 * math.sin(math.pi * min(t * 2, 1.0))), "flash": t < 0.34 and (t * 10) % 2 < 1.2,
                "_k": k}
    if preset == "death":
        return {"sy": max(0.1, 1 - 0.8 * t * t), "sx": 1 + 0.25 * t, "alpha": 1 - t}
    if preset in ("attack_slash", "attack_thrust"):
        if t < 0.35:
            return {"dx": -round(2 * px1 * t / 0.35), "sx": 0.95 if preset == "attack_slash" else 1.0}
        if t < 0.6:
            return {"dx": round(5 * px1), "sx": 1.08 if preset == "attack_thrust" else 1.0}
        return {"dx": round(5 * px1 * (1 - (t - 0.6) / 0.4))}
    if preset == "dodge":
        return {"dx": -round(0.4 * h * math.sin(math.pi * t)), "dy": -round(0.1 * h * math.sin(math.pi * t))}
    if preset == "shake":
        return {"dx": round(px1 * math.sin(4 * p))}
    if preset == "spin":
        return {"angle": p}
    raise RenderFailed("unsupported_preset", f"preset {preset!r} needs a model; for an uploaded sprite use one of "
                       f"{', '.join(PRESETS)}")


def render_flat_animation(*, source: bytes, preset: str, frame_count: int, fps: int, loop: bool,
                          progress: ProgressFn = no_progress, **extra: Any) -> RenderResult:
    if preset not in PRESETS:
        raise RenderFailed("unsupported_preset", f"preset {preset!r} needs a model (POST /v1/sprites, then animate "
                           f"the sprite job); for an uploaded sprite use one of {', '.join(PRESETS)}")
    img = _load(source)
    why = looks_like_sheet(img)
    if why:
        raise RenderFailed("unsupported_source", f"the upload looks like a sprite sheet ({why}); upload one frame "
                           "(a single sprite) to animate it")
    ys, xs = np.nonzero(img[..., 3])
    img = img[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = img.shape[:2]
    pad = max(4, math.ceil(0.25 * max(w, h)))
    top = pad + (math.ceil(0.65 * h) if preset in ("jump", "hover") else 0)
    side = pad + (math.ceil(0.4 * h) if preset in ("dodge", "attack_slash", "attack_thrust", "hurt") else 0)
    if preset == "spin":
        side = top = math.ceil(0.5 * (math.hypot(w, h) - min(w, h))) + 2
    canvas = (top + h + 2, 2 * side + w)
    base = np.zeros((canvas[0], canvas[1], 4), np.uint8)
    base[top:top + h, side:side + w] = img
    pivot = (side + w / 2, float(top + h))
    n = int(frame_count)
    frames = []
    for i in range(n):
        t = i / n if loop else i / max(n - 1, 1)
        tr = _curve(preset, t, 2 * math.pi * t, h)
        f = _place(base, canvas, pivot, sx=tr.get("sx", 1.0), sy=tr.get("sy", 1.0), dx=tr.get("dx", 0.0),
                   dy=tr.get("dy", 0.0), angle=tr.get("angle", 0.0))
        if tr.get("lean"):
            out = np.zeros_like(f)
            for y in range(canvas[0]):
                shift = int(round((pivot[1] - y) * tr["lean"]))
                if shift:
                    out[y, max(shift, 0):canvas[1] + min(shift, 0)] = f[y, max(-shift, 0):canvas[1] - max(shift, 0)]
                else:
                    out[y] = f[y]
            f = out
        if tr.get("flash"):
            solid = f[..., 3] > 0
            f[solid, :3] = 255
        if "alpha" in tr:  # death fade as ordered dithering: alpha stays 0/255
            bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]) / 16
            thr = np.tile(bayer, (canvas[0] // 4 + 1, canvas[1] // 4 + 1))[:canvas[0], :canvas[1]]
            f[thr >= tr["alpha"]] = 0
        frames.append(f)
        progress(0.8 * (i + 1) / n)
    events: dict[int, list[str]] = {}
    if preset in ("attack_slash", "attack_thrust"):
        events = {next(i for i in range(n) if (i / max(n - 1, 1)) >= 0.35): ["hit"]}
    elif preset == "jump":
        events = {0: ["takeoff"]}
    direction = str(extra.get("direction") or "s")
    files, meta = write_outputs(frames={direction: frames}, order=[direction], preset=preset, fps=fps, loop=loop,
                                pivot=pivot, events=events,
                                normal_note="skipped: an uploaded sprite has no model, so no normals",
                                extra_meta={"source": "upload", "method": "2D transforms of the uploaded pixels",
                                            "source_size": {"w": w, "h": h}})
    progress(1.0)
    return RenderResult(files=files, interpretation={"render": {"preset": preset, "frames": n, "pivot": list(pivot),
                                                                "frame_size": meta["frame_size"], "flat": True}})
