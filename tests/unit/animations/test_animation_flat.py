"""2D animations of an uploaded sprite: sheets refused, honest transforms."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from functions.animations.flat import render_flat_animation
from functions.common.errors import RenderFailed


def _png(img: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(img).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sprite() -> bytes:
    img = np.zeros((24, 16, 4), np.uint8)
    img[2:22, 3:13] = (200, 60, 60, 255)
    img[5:9, 5:8] = (250, 250, 250, 255)
    return _png(img)


def _frames(result) -> tuple[list[np.ndarray], dict]:
    files = {f.name: f for f in result.files}
    meta = json.loads(files["animation.json"].data)
    sheet = np.asarray(Image.open(io.BytesIO(files["sheet.png"].data)).convert("RGBA"))
    w, h = meta["frame_size"]["w"], meta["frame_size"]["h"]
    return [sheet[0:h, c * w:(c + 1) * w] for c in range(meta["frame_count"])], meta


def test_sheet_upload_rejected():
    img = np.zeros((24, 64, 4), np.uint8)
    for x in (2, 18, 34, 50):
        img[2:22, x:x + 10] = 255
    with pytest.raises(RenderFailed) as exc:
        render_flat_animation(source=_png(img), preset="bob", frame_count=4, fps=8, loop=True)
    assert exc.value.code == "unsupported_source" and "sheet" in exc.value.message


def test_too_big_and_model_presets_rejected(sprite):
    with pytest.raises(RenderFailed) as exc:
        render_flat_animation(source=_png(np.full((300, 20, 4), 255, np.uint8)), preset="bob", frame_count=4, fps=8,
                              loop=True)
    assert exc.value.code == "unsupported_source"
    with pytest.raises(RenderFailed):
        render_flat_animation(source=sprite, preset="cast", frame_count=4, fps=8, loop=True)


def test_bob_moves_vertically_only(sprite):
    frames, meta = _frames(render_flat_animation(source=sprite, preset="bob", frame_count=6, fps=8, loop=True))
    tops, lefts = [], []
    for f in frames:
        ys, xs = np.nonzero(f[..., 3])
        tops.append(ys.min())
        lefts.append(xs.min())
        assert (f[..., 3] > 0).sum() == 200  # same pixels, only moved
    assert len(set(lefts)) == 1 and len(set(tops)) > 1
    assert meta["order"] == ["s"] and meta["loop"] is True


@pytest.mark.parametrize("preset", ["idle", "hover", "walk", "run", "jump", "hurt", "death", "attack_slash",
                                    "dodge", "shake", "spin"])
def test_every_flat_preset_renders(sprite, preset):
    frames, meta = _frames(render_flat_animation(source=sprite, preset=preset, frame_count=5, fps=10, loop=False))
    assert len(frames) == 5 and frames[0][..., 3].any()
    assert set(np.unique(np.concatenate([f[..., 3] for f in frames]))) <= {0, 255}
