"""Model animations at 32 px: stability, pivots, loops, metadata that matches the pixels, determinism."""
from __future__ import annotations

import io
import json
import re
import zipfile

import numpy as np
import pytest
from PIL import Image

from functions.animations.process import process_sheet
from functions.animations.render import render_animation
from functions.sprites.compiler import compile_prompt

COMMON = dict(width=32, height=32, camera="three_quarter", elevation=None, style="pixel", palette=None, outline=True,
              shadow=False, background="transparent", pixel_perfect="auto", seed=1, direction=None,
              normalize_size=True)


def _files(result):
    return {f.name: f for f in result.files}


def _png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def _cells(sheet: np.ndarray, meta: dict) -> dict[str, list[np.ndarray]]:
    w, h = meta["frame_size"]["w"], meta["frame_size"]["h"]
    return {d: [sheet[r * h:(r + 1) * h, c * w:(c + 1) * w] for c in range(meta["frame_count"])]
            for r, d in enumerate(meta["order"])}


@pytest.fixture(scope="module")
def knight() -> dict:
    return compile_prompt("a knight", seed=1)["spec"]


@pytest.fixture(scope="module")
def idle(knight):
    return render_animation(spec=knight, preset="idle", frame_count=4, fps=8, directions=4, loop=True, **COMMON)


@pytest.fixture(scope="module")
def walk(knight):
    return render_animation(spec=knight, preset="walk", frame_count=6, fps=12, directions=1, loop=True, **COMMON)


def test_outputs_present(idle):
    names = set(_files(idle))
    assert {"sheet.png", "sheet_normal.png", "frames.zip", "sheet.aseprite.json", "sheet.atlas.json", "sheet.tres",
            "animation.json", "spec.yaml"} <= names
    assert {f"anim_{d}.gif" for d in ("s", "e", "n", "w")} <= names


def test_idle_bbox_jitter_at_most_one_pixel(idle):
    files = _files(idle)
    meta = json.loads(files["animation.json"].data)
    for d, cells in _cells(_png(files["sheet.png"].data), meta).items():
        boxes = []
        for img in cells:
            ys, xs = np.nonzero(img[..., 3])
            boxes.append((xs.min(), ys.min(), xs.max(), ys.max()))
        boxes = np.array(boxes)
        assert (boxes.max(0) - boxes.min(0)).max() <= 1, (d, boxes)


def test_pivot_identical_across_directions(idle):
    files = _files(idle)
    meta = json.loads(files["animation.json"].data)
    assert set(meta["pivot"]) >= {"x", "y"}
    bottoms = []
    for _d, cells in _cells(_png(files["sheet.png"].data), meta).items():
        ys, _ = np.nonzero(cells[0][..., 3])
        bottoms.append(ys.max())
    # the feet touch the ground at the pivot row in every direction
    assert max(bottoms) - min(bottoms) <= 1
    assert abs(max(bottoms) + 1 - meta["pivot"]["y"]) <= 2
    atlas = json.loads(files["sheet.atlas.json"].data)
    assert len({json.dumps(f["pivot"]) for f in atlas["frames"].values()}) == 1


def test_walk_loop_joins_and_events(walk):
    files = _files(walk)
    meta = json.loads(files["animation.json"].data)
    cells = _cells(_png(files["sheet.png"].data), meta)["s"]
    diffs = [int((cells[i] != cells[i + 1]).any(-1).sum()) for i in range(len(cells) - 1)]
    seam = int((cells[-1] != cells[0]).any(-1).sum())
    assert seam <= max(diffs), (seam, diffs)
    assert meta["events"]["0"] == ["step_l"] and meta["events"]["3"] == ["step_r"]
    assert max(diffs) > 0  # it moves


def test_metadata_agrees_with_pixels(idle):
    files = _files(idle)
    sheet = _png(files["sheet.png"].data)
    meta = json.loads(files["animation.json"].data)
    ase = json.loads(files["sheet.aseprite.json"].data)
    atlas = json.loads(files["sheet.atlas.json"].data)
    H, W = sheet.shape[:2]
    n, order = meta["frame_count"], meta["order"]
    assert ase["meta"]["size"] == {"w": W, "h": H} == atlas["meta"]["size"]
    assert ase["meta"]["image"] == atlas["meta"]["image"] == "sheet.png"
    assert len(ase["frames"]) == len(atlas["frames"]) == n * len(order)
    for f in ase["frames"]:
        r = f["frame"]
        assert 0 <= r["x"] and r["x"] + r["w"] <= W and 0 <= r["y"] and r["y"] + r["h"] <= H
        assert f["duration"] == meta["frame_ms"] == round(1000 / meta["fps"])
        assert sheet[r["y"]:r["y"] + r["h"], r["x"]:r["x"] + r["w"], 3].any()
    tags = ase["meta"]["frameTags"]
    assert [t["name"] for t in tags] == [f"idle_{d}" for d in order]
    assert all(t["to"] - t["from"] + 1 == n and t["direction"] == "forward" for t in tags)
    for name, f in atlas["frames"].items():
        assert re.fullmatch(r"idle_(s|e|n|w)_\d\d", name)
        assert set(f) >= {"frame", "rotated", "trimmed", "spriteSourceSize", "sourceSize"}
    for d, row in meta["directions"].items():
        for c, cell in enumerate(row["frames"]):
            img = sheet[cell["y"]:cell["y"] + cell["h"], cell["x"]:cell["x"] + cell["w"]]
            ys, xs = np.nonzero(img[..., 3])
            assert cell["bbox"] == {"x": xs.min(), "y": ys.min(), "w": xs.max() - xs.min() + 1,
                                    "h": ys.max() - ys.min() + 1}, (d, c)
    with zipfile.ZipFile(io.BytesIO(files["frames.zip"].data)) as zf:
        assert sorted(zf.namelist()) == sorted(f"{d}_{c:02d}.png" for d in order for c in range(n))
        first = _png(zf.read("e_01.png"))
        r = meta["directions"]["e"]["frames"][1]
        assert (first == sheet[r["y"]:r["y"] + r["h"], r["x"]:r["x"] + r["w"]]).all()
    gif = Image.open(io.BytesIO(files["anim_s.gif"].data))
    # GIF stores centiseconds: 125 ms is written as 12 cs
    assert gif.n_frames == n and abs(gif.info["duration"] - meta["frame_ms"]) < 10 and gif.info.get("loop") == 0
    normal = _png(files["sheet_normal.png"].data)
    assert normal.shape == sheet.shape and ((normal[..., 3] > 0) == (sheet[..., 3] > 0)).all()


def parse_tres(text: str) -> dict:
    """A small reader of Godot 4 text resources: header, ext/sub resources, and the SpriteFrames animations."""
    head = re.match(r'\[gd_resource type="(\w+)" load_steps=(\d+) format=3\]', text)
    assert head, text[:80]
    ext = dict((m[1], m[0]) for m in re.findall(r'\[ext_resource type="Texture2D" path="([^"]+)" id="([^"]+)"\]',
                                                 text))
    subs = {}
    for sid, body in re.findall(r'\[sub_resource type="AtlasTexture" id="([^"]+)"\]\n(.*?)\n(?=\[|\n)', text, re.S):
        atlas = re.search(r'atlas = ExtResource\("([^"]+)"\)', body)[1]
        region = tuple(int(v) for v in re.search(r"region = Rect2\(([^)]*)\)", body)[1].split(", "))
        subs[sid] = {"atlas": atlas, "region": region}
    resource = text.split("[resource]\n", 1)[1]
    anims = []
    for block in re.findall(r'\{\n"frames": \[(.*?)\],\n"loop": (true|false),\n"name": &"([^"]+)",\n"speed": '
                            r'([0-9.]+)\n\}', resource, re.S):
        frames = re.findall(r'"duration": ([0-9.]+),\n"texture": SubResource\("([^"]+)"\)', block[0])
        anims.append({"name": block[2], "loop": block[1] == "true", "speed": float(block[3]),
                      "frames": [(float(a), b) for a, b in frames]})
    return {"type": head[1], "load_steps": int(head[2]), "ext": ext, "subs": subs, "animations": anims}


def test_godot_tres(idle):
    files = _files(idle)
    meta = json.loads(files["animation.json"].data)
    sheet = _png(files["sheet.png"].data)
    res = parse_tres(files["sheet.tres"].data.decode())
    assert res["type"] == "SpriteFrames" and res["ext"] == {"1_sheet": "sheet.png"}
    assert res["load_steps"] == len(res["subs"]) + 2
    assert [a["name"] for a in res["animations"]] == [f"idle_{d}" for d in meta["order"]]
    for r, a in enumerate(res["animations"]):
        assert a["loop"] is True and a["speed"] == meta["fps"] and len(a["frames"]) == meta["frame_count"]
        for c, (dur, sid) in enumerate(a["frames"]):
            x, y, w, h = res["subs"][sid]["region"]
            assert dur == 1.0 and (x, y) == (c * w, r * h) and x + w <= sheet.shape[1] and y + h <= sheet.shape[0]


def test_deterministic(knight):
    kw = dict(spec=knight, preset="hurt", frame_count=3, fps=10, directions=1, loop=False, **COMMON)
    a, b = render_animation(**kw), render_animation(**kw)
    assert [(f.name, f.data) for f in a.files] == [(f.name, f.data) for f in b.files]
    meta = json.loads(_files(a)["animation.json"].data)
    gif = Image.open(io.BytesIO(_files(a)["anim_s.gif"].data))
    assert "loop" not in gif.info and meta["loop"] is False


def test_process_sheet_tight(idle):
    files = _files(idle)
    meta = json.loads(files["animation.json"].data)
    out = _files(process_sheet(sheet_png=files["sheet.png"].data, meta=meta, mode="tight"))
    new = json.loads(out["animation.json"].data)
    sheet = _png(out["sheet.png"].data)
    assert new["frame_size"]["w"] <= meta["frame_size"]["w"] and new["frame_size"]["h"] <= meta["frame_size"]["h"]
    assert sheet.shape[:2] == (len(new["order"]) * new["frame_size"]["h"], new["frame_count"] * new["frame_size"]["w"])
    assert int((sheet[..., 3] > 0).sum()) == int((_png(files["sheet.png"].data)[..., 3] > 0).sum())
    assert "sheet.tres" in out and "sheet.aseprite.json" in out
