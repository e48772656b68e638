"""The one font: glyph bitmaps every part of the engine shares.

Printable ASCII comes from Pillow's built-in bitmap font (6x11, monospace, shipped inside Pillow, so it
is the same on every machine); block and braille glyphs are drawn here on the same 6x12 cell. Glyph
choice (coverage, shape) is measured on exactly the bitmaps that the GIF/MP4 outputs draw.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

CELL_W, CELL_H = 6, 12          # pixels per character cell: aspect 0.5
ASCII_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
SHADES = "░▒▓"
HALVES = {"█": "1111", "▀": "1100", "▄": "0011", "▌": "1010", "▐": "0101", "▘": "1000", "▝": "0100",
          "▖": "0010", "▗": "0001", "▚": "1001", "▞": "0110", "▙": "1011", "▛": "1110", "▜": "1101",
          "▟": "0111"}                # quadrants lit, in order top-left, top-right, bottom-left, bottom-right
BRAILLE_BITS = ((0, 0, 0x01), (0, 1, 0x02), (0, 2, 0x04), (1, 0, 0x08),
                (1, 1, 0x10), (1, 2, 0x20), (0, 3, 0x40), (1, 3, 0x80))   # (dot column, dot row, bit)


@lru_cache(maxsize=1)
def _ascii_bitmaps() -> dict[str, np.ndarray]:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default_imagefont()
    bitmaps = {}
    for char in ASCII_PRINTABLE:
        image = Image.new("L", (CELL_W, CELL_H), 0)
        ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
        bitmaps[char] = np.asarray(image) > 127
    return bitmaps


def _block_bitmap(char: str) -> np.ndarray:
    y, x = np.mgrid[0:CELL_H, 0:CELL_W]
    if char in SHADES:
        light = (x % 2 == 0) & (y % 2 == 0)
        return {"░": light, "▒": (x + y) % 2 == 0, "▓": ~light}[char]
    lit = HALVES[char]
    top, left = y < CELL_H // 2, x < CELL_W // 2
    quadrants = (top & left, top & ~left, ~top & left, ~top & ~left)
    out = np.zeros((CELL_H, CELL_W), dtype=bool)
    for flag, quadrant in zip(lit, quadrants, strict=True):
        if flag == "1":
            out |= quadrant
    return out


def _braille_bitmap(char: str) -> np.ndarray:
    bits = ord(char) - 0x2800
    out = np.zeros((CELL_H, CELL_W), dtype=bool)
    for column, row, bit in BRAILLE_BITS:
        if bits & bit:
            out[3 * row + 1:3 * row + 3, 3 * column + 1:3 * column + 3] = True
    return out


def glyph_bitmap(char: str) -> np.ndarray:
    """(CELL_H, CELL_W) bool: the pixels a glyph lights."""
    if char in _ascii_bitmaps():
        return _ascii_bitmaps()[char]
    if char in SHADES or char in HALVES:
        return _block_bitmap(char)
    if 0x2800 <= ord(char) <= 0x28FF:
        return _braille_bitmap(char)
    raise ValueError(f"no glyph for {char!r}")


@lru_cache(maxsize=64)
def glyph_atlas(glyphs: str) -> np.ndarray:
    """(len(glyphs), CELL_H, CELL_W) bool, in the order given."""
    return np.stack([glyph_bitmap(c) for c in glyphs])


def coverage_patterns(glyphs: str, *, sub_x: int, sub_y: int) -> np.ndarray:
    """(len(glyphs), sub_y * sub_x) float32: the lit fraction of each glyph in each sub-cell."""
    atlas = glyph_atlas(glyphs).astype(np.float32)
    n = atlas.shape[0]
    blocks = atlas.reshape(n, sub_y, CELL_H // sub_y, sub_x, CELL_W // sub_x)
    return blocks.mean(axis=(2, 4)).reshape(n, sub_y * sub_x)
