"""Frames -> the files of an animation: sheet.png, GIFs, frames.zip, normal sheet and the metadata that game
engines load without glue (Aseprite JSON, TexturePacker JSON hash for Phaser, Godot 4 SpriteFrames, ours).

numpy for pixels, Pillow only to encode. Every output is deterministic for the same frames.
"""
from __future__ import annotations

import io
import json
import math
import zipfile
from typing import Any

import numpy as np
from PIL import Image

from functions.common.render import OutputFile

FORMAT = "pixelforge.animation/1"
LICENSE = "CC0-1.0"
ORDER_NOTE = ("rows top to bottom in `order` (s faces the viewer, then counter-clockwise as seen from above); "
              "columns left to right are the frames")


SOCKETS_NOTE = ("socket name -> direction -> [x, y] per frame: where the attachment point (a hand, the head, "
                "the mouth) is, px from each frame's top left like `pivot` (null while hidden); a model without an "
                "attachment point has no socket for it")
SLICE_COLOURS = ("#ff0000ff", "#00c0ffff", "#ffd000ff", "#40ff40ff", "#ff40ffff", "#ffffffff")


def encode_png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array), "RGBA").save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def encode_gif(frames: list[np.ndarray], ms: int, loop: bool) -> bytes:
    """One shared palette (index 0 transparent), full-frame replace (disposal 2), `ms` per frame."""
    stack = np.stack(frames)
    solid = stack[..., 3] >= 128
    colours = np.unique(stack[solid][:, :3], axis=0) if solid.any() else np.zeros((0, 3), np.uint8)
    if len(colours) > 255:  # smooth style: fall back on a median-cut palette of the whole strip
        strip = Image.fromarray(np.concatenate([f[..., :3] for f in frames], 1), "RGB")
        pal_img = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        colours = np.array(pal_img.getpalette()[:255 * 3], np.uint8).reshape(-1, 3)
    palette = np.zeros((256, 3), np.uint8)
    palette[1:len(colours) + 1] = colours
    images = []
    for frame, mask in zip(frames, solid, strict=True):
        idx = np.zeros(frame.shape[:2], np.uint8)
        if mask.any():
            px = frame[mask][:, :3].astype(np.int32)
            d = ((px[:, None, :] - colours[None, :, :].astype(np.int32)) ** 2).sum(-1)
            idx[mask] = (d.argmin(1) + 1).astype(np.uint8)
        im = Image.fromarray(idx, "P")
        im.putpalette(palette.reshape(-1).tolist())
        im.info["transparency"] = 0
        images.append(im)
    buffer = io.BytesIO()
    kwargs: dict[str, Any] = {"save_all": True, "append_images": images[1:], "duration": [int(ms)] * len(images),
                              "disposal": 2, "transparency": 0, "optimize": False}
    if loop:
        kwargs["loop"] = 0
    images[0].save(buffer, format="GIF", **kwargs)
    return buffer.getvalue()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2).encode()


def bbox(alpha: np.ndarray) -> dict[str, int]:
    ys, xs = np.nonzero(alpha)
    if not len(xs):
        return {"x": 0, "y": 0, "w": 0, "h": 0}
    return {"x": int(xs.min()), "y": int(ys.min()), "w": int(xs.max() - xs.min() + 1),
            "h": int(ys.max() - ys.min() + 1)}


def aseprite_slices(sockets: dict[str, dict[str, list[list[float] | None]]], order: list[str],
                    frame_count: int) -> list[dict[str, Any]]:
    """One Aseprite slice per socket: a 1x1 px key on every frame (sheet order) at the pixel holding the socket,
    its pivot on that pixel; a 0x0 key where the socket is hidden."""
    out = []
    for i, (name, rows) in enumerate(sockets.items()):
        keys = []
        for r, d in enumerate(order):
            for c, xy in enumerate(rows.get(d) or [None] * frame_count):
                if xy is None:
                    bounds = {"x": 0, "y": 0, "w": 0, "h": 0}
                else:
                    bounds = {"x": int(math.floor(xy[0])), "y": int(math.floor(xy[1])), "w": 1, "h": 1}
                keys.append({"frame": r * frame_count + c, "bounds": bounds, "pivot": {"x": 0, "y": 0}})
        out.append({"name": name, "color": SLICE_COLOURS[i % len(SLICE_COLOURS)], "data": "socket", "keys": keys})
    return out


def godot_tres(*, image: str, order: list[str], preset: str, frame_w: int, frame_h: int, frame_count: int,
               fps: int, loop: bool) -> str:
    """A Godot 4 SpriteFrames text resource: one AtlasTexture per cell, one animation `<preset>_<dir>` per row,
    speed = fps, every frame duration 1.0 (relative). The atlas path is relative to the .tres (same folder)."""
    subs = []
    anims = []
    for r, d in enumerate(order):
        items = []
        for c in range(frame_count):
            sid = f"AtlasTexture_{d}_{c:02d}"
            subs.append(f'[sub_resource type="AtlasTexture" id="{sid}"]\natlas = ExtResource("1_sheet")\n'
                        f"region = Rect2({c * frame_w}, {r * frame_h}, {frame_w}, {frame_h})\n")
            items.append(f'{{\n"duration": 1.0,\n"texture": SubResource("{sid}")\n}}')
        anims.append(f'{{\n"frames": [{", ".join(items)}],\n"loop": {"true" if loop else "false"},\n'
                     f'"name": &"{preset}_{d}",\n"speed": {float(fps)}\n}}')
    head = (f'[gd_resource type="SpriteFrames" load_steps={len(subs) + 2} format=3]\n\n'
            f'[ext_resource type="Texture2D" path="{image}" id="1_sheet"]\n\n')
    return head + "\n".join(subs) + "\n[resource]\nanimations = [" + ", ".join(anims) + "]\n"


def write_outputs(*, frames: dict[str, list[np.ndarray]], order: list[str], preset: str, fps: int, loop: bool,
                  pivot: tuple[float, float], events: dict[int, list[str]],
                  normals: dict[str, list[np.ndarray]] | None = None, normal_note: str = "",
                  extra_meta: dict[str, Any] | None = None,
                  sockets: dict[str, dict[str, list[list[float] | None]]] | None = None
                  ) -> tuple[list[OutputFile], dict[str, Any]]:
    """All the files of one animation; returns (files, animation.json dict). `sockets`: {name: {direction:
    [[x, y] or None per frame]}} px from the frame's top left (None: the animation.json gets no `sockets` key,
    e.g. an upload, which has no model)."""
    n = len(frames[order[0]])
    h, w = frames[order[0]][0].shape[:2]
    ms = max(1, round(1000 / int(fps)))
    sheet = np.zeros((len(order) * h, n * w, 4), np.uint8)
    for r, d in enumerate(order):
        for c, img in enumerate(frames[d]):
            sheet[r * h:(r + 1) * h, c * w:(c + 1) * w] = img
    sheet_w, sheet_h = int(sheet.shape[1]), int(sheet.shape[0])
    files = [OutputFile("sheet.png", "image/png", encode_png(sheet), sheet_w, sheet_h)]
    if normals:
        nsheet = np.zeros_like(sheet)
        for r, d in enumerate(order):
            for c, img in enumerate(normals[d]):
                nsheet[r * h:(r + 1) * h, c * w:(c + 1) * w] = img
        files.append(OutputFile("sheet_normal.png", "image/png", encode_png(nsheet), sheet_w, sheet_h))
    for d in order:
        files.append(OutputFile(f"anim_{d}.gif", "image/gif", encode_gif(frames[d], ms, loop), w, h))
    files.append(OutputFile("frames.zip", "application/zip",
                            _zip([(f"{d}_{c:02d}.png", encode_png(frames[d][c])) for d in order for c in range(n)])))
    # ---- Aseprite JSON (array): frames in sheet order, one tag per preset x direction
    ase_frames = []
    tags = []
    for r, d in enumerate(order):
        tags.append({"name": f"{preset}_{d}", "from": r * n, "to": r * n + n - 1, "direction": "forward",
                     "color": "#000000ff"})
        for c in range(n):
            ase_frames.append({"filename": f"{preset}_{d}_{c:02d}",
                               "frame": {"x": c * w, "y": r * h, "w": w, "h": h}, "rotated": False,
                               "trimmed": False, "spriteSourceSize": {"x": 0, "y": 0, "w": w, "h": h},
                               "sourceSize": {"w": w, "h": h}, "duration": ms})
    aseprite = {"frames": ase_frames,
                "meta": {"app": "https://www.aseprite.org/", "version": "1.3", "image": "sheet.png",
                         "format": "RGBA8888", "size": {"w": sheet_w, "h": sheet_h}, "scale": "1",
                         "frameTags": tags, "layers": [{"name": "sprite", "opacity": 255, "blendMode": "normal"}],
                         "slices": aseprite_slices(sockets or {}, order, n)}}
    files.append(OutputFile("sheet.aseprite.json", "application/json", _json(aseprite)))
    # ---- TexturePacker JSON hash (Phaser: this.load.atlas(key, 'sheet.png', 'sheet.atlas.json'))
    atlas_frames = {}
    for r, d in enumerate(order):
        for c in range(n):
            atlas_frames[f"{preset}_{d}_{c:02d}"] = {
                "frame": {"x": c * w, "y": r * h, "w": w, "h": h}, "rotated": False, "trimmed": False,
                "spriteSourceSize": {"x": 0, "y": 0, "w": w, "h": h}, "sourceSize": {"w": w, "h": h},
                "pivot": {"x": round(pivot[0] / w, 4), "y": round(pivot[1] / h, 4)}}
    atlas = {"frames": atlas_frames, "meta": {"app": "https://pixelforge (TexturePacker JSON hash)", "version": "1.0",
                                              "image": "sheet.png", "format": "RGBA8888",
                                              "size": {"w": sheet_w, "h": sheet_h}, "scale": "1"}}
    files.append(OutputFile("sheet.atlas.json", "application/json", _json(atlas)))
    files.append(OutputFile("sheet.tres", "text/plain", godot_tres(
        image="sheet.png", order=list(order), preset=preset, frame_w=w, frame_h=h, frame_count=n, fps=fps,
        loop=loop).encode()))
    # ---- ours
    rows = {}
    for r, d in enumerate(order):
        rows[d] = {"row": r, "frames": [{"x": c * w, "y": r * h, "w": w, "h": h, "file": f"{d}_{c:02d}.png",
                                         "bbox": bbox(frames[d][c][..., 3] > 0)} for c in range(n)],
                   "gif": f"anim_{d}.gif", "tag": f"{preset}_{d}"}
    meta: dict[str, Any] = {
        "format": FORMAT, "sheet": "sheet.png", "preset": preset, "order": list(order), "order_description": ORDER_NOTE,
        "frame_size": {"w": w, "h": h}, "frame_count": n, "fps": int(fps), "frame_ms": ms, "loop": bool(loop),
        "pivot": {"x": pivot[0], "y": pivot[1], "description": "the ground point under the model (its feet), px "
                  "from each frame's top left; the same in every frame and direction"},
        "events": {str(k): v for k, v in sorted(events.items())},
        "events_description": "frame index -> events; an event fires when its frame starts",
        "directions": rows,
        **({} if sockets is None else {"sockets": sockets, "sockets_description": SOCKETS_NOTE}),
        "normal_map": "sheet_normal.png" if normals else None,
        "normal_map_note": normal_note or ("camera-space normals, RGB = n*0.5+0.5 (x right, y up, z toward the "
                                           "viewer)" if normals else "no normal map"),
        "files": {"aseprite": "sheet.aseprite.json", "phaser_atlas": "sheet.atlas.json", "godot": "sheet.tres",
                  "frames_zip": "frames.zip"},
        "license": LICENSE,
    }
    meta.update(extra_meta or {})
    files.append(OutputFile("animation.json", "application/json", _json(meta)))
    return files, meta
