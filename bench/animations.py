"""Animation bench: every preset x 8 directions for a knight, a wolf and a slime at 64 px -> contact sheets and
GIFs in bench/out/animations/ (git-ignored), CPU-seconds per frame, the 8-direction x 8-frame walk time, and the
ratio to spritekiln's own CLI rendering the same spec and animation.

    .venv/bin/python bench/animations.py                 # everything (about 10 min on 2 cores)
    .venv/bin/python bench/animations.py --presets idle,walk,attack_slash --subjects knight
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import yaml  # noqa: E402
from PIL import Image  # noqa: E402

from functions.animations.motion import PRESETS, plan_motion  # noqa: E402
from functions.animations.render import render_animation  # noqa: E402
from functions.sprites.compiler import compile_prompt  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "animations")
SUBJECTS = {"knight": "a knight", "wolf": "a grey wolf", "slime": "a green slime"}
COMMON = dict(camera="three_quarter", elevation=None, style="pixel", palette=None, outline=True, shadow=False,
              background="transparent", pixel_perfect="auto", seed=1, direction=None, normalize_size=True)


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def save_preview(result, stem: str, scale: int = 3) -> None:
    files = {f.name: f for f in result.files}
    sheet = Image.open(io.BytesIO(files["sheet.png"].data)).convert("RGBA")
    sheet = sheet.resize((sheet.width * scale, sheet.height * scale), Image.NEAREST)
    bg = Image.new("RGBA", sheet.size, (70, 66, 84, 255))
    bg.alpha_composite(sheet)
    bg.save(os.path.join(OUT, f"{stem}_sheet.png"))
    for name in ("anim_s.gif", "anim_e.gif"):
        if name in files:
            with open(os.path.join(OUT, f"{stem}_{name}"), "wb") as fh:
                fh.write(files[name].data)


def spritekiln_cli_seconds(spec: dict, preset: str, frames: int, size: int, jobs: int) -> float:
    """Wall seconds of `spritekiln render` on the same rigged spec and animation (8 directions, cache off)."""
    plan = plan_motion(spec=spec, preset=preset, frame_count=frames, fps=12, loop=True)
    sp = dict(plan.spec, spritekiln=1, name="bench", size=size, directions=8,
              camera={"pitch": 38, "scale": 0.035, "center": [0, 0.8, 0]})
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.yaml")
        with open(path, "w") as fh:
            yaml.safe_dump(sp, fh, sort_keys=False)
        cli = os.path.join(os.path.dirname(sys.executable), "spritekiln")
        t = time.time()
        subprocess.run([cli, "render", path, "--anims", plan.name, "--jobs", str(jobs), "--force", "-o",
                        os.path.join(folder, "out")], check=True, capture_output=True)
        return time.time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default=",".join(p for p in PRESETS if p != "custom") + ",custom")
    ap.add_argument("--subjects", default=",".join(SUBJECTS))
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-grid", action="store_true", help="only the walk timing and the CLI ratio")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    specs = {k: compile_prompt(SUBJECTS[k], seed=1)["spec"] for k in args.subjects.split(",")}
    # 1. the headline: 8 directions x 8 frames walk of a 64 px character
    knight = specs.get("knight") or compile_prompt("a knight", seed=1)["spec"]
    c0, t0 = cpu(), time.time()
    walk = render_animation(spec=knight, preset="walk", frame_count=8, fps=12, directions=8, loop=True,
                            width=64, height=64, workers=args.workers, **COMMON)
    wall, cpus = time.time() - t0, cpu() - c0
    save_preview(walk, "knight_walk_headline")
    print(f"walk 8 dirs x 8 frames @64 px: {wall:.1f} s wall ({args.workers} workers), {cpus:.1f} CPU-s, "
          f"{cpus / 64:.2f} CPU-s/frame (target <= 30 s on 2 cores)")
    try:
        sk = spritekiln_cli_seconds(knight, "walk", 8, 64, args.workers)
        print(f"spritekiln CLI, same spec + walk, 8 dirs, {args.workers} jobs: {sk:.1f} s wall; "
              f"ratio ours / CLI = {wall / sk:.2f}")
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"spritekiln CLI comparison failed: {exc}")
    if args.skip_grid:
        return
    # 2. every preset x 8 directions per subject
    for subject, spec in specs.items():
        for preset in args.presets.split(","):
            c0, t0 = cpu(), time.time()
            kw = dict(custom_motion="raise both arms then bow") if preset == "custom" else {}
            if preset == "custom" and subject != "knight":
                kw = dict(custom_motion="crouch then jump then spin")
            result = render_animation(spec=spec, preset=preset, frame_count=args.frames, fps=12, directions=8,
                                      loop=preset in ("idle", "walk", "run"), width=args.size, height=args.size,
                                      workers=args.workers, **kw, **COMMON)
            n = args.frames * 8
            clipped = result.interpretation["render"]["clipped_frames"]
            print(f"{subject:7s} {preset:14s} {time.time() - t0:6.1f} s wall {(cpu() - c0) / n:5.2f} CPU-s/frame "
                  f"events={result.interpretation['render']['events']} clipped={len(clipped)}")
            save_preview(result, f"{subject}_{preset}")


if __name__ == "__main__":
    main()
