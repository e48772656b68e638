"""Contact sheets of the sprite prompt list: every prompt in 8 directions, one row each, into bench/out/.

Run: .venv/bin/python bench/sprite_sheet.py [--jobs 2] [--only WORD]
Look at every sheet: bench/out/sprites_32.png, sprites_64.png, sprites_128.png (by frame size).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from functions.sprites import compile_prompt, render_rotations  # noqa: E402

OUT = ROOT / "bench" / "out"
BACKGROUND = (104, 124, 96)


def read_prompts(path: Path = ROOT / "bench" / "sprite_prompts.txt") -> list[tuple[str, int, str]]:
    rows = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        prompt, size, camera = (part.strip() for part in line.split("|"))
        rows.append((prompt, int(size), camera))
    return rows


def render_row(args: tuple[str, int, str]) -> tuple[str, int, str, np.ndarray, float, list[str]]:
    prompt, size, camera = args
    compiled = compile_prompt(prompt, asset_type=None, palette=None, seed=11)
    start = time.perf_counter()
    result = render_rotations(spec=compiled["spec"], directions=8, width=size, height=size, camera=camera,
                              shadow=True, seed=11)
    took = time.perf_counter() - start
    sheet = next(f for f in result.files if f.name == "rotations_sheet.png")
    return prompt, size, camera, np.array(Image.open(io.BytesIO(sheet.data))), took, \
        compiled["interpretation"]["ignored_words"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    rows = [r for r in read_prompts() if not args.only or args.only in r[0]]
    OUT.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(render_row, rows))
    by_size: dict[int, list] = {}
    for r in results:
        by_size.setdefault(r[1], []).append(r)
        print(f"{r[4]:6.2f}s  {r[1]:>3}px {r[2]:<13} {r[0]}" + (f"   ignored: {r[5]}" if r[5] else ""))
    for size, items in sorted(by_size.items()):
        zoom = {32: 4, 64: 3}.get(size, 2)
        label_h = 14
        width = max(r[3].shape[1] for r in items) * zoom
        height = sum(r[3].shape[0] * zoom + label_h for r in items)
        sheet = Image.new("RGB", (width, height), BACKGROUND)
        draw = ImageDraw.Draw(sheet)
        y = 0
        for prompt, _, camera, img, _, _ in items:
            draw.text((4, y + 1), f"{prompt}  [{camera}]", fill=(240, 240, 230))
            y += label_h
            big = Image.fromarray(img).resize((img.shape[1] * zoom, img.shape[0] * zoom), Image.NEAREST)
            sheet.paste(big, (0, y), big)
            y += img.shape[0] * zoom
        path = OUT / f"sprites_{size}{'_' + args.only.replace(' ', '_') if args.only else ''}.png"
        sheet.save(path)
        print("wrote", path)


if __name__ == "__main__":
    main()
