from __future__ import annotations

import io

import pytest
from PIL import Image

from functions.uploads.probe import image_size


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "JPEG", "WEBP"])
@pytest.mark.parametrize("size", [(17, 300), (640, 9)])
def test_the_header_gives_the_pixel_size(fmt, size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(buffer, fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    assert image_size(buffer.getvalue()) == size


def test_lossy_webp_and_not_an_image():
    buffer = io.BytesIO()
    Image.new("RGB", (33, 44), (1, 2, 3)).save(buffer, "WEBP", quality=50)
    assert image_size(buffer.getvalue()) == (33, 44)
    assert image_size(b"hello world, not an image") is None
