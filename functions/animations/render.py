"""render_animation: a model spec + a motion preset -> a sprite sheet in 1, 4 or 8 directions with GIFs,
frames, a normal-map sheet and metadata for Aseprite, Phaser (TexturePacker JSON hash), Godot 4 and us.

The motion (functions/animations/motion.py) becomes a spritekiln `keys` animation in the spec; spritekiln
evaluates it and renders each pose (through functions/sprites/engine.py only). One camera frames the whole
motion in every direction, so the pivot (the feet) is the same pixel in every frame.
"""
from __future__ import annotations

import io
import math
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from functions.common.errors import RenderFailed
from functions.common.render import OutputFile, ProgressFn, RenderResult, no_progress
from functions.sprites import engine
from functions.sprites.render import (
    DIRECTIONS4,
    DIRECTIONS8,
    _downsample,
    _Job,
    _spec_yaml,
    limit_colours,
    map_to_palette,
    remove_orphans,
)

from .motion import MotionProblem, plan_motion
from .sheet import write_outputs

# How much smaller than its still sprite a character is drawn in animations, so big motions stay in frame.
MOTION_HEADROOM = 1.3


def direction_order(directions: int | str, direction: str | None) -> list[str]:
    if directions in (1, "one"):
        d = direction or "s"
        if d not in DIRECTIONS8:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS8)}")
        return [d]
    if int(directions) == 8:
        return list(DIRECTIONS8)
    if int(directions) == 4:
        return list(DIRECTIONS4)
    raise ValueError("directions must be 1, 4 or 8")


def _render_row(args: tuple) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Raw frames of one direction (module level: runs in a process pool too)."""
    model, view, yaws, envs, outline, normals = args
    return [engine.render_pose(model, view, yaw=yaw, env=env, outline=outline, normals=normals)
            for yaw, env in zip(yaws, envs, strict=True)]


@dataclass
class _Setup:
    order: list[str]
    plan: Any
    job: _Job
    tasks: list[tuple]
    want_normals: bool


def _setup(*, spec: dict, preset: str, frame_count: int, fps: int, directions: int | str, direction: str | None,
           loop: bool, normalize_size: bool, width: int, height: int, camera: str, elevation: float | None,
           style: str, palette: list[str] | str | None, outline: bool, shadow: bool, background: str,
           pixel_perfect: str, weapon_hand: str | None = None, custom_motion: str | None = None,
           archetype: str | None = None, **_: Any) -> _Setup:
    """Everything every direction shares: the motion plan, the model, one camera fitted over all poses."""
    order = direction_order(directions, direction)
    try:
        plan = plan_motion(spec=spec, preset=preset, frame_count=frame_count, fps=fps, loop=loop,
                           weapon_hand=weapon_hand, custom_motion=custom_motion, archetype=archetype)
    except MotionProblem as exc:
        raise RenderFailed("invalid_motion", str(exc)) from None
    try:
        job = _Job(spec=plan.spec, width=width, height=height, camera=camera, elevation=elevation, style=style,
                   palette=palette, outline=outline, shadow=shadow, background=background,
                   pixel_perfect=pixel_perfect)
        if normalize_size:
            # One framing for the character, whatever the preset: its still framing with room to move. Fitting
            # each preset's own motion would draw a death or a jump smaller than a walk of the same character.
            job.view = engine.fit_view(job.model, width=job.width * job.k, height=job.height * job.k,
                                       pitch=job.pitch, margin=job.margin * job.k,
                                       scale=job.view.scale * MOTION_HEADROOM)
    except engine.SpecProblem as exc:
        raise RenderFailed("invalid_spec", str(exc)) from None
    want_normals = style == "pixel"
    tasks = []
    for d in order:
        yaw0 = engine.DIRECTION_YAW[d]
        envs = [env for env, _, _ in engine.animation_frames(job.model, plan.name, yaw=yaw0)]
        yaws = [yaw0 + off for off in plan.yaw_offsets]
        tasks.append((job.model, job.view, yaws, envs, job.outline, want_normals))
    return _Setup(order=order, plan=plan, job=job, tasks=tasks, want_normals=want_normals)


def _pack_row(row: list[tuple[np.ndarray, np.ndarray | None]]) -> bytes:
    buffer = io.BytesIO()
    images = np.stack([img for img, _ in row])
    normals = np.stack([n for _, n in row]) if row[0][1] is not None else np.zeros((0,), np.uint8)
    np.savez_compressed(buffer, images=images, normals=normals)
    return buffer.getvalue()


def _unpack_row(data: bytes) -> list[tuple[np.ndarray, np.ndarray | None]]:
    with np.load(io.BytesIO(data)) as stored:
        images, normals = stored["images"], stored["normals"]
    return [(images[i], normals[i] if normals.size else None) for i in range(len(images))]


def render_animation_part(*, part: str, **params: Any) -> bytes:
    """One direction's raw frames (a part of a fanned-out job), for assemble_animation."""
    setup = _setup(**params)
    return _pack_row(_render_row(setup.tasks[setup.order.index(part)]))


def assemble_animation(*, parts: dict[str, bytes], progress: ProgressFn = no_progress, seed: int = 0,
                       **params: Any) -> RenderResult:
    """The finished animation from every direction's raw frames: the same bytes render_animation makes."""
    setup = _setup(**params)
    raw = [_unpack_row(parts[d]) for d in setup.order]
    return _finish(setup, raw, seed=seed, progress=progress, **params)


def render_animation(*, spec: dict, preset: str, frame_count: int, fps: int, directions: int | str,
                     direction: str | None, loop: bool, normalize_size: bool, width: int, height: int, camera: str,
                     elevation: float | None, style: str, palette: list[str] | str | None, outline: bool,
                     shadow: bool, background: str, pixel_perfect: str, seed: int, weapon_hand: str | None = None,
                     custom_motion: str | None = None, progress: ProgressFn = no_progress,
                     **extra: Any) -> RenderResult:
    """The animation of `spec` doing `preset` (see docs/animations.md). `extra`: `workers` (process pool over
    directions, default 1: Lambda has no multiprocessing queues), `archetype` (override the detected one),
    `interpretation` (merged into the result's)."""
    params = dict(spec=spec, preset=preset, frame_count=frame_count, fps=fps, directions=directions,
                  direction=direction, loop=loop, normalize_size=normalize_size, width=width, height=height,
                  camera=camera, elevation=elevation, style=style, palette=palette, outline=outline, shadow=shadow,
                  background=background, pixel_perfect=pixel_perfect, weapon_hand=weapon_hand,
                  custom_motion=custom_motion, **extra)
    setup = _setup(**params)
    progress(0.05)
    tasks = setup.tasks
    workers = max(1, int(extra.get("workers") or 1))
    raw: list[list[tuple[np.ndarray, np.ndarray | None]]] = []
    # Directions are independent. A process pool where one may be had (the bench); otherwise threads,
    # which still use every core because numpy releases the GIL while it raymarches (and run on Lambda).
    pool_type = ProcessPoolExecutor if workers > 1 else ThreadPoolExecutor
    with pool_type(max_workers=min(workers if workers > 1 else (os.cpu_count() or 1), len(tasks))) as pool:
        for i, row in enumerate(pool.map(_render_row, tasks)):
            raw.append(row)
            progress(0.05 + 0.8 * (i + 1) / len(tasks))
    return _finish(setup, raw, seed=seed, progress=progress, **params)


def _finish(setup: _Setup, raw: list[list[tuple[np.ndarray, np.ndarray | None]]], *, seed: int,
            progress: ProgressFn, preset: str, fps: int, style: str, palette: Any, outline: bool, shadow: bool,
            background: str, normalize_size: bool, **extra: Any) -> RenderResult:
    order, plan, job, want_normals = setup.order, setup.plan, setup.job, setup.want_normals
    # pixel clean-up per frame, then one colour budget for the whole animation (no colour flicker)
    cleaned: list[list[np.ndarray]] = []
    for row in raw:
        out = []
        for img, _ in row:
            if job.style == "pixel":
                if job.pixel_perfect:
                    img = remove_orphans(img)
                if job.colours:
                    img = map_to_palette(img, job.colours)
            else:
                img = _downsample(img, job.k)
            out.append(img)
        cleaned.append(out)
    n = len(cleaned[0])
    if job.style == "pixel":
        stack = limit_colours(np.concatenate([np.concatenate(r, 1) for r in cleaned], 0), job.max_colours)
        h, w = job.height, job.width
        cleaned = [[stack[r * h:(r + 1) * h, c * w:(c + 1) * w] for c in range(n)] for r in range(len(order))]
    frames: dict[str, list[np.ndarray]] = {}
    normals: dict[str, list[np.ndarray]] | None = {} if want_normals else None
    clipped: list[str] = []
    for r, d in enumerate(order):
        frames[d] = []
        for c in range(n):
            img = cleaned[r][c]
            a = img[..., 3] > 0
            if a[0].any() or a[-1].any() or a[:, 0].any() or a[:, -1].any():
                clipped.append(f"{d}_{c:02d}")
            frames[d].append(job._finish(img))  # noqa: SLF001 - the sprite finisher: shadow, background
            if normals is not None:
                nrm = raw[r][c][1].copy()
                nrm[..., 3] = np.where(a, 255, 0)
                nrm[~a, :3] = 0
                normals.setdefault(d, []).append(nrm)
    progress(0.9)
    pivot = job.pivot
    sockets = _sockets(setup)
    extra_meta = {"archetype": plan.archetype, "seed": seed, "camera": job.camera_info(), "style": style,
                  "palette": palette, "outline": outline, "shadow": shadow, "background": background,
                  "normalize_size": bool(normalize_size), "clipped_frames": clipped,
                  "motion_notes": plan.notes, "engine": f"{engine.ENGINE_NAME} {engine.ENGINE_VERSION}",
                  "spec_animation": plan.name}
    files, meta = write_outputs(frames=frames, order=order, preset=preset, fps=fps, loop=plan.loop, pivot=pivot,
                                events=plan.events, normals=normals, sockets=sockets,
                                normal_note="" if want_normals else "skipped: smooth style has soft edges; normals "
                                "are only given for pixel style", extra_meta=extra_meta)
    files.append(OutputFile("spec.yaml", "application/yaml", _spec_yaml(plan.spec)))
    interpretation = dict(extra.get("interpretation") or {})
    interpretation["render"] = {"archetype": plan.archetype, "order": order, "frame_count": n, "fps": int(fps),
                                "frame_ms": plan.ms, "loop": plan.loop, "pivot": list(pivot),
                                "events": meta["events"], "camera": job.camera_info(), "clipped_frames": clipped,
                                "notes": plan.notes, "sockets": list(sockets),
                                "normal_map": bool(want_normals)}
    progress(1.0)
    return RenderResult(files=files, interpretation=interpretation)


def _sockets(setup: _Setup) -> dict[str, dict[str, list[list[float] | None]]]:
    """Every socket of the model per direction per frame: [x, y] px from the frame's top left (the space of the
    pivot), or None while hidden. From the plan and the camera only (never the pixels), so a job rendered in
    parts and assembled gives the same numbers as one rendered whole."""
    job = setup.job
    out: dict[str, dict[str, list[list[float] | None]]] = {}
    try:
        for d, (_model, view, yaws, envs, _outline, _normals) in zip(setup.order, setup.tasks, strict=True):
            for yaw, env in zip(yaws, envs, strict=True):
                for name, xy in engine.socket_pixels(job.model, view, yaw=yaw, env=env).items():
                    point = None if xy is None else [round(xy[0] / job.k, 2), round(xy[1] / job.k, 2)]
                    out.setdefault(name, {}).setdefault(d, []).append(point)
    except engine.SpecProblem as exc:
        raise RenderFailed("invalid_spec", str(exc)) from None
    return out


def frame_seconds_estimate(width: int, height: int) -> float:
    """Rough CPU seconds per frame (measured: ~0.22 s at 32 px, ~0.47 s at 64 px on one core)."""
    return 0.15 + 0.32 * (max(width, height) / 64) ** 2 * math.log2(max(width, height) / 16 + 1) / 2


__all__ = ["assemble_animation", "direction_order", "render_animation", "render_animation_part"]
