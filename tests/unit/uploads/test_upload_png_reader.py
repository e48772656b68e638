"""Our pure-Python PNG reader agrees with Pillow on which rows and columns are opaque."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from functions.uploads.png import opaque_rows_and_columns


def encode(img: np.ndarray, mode: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(img)
    if mode == "P":
        image = image.convert("RGBA").quantize(colors=8)
    elif mode != "RGBA":
        image = image.convert(mode)
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_occupancy_matches_the_pixels(mode):
    rng = np.random.default_rng(3)
    img = np.zeros((40, 60, 4), np.uint8)
    img[5:20, 7:19] = (200, 40, 40, 255)
    img[25:35, 30:55] = (20, 220, 90, 255)
    img[..., :3] = np.where(img[..., 3:] > 0, img[..., :3], rng.integers(0, 255, (40, 60, 3), np.uint8) * 0)
    columns, rows = opaque_rows_and_columns(encode(img, mode))
    alpha = img[..., 3] >= 128
    assert columns == alpha.any(axis=0).tolist() and rows == alpha.any(axis=1).tolist()


def test_an_opaque_picture_uses_its_corner_colour_as_the_background():
    img = np.full((10, 30, 3), 255, np.uint8)
    img[2:8, 3:9] = (0, 0, 0)
    img[2:8, 20:26] = (0, 0, 0)
    columns, rows = opaque_rows_and_columns(encode(img, "RGB"))
    assert columns == [3 <= x < 9 or 20 <= x < 26 for x in range(30)]
    assert rows == [2 <= y < 8 for y in range(10)]


def test_what_it_does_not_read():
    assert opaque_rows_and_columns(b"GIF89a....") is None
    big = encode(np.zeros((300, 300, 4), np.uint8), "RGBA")
    assert opaque_rows_and_columns(big) is None
