"""The only module that talks to spritekiln: a spec dict in, one rendered view (RGBA numpy array) out.

Everything else in functions/sprites works on plain dicts and numpy arrays, so the 3D engine can be swapped
by rewriting this file. What it offers:

- `load_model(spec)`: checks and normalises a spritekiln spec dict (palette references resolved to built-in
  ramps only: a user spec cannot make the worker read a file).
- `fit_view(model, width=, height=, pitch=, margin=)`: one camera (scale, centre) that frames the model in
  every direction, with the ground point under the model (the feet pivot) on a whole pixel.
- `render_view(model, view, yaw=, outline=)`: one frame, pixel-art RGBA, width x height.
- `animation_frames`, `fit_poses`, `render_pose`, `socket_pixels`: posed frames of an animation and where the
  model's sockets (attachment points) project in them.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml
from spritekiln import __version__ as _ENGINE_VERSION  # noqa: F401  (pinned in the report / docs)
from spritekiln import resources
from spritekiln import spec as _specmod
from spritekiln.anim import frames_of as _frames_of
from spritekiln.errors import SpriteKilnError
from spritekiln.pixelize import aux_maps, compose
from spritekiln.render import Camera, Light, Scene, render, to_pixels
from spritekiln.rig import build, rest_env, socket_points

ENGINE_NAME = "spritekiln"
ENGINE_VERSION = str(_ENGINE_VERSION)
DIRECTION_YAW: dict[str, float] = {"s": 0.0, "se": 45.0, "e": 90.0, "ne": 135.0, "n": 180.0, "nw": -135.0,
                                   "w": -90.0, "sw": -45.0}
MAX_SPEC_PARTS = 96


class SpecProblem(ValueError):
    """The spec cannot be rendered; the message says why (shown to the user)."""


@dataclass(frozen=True)
class Model:
    spec: dict[str, Any]         # spritekiln's loaded (normalised) spec
    name: str
    geometry: str                # hash of everything that shapes the render buffers (not the colours)


@dataclass(frozen=True)
class View:
    size: int            # square render size (the frame is cropped out of it)
    width: int
    height: int
    pitch: float         # degrees above the horizon
    scale: float         # world units per pixel
    center: tuple[float, float, float]
    supersample: int
    pivot: tuple[int, int]   # pixel (x, y) in the frame of the ground point under the model's origin
    footprint: float     # radius of the model's ground contact, world units (for the shadow)

    def camera(self) -> dict[str, Any]:
        return {"pitch": self.pitch, "scale": round(self.scale, 6), "center": [round(c, 6) for c in self.center]}


def builtin_palettes() -> dict[str, dict[str, list[str]]]:
    """Ramps of spritekiln's built-in palettes by name ({'gothic': {'stone': [...], ...}, ...})."""
    out: dict[str, dict[str, list[str]]] = {}
    folder = resources.data_dir("palettes")
    for file_name in sorted(os.listdir(folder)):
        if file_name.endswith(".yaml"):
            with open(os.path.join(folder, file_name), encoding="utf-8") as fh:
                data = yaml.safe_load(fh) or {}
            out[file_name[:-5]] = {k: [str(c) for c in v] for k, v in (data.get("ramps", data) or {}).items()}
    return out


def _resolve_palettes(spec: dict[str, Any]) -> dict[str, Any]:
    """Inline the ramps of `palette:` (built-in names only) so loading never reads a user-chosen path."""
    spec = dict(spec)
    ref = spec.pop("palette", None)
    refs = ref if isinstance(ref, list) else [ref] if ref else []
    ramps: dict[str, Any] = {}
    known = builtin_palettes()
    for name in refs:
        if not isinstance(name, str) or name.removesuffix(".yaml") not in known:
            raise SpecProblem(f"palette: {name!r} is not a built-in palette ({', '.join(known)}); "
                              "put custom colours under `ramps:`")
        ramps.update(known[name.removesuffix(".yaml")])
    ramps.update(spec.get("ramps") or {})
    spec["ramps"] = ramps
    return spec


def load_model(spec: dict[str, Any]) -> Model:
    """Check and normalise a spec dict; raises SpecProblem with a readable message."""
    if not isinstance(spec, dict):
        raise SpecProblem("the spec must be a mapping")
    parts = spec.get("parts")
    if not isinstance(parts, dict) or not parts:
        raise SpecProblem("the spec has no parts")
    if len(parts) > MAX_SPEC_PARTS:
        raise SpecProblem(f"the spec has {len(parts)} parts; at most {MAX_SPEC_PARTS} are rendered")
    clean = _resolve_palettes(spec)
    clean.setdefault("spritekiln", 1)
    with tempfile.TemporaryDirectory(prefix="pf-spec-") as folder:
        path = os.path.join(folder, "model.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            yaml.safe_dump(clean, fh, sort_keys=False)
        try:
            loaded = _specmod.load(path)
            problems = _specmod._static_problems(loaded)  # noqa: SLF001 - the cheap checks, without file marks
        except (SpriteKilnError, ValueError, TypeError, KeyError) as exc:
            raise SpecProblem(str(exc).replace(path, "spec")) from None
    if problems:
        raise SpecProblem("; ".join(problems[:5]))
    loaded["_dir"] = "."
    loaded["_path"] = "spec.yaml"
    try:
        build(loaded, rest_env(loaded, 0.0))
    except (SpriteKilnError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise SpecProblem(f"rest pose: {exc}") from None
    return Model(spec=loaded, name=str(loaded.get("name", "sprite")), geometry=_geometry_key(loaded))


def _geometry_key(loaded: dict[str, Any]) -> str:
    payload = {k: loaded.get(k) for k in ("bones", "ik", "parts", "channels", "light")}
    payload["flags"] = {k: (m["emissive"], m["two_sided"]) for k, m in loaded["materials"].items()}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


_BUFFERS: OrderedDict[tuple, tuple] = OrderedDict()
_BUFFER_SLOTS = 24


def _groups(model: Model, yaw: float) -> list[Any]:
    env = rest_env(model.spec, yaw)
    return build(model.spec, env)[0]


def _occupied_points(model: Model, env: dict[str, Any] | None = None) -> np.ndarray:
    """Points inside the solid model at rest (or posed by `env`), model space, from a coarse 3D grid: what the
    camera must frame."""
    groups = _groups(model, 0.0) if env is None else build(model.spec, env)[0]
    if not groups:
        raise SpecProblem("the spec has no visible parts in its rest pose")
    lo = np.min([g.bc - g.br for g in groups], axis=0)
    hi = np.max([g.bc + g.br for g in groups], axis=0)
    n = 32
    axes = [np.linspace(lo[i], hi[i], n) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 3)
    scene = Scene(groups, 0.0)
    cell = float(np.max(hi - lo)) / (n - 1)
    inside = grid[scene.dist(grid) < cell * 0.5]
    if not len(inside):
        inside = grid[np.argsort(scene.dist(grid))[:8]]
    return inside


def fit_view(model: Model, *, width: int, height: int, pitch: float, margin: int = 2,
             scale: float | None = None) -> View:
    """One camera for every direction: the model (turned through all 8 directions) fits the frame.

    The horizontal centre of the frame is the model's vertical axis and the ground point under it (the pivot)
    falls on a whole pixel, so frames of different directions line up in a game. `scale` (world units per
    pixel) overrides the fit, e.g. to keep several models at one density.
    """
    return _fit_points(_occupied_points(model), width=width, height=height, pitch=pitch, margin=margin, scale=scale)


def _fit_points(pts: np.ndarray, *, width: int, height: int, pitch: float, margin: int,
                scale: float | None) -> View:
    rad = math.radians(pitch)
    right = np.array([1.0, 0.0, 0.0])
    up = np.array([0.0, math.cos(rad), -math.sin(rad)])
    us, vs = [], []
    for yaw in DIRECTION_YAW.values():
        c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        rot = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
        world = pts @ rot.T
        us.append(world @ right)
        vs.append(world @ up)
    u = np.concatenate(us)
    v = np.concatenate(vs)
    cell = 0.03
    half_w = max(float(np.abs(u).max()) + cell, 1e-3)
    v_lo, v_hi = float(v.min()) - cell, float(v.max()) + cell
    v_lo = min(v_lo, 0.0)  # the ground point stays in the frame
    usable_w, usable_h = max(width - 2 * margin, 4), max(height - 2 * margin, 4)
    if scale is None:
        scale = max(2 * half_w / usable_w, (v_hi - v_lo) / usable_h)
        # round up onto a ladder of 2^(1/8) steps: similar models end up at exactly the same density
        scale = 2 ** (math.ceil(math.log2(scale) * 8) / 8)
    size = max(width, height)
    x0, y0 = (size - width) // 2, (size - height) // 2
    # vertical: centre the model's extent, then snap so the pivot lands on a whole pixel
    v_mid = (v_lo + v_hi) / 2
    pivot_y_frame = round(height / 2 + v_mid / scale)
    pivot_y_frame = min(pivot_y_frame, height - margin)
    pivot_x_frame = width // 2
    # camera.center sits at the square's centre: find it from where the ground origin must project
    cx_sq = size / 2 - (x0 + pivot_x_frame)
    cy_sq = (y0 + pivot_y_frame) - size / 2
    center_u = cx_sq * scale
    center_v = cy_sq * scale
    center = center_u * right + center_v * up
    ground = pts[pts[:, 1] < max(0.15, float(pts[:, 1].min()) + 0.12)]
    footprint = float(np.percentile(np.sqrt(ground[:, 0] ** 2 + ground[:, 2] ** 2), 80)) if len(ground) else 0.2
    supersample = 3 if size <= 96 else 2
    return View(size=size, width=width, height=height, pitch=float(pitch), scale=float(scale),
                center=(float(center[0]), float(center[1]), float(center[2])), supersample=supersample,
                pivot=(pivot_x_frame, pivot_y_frame), footprint=footprint)


def render_view(model: Model, view: View, *, yaw: float, outline: bool = True) -> np.ndarray:
    """One frame seen from `yaw` degrees (0 = facing the viewer): RGBA uint8, alpha 0 or 255."""
    sp = dict(model.spec)
    sp["size"] = view.size
    coverage = math.ceil(0.44 * view.supersample**2)
    cam = Camera(size=view.size, pitch=view.pitch, scale=view.scale, center=view.center,
                 supersample=view.supersample, coverage=coverage)
    env = dict(rest_env(sp, yaw), yaw=float(yaw), dir=_specmod.direction_name(yaw))
    groups, _frames = build(sp, env)
    materials = {name: dict(m, outline=bool(outline)) for name, m in sp["materials"].items()}
    if not groups:
        return np.zeros((view.height, view.width, 4), np.uint8)
    key = (model.geometry, view, float(yaw))
    if key in _BUFFERS:  # a recoloured variant or another outline of the same geometry: no new raymarch
        _BUFFERS.move_to_end(key)
        gid, val, depth = _BUFFERS[key]
    else:
        gid, val, depth, _nrm = to_pixels(*render(Scene(groups, math.radians(yaw)), cam, Light(**sp["light"])),
                                          len(groups), cam)
        _BUFFERS[key] = (gid, val, depth)
        while len(_BUFFERS) > _BUFFER_SLOTS:
            _BUFFERS.popitem(last=False)
    img = compose(gid, val, depth, groups, materials, shadow=None)
    x0, y0 = (view.size - view.width) // 2, (view.size - view.height) // 2
    return np.ascontiguousarray(img[y0:y0 + view.height, x0:x0 + view.width])


def material_colours(model: Model) -> dict[str, list[str]]:
    """The ramp (darkest first) of every material of the model."""
    return {name: list(m["colors"]) for name, m in model.spec["materials"].items()}


# ---------------------------------------------------------------------------------------------- animation
def animation_frames(model: Model, name: str, *, yaw: float = 0.0) -> list[tuple[dict[str, Any], int, list[str]]]:
    """spritekiln's own evaluation of the spec's animation `name` as seen from `yaw`: (channel env, ms, events)
    per output frame (keys, tweens and expression cycles all handled by spritekiln)."""
    try:
        return [(dict(env), int(ms), list(ev)) for env, ms, ev in _frames_of(model.spec, name, yaw)]
    except (SpriteKilnError, ValueError, TypeError, KeyError) as exc:
        raise SpecProblem(f"animation {name}: {exc}") from None


def fit_poses(model: Model, envs: list[dict[str, Any]], *, width: int, height: int, pitch: float,
              margin: int = 2, scale: float | None = None) -> View:
    """Like fit_view, but one camera frames the model in every pose of `envs` (and every direction): an
    animation keeps one canvas, one scale and one pivot however far a sword swings or a body falls."""
    pts = [_occupied_points(model)]
    for env in envs:
        try:
            pts.append(_occupied_points(model, env))
        except SpecProblem:
            continue
    return _fit_points(np.concatenate(pts), width=width, height=height, pitch=pitch, margin=margin, scale=scale)


def render_pose(model: Model, view: View, *, yaw: float, env: dict[str, Any], outline: bool = True,
                normals: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """One posed frame seen from `yaw`: (RGBA uint8 with alpha 0/255, camera-space normal map RGBA or None).

    `env` holds the channel values of the pose (from animation_frames). Normals come from spritekiln's
    aux_maps: RGB = normal * 0.5 + 0.5 in camera space (x right, y up, z toward the viewer)."""
    sp = dict(model.spec)
    sp["size"] = view.size
    coverage = math.ceil(0.44 * view.supersample**2)
    cam = Camera(size=view.size, pitch=view.pitch, scale=view.scale, center=view.center,
                 supersample=view.supersample, coverage=coverage)
    env = dict(env, yaw=float(yaw), dir=_specmod.direction_name(yaw))
    try:
        groups, _frames = build(sp, env)
    except (SpriteKilnError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise SpecProblem(f"pose: {exc}") from None
    materials = {name: dict(m, outline=bool(outline)) for name, m in sp["materials"].items()}
    x0, y0 = (view.size - view.width) // 2, (view.size - view.height) // 2
    if not groups:
        empty = np.zeros((view.height, view.width, 4), np.uint8)
        return empty, (empty.copy() if normals else None)
    gid, val, depth, nrm = to_pixels(*render(Scene(groups, math.radians(yaw)), cam, Light(**sp["light"])),
                                     len(groups), cam)
    img = compose(gid, val, depth, groups, materials, shadow=None)
    normal = None
    if normals:
        normal, _emissive = aux_maps(img, gid, nrm, groups, materials, cam)
        normal = np.ascontiguousarray(normal[y0:y0 + view.height, x0:x0 + view.width])
    return np.ascontiguousarray(img[y0:y0 + view.height, x0:x0 + view.width]), normal


def socket_pixels(model: Model, view: View, *, yaw: float,
                  env: dict[str, Any]) -> dict[str, tuple[float, float] | None]:
    """The model's sockets (spritekiln `sockets:`: a bone plus an offset in its space) in one posed frame seen
    from `yaw`, projected through the same camera render_pose uses: (x, y) px from the frame's top left, in the
    space of `View.pivot` (pixel i spans [i, i + 1)); None while a socket's `when` is false. Spec order."""
    if not model.spec.get("sockets"):
        return {}
    sp = dict(model.spec)
    sp["size"] = view.size
    cam = Camera(size=view.size, pitch=view.pitch, scale=view.scale, center=view.center,
                 supersample=view.supersample)
    env = dict(env, yaw=float(yaw), dir=_specmod.direction_name(yaw))
    try:
        _groups, frames = build(sp, env)
        points = socket_points(sp, env, frames)
    except (SpriteKilnError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise SpecProblem(f"sockets: {exc}") from None
    to_world = Scene([], math.radians(yaw)).Rlw  # the model turned exactly as the render turns it
    x0, y0 = (view.size - view.width) // 2, (view.size - view.height) // 2
    out: dict[str, tuple[float, float] | None] = {}
    for name, point in points.items():
        if point is None:
            out[name] = None
            continue
        u, v = cam.project(to_world @ np.asarray(point, float))
        out[name] = (float(u) - x0, float(v) - y0)
    return out
