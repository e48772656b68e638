"""Contact sheet of every texture family plus a few modifier and pixel-art prompts.

Each cell: the basecolor tile beside the lit 2x2 preview. Writes bench/out/textures_sheet.png.
Run: .venv/bin/python bench/texture_sheet.py [size]
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from functions.textures import FAMILIES, render_texture_set  # noqa: E402

EXTRA_PROMPTS = [
    ("mossy red brick wall", False),
    ("cracked wet old stone", False),
    ("blue painted worn wooden planks", False),
    ("snowy cobblestone", False),
    ("burnt dirty concrete", False),
    ("polished green marble", False),
    ("dark rusty metal plates", False),
    ("#3a7bd5 ceramic tiles", False),
    ("red brick", True),
    ("grass", True),
    ("cobblestone", True),
    ("lava", True),
]
OUT = Path(__file__).resolve().parent / "out" / "textures_sheet.png"


def _cell(prompt: str, *, size: int, pixel_art: bool) -> Image.Image:
    result = render_texture_set(prompt=prompt, size=size, seed=7, maps=["basecolor"], pixel_art=pixel_art)
    files = {f.name: f.data for f in result.files}
    basecolor = Image.open(io.BytesIO(files["basecolor.png"])).convert("RGB")
    preview = Image.open(io.BytesIO(files["preview.png"])).convert("RGB")
    cell = Image.new("RGB", (size * 2 + 4, size + 18), (24, 24, 24))
    cell.paste(basecolor, (0, 18))
    cell.paste(preview, (size + 4, 18))
    label = prompt + (" [pixel art]" if pixel_art else "")
    ImageDraw.Draw(cell).text((2, 3), label[:48], fill=(230, 230, 230))
    return cell


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    prompts = [(family.replace("_", " "), False) for family in FAMILIES] + EXTRA_PROMPTS
    cells = [_cell(prompt, size=size, pixel_art=pixel_art) for prompt, pixel_art in prompts]
    columns = 4
    rows = -(-len(cells) // columns)
    width, height = cells[0].size
    sheet = Image.new("RGB", (columns * (width + 6), rows * (height + 6)), (12, 12, 12))
    for index, cell in enumerate(cells):
        sheet.paste(cell, ((index % columns) * (width + 6), (index // columns) * (height + 6)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
