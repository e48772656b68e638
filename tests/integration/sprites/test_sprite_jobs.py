"""Sprites, rotations and project libraries through the real handlers under moto (small renders)."""
from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

KNIGHT = {"prompt": "knight with a red cape and a sword", "width": 32, "height": 32, "seed": 5}


def png_of(stack, asset) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(stack.download(asset))))


def test_a_sprite_job_returns_the_png_its_sidecar_and_its_editable_spec(stack):
    _, key = stack.account(credits=10)
    status, _, job = stack.call("POST", "/v1/sprites", key=key, body=dict(KNIGHT, variants=2))
    assert status == 202 and job["cost"] == 2
    assert job["interpretation"]["archetype"] and "knight" in job["interpretation"]["used_words"]
    assert "spec" in job["request"] and "interpretation" not in job["request"]
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done
    names = {a["name"] for a in done["assets"]}
    assert {"sprite_v1.png", "sprite_v1.json", "sprite_v2.png", "sprite_v2.json", "spec.yaml"} <= names
    image = png_of(stack, next(a for a in done["assets"] if a["name"] == "sprite_v1.png"))
    assert image.shape == (32, 32, 4) and set(np.unique(image[..., 3])) <= {0, 255}
    assert (image[..., 3] == 255).sum() > 50  # something was drawn


def test_a_bad_spec_fails_the_job_and_refunds_it(stack):
    _, key = stack.account(credits=10)
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    spec = {"spritekiln": 1, "parts": {"body": {"shape": "no-such-shape", "size": "huge"}}}
    status, _, job = stack.call("POST", "/v1/sprites", key=key, body={"spec": spec, "width": 32, "height": 32})
    assert status == 202, job
    stack.run_worker()
    failed = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert failed["status"] == "failed" and failed["error"]["code"] == "invalid_spec" and failed["refunded"]
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == before


def test_unsupported_asset_types_and_bad_sprite_fields_name_the_field(stack):
    _, key = stack.account()
    for body, field in [(dict(KNIGHT, asset_type="tile"), "asset_type"), (dict(KNIGHT, direction="up"), "direction"),
                        (dict(KNIGHT, camera="fisheye"), "camera"), (dict(KNIGHT, width=4), "width"),
                        ({"prompt": "ok"}, "prompt")]:
        status, _, err = stack.call("POST", "/v1/sprites", key=key, body=body)
        assert status == 400, (body, err)
        assert field in err["message"], (field, err)
    status, _, err = stack.call("POST", "/v1/sprites", key=key, body=dict(KNIGHT, asset_type="tile"))
    assert "character" in err["message"] and "item" in err["message"]


def test_rotations_of_a_sprite_job_share_one_canvas_and_pivot(stack):
    _, key = stack.account(credits=20)
    sprite = stack.call("POST", "/v1/sprites", key=key, body=KNIGHT)[2]
    status, _, rotation = stack.call("POST", "/v1/rotations", key=key,
                                     body={"sprite_job_id": sprite["id"], "directions": 4})
    assert status == 202 and rotation["cost"] == 2 and rotation["interpretation"]["in_plane"] is False
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{rotation['id']}", key=key)[2]
    assert done["status"] == "completed", done
    names = [a["name"] for a in done["assets"]]
    assert {"rotation_s.png", "rotation_e.png", "rotation_n.png", "rotation_w.png", "rotations_sheet.png",
            "rotations.json"} <= set(names)
    sheet = next(a for a in done["assets"] if a["name"] == "rotations_sheet.png")
    assert (sheet["width"], sheet["height"]) == (4 * 32, 32)
    meta = json.loads(stack.download(next(a for a in done["assets"] if a["name"] == "rotations.json")))
    assert meta["order"] == ["s", "e", "n", "w"]


def test_rotating_an_upload_needs_a_top_down_image(stack):
    account, key = stack.account(credits=20)
    upload = stack.call("POST", "/v1/uploads", key=key,
                        body={"filename": "tank.png", "content_type": "image/png", "bytes": 100})[2]
    for view in ("side", "front", None):
        body = {"upload_id": upload["id"], "directions": 8} | ({"view": view} if view else {})
        status, _, err = stack.call("POST", "/v1/rotations", key=key, body=body)
        assert (status, err["code"]) == (422, "unsupported_source"), err
    body = {"upload_id": upload["id"], "view": "top_down", "directions": 8}
    assert stack.call("POST", "/v1/rotations", key=key, body=body)[0] == 404  # the file has not arrived
    buffer = io.BytesIO()
    tank = np.zeros((16, 12, 4), np.uint8)
    tank[2:14, 3:9] = (90, 120, 60, 255)
    tank[12:16, 5:7] = (200, 30, 30, 255)  # the barrel points south
    Image.fromarray(tank).save(buffer, "PNG")
    stack.backends.s3.put_object(Bucket=stack.env["ASSETS_BUCKET"], Body=buffer.getvalue(),
                                 Key=upload["upload"]["fields"]["key"])
    status, _, job = stack.call("POST", "/v1/rotations", key=key, body=body)
    assert status == 202 and job["interpretation"]["in_plane"] is True
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done
    frames = {a["name"]: png_of(stack, a) for a in done["assets"] if a["name"].startswith("rotation_")}
    south, north = frames["rotation_s.png"], frames["rotation_n.png"]
    assert south.shape == north.shape
    red = (south[..., 0] == 200) & (south[..., 3] == 255)
    assert red[south.shape[0] // 2:].any() and not red[: south.shape[0] // 2].any()  # barrel down...
    red_n = (north[..., 0] == 200) & (north[..., 3] == 255)
    assert red_n[: north.shape[0] // 2].any()  # ...and up when facing north


def test_project_style_is_inherited_and_a_variant_is_saved_to_its_library(stack):
    _, key = stack.account(credits=20)
    project = stack.call("POST", "/v1/projects", key=key, body={
        "name": "Crypt", "resolution": 32, "view_angle": "side", "palette": "pico8"})[2]
    status, _, job = stack.call("POST", "/v1/sprites", key=key, body={
        "prompt": "skeleton warrior with a shield", "project_id": project["id"], "seed": 2})
    assert status == 202, job
    assert (job["request"]["width"], job["request"]["height"], job["request"]["camera"]) == (32, 32, "side")
    assert job["request"]["palette"] == "pico8"
    status, _, err = stack.call("POST", f"/v1/sprites/{job['id']}/select", key=key, body={"variant": 1})
    assert (status, err["code"]) == (409, "conflict")
    stack.run_worker()
    status, _, saved = stack.call("POST", f"/v1/sprites/{job['id']}/select", key=key, body={"variant": 1})
    assert status == 201 and saved["project_id"] == project["id"] and "sprite.png" in saved["files"]
    status, _, err = stack.call("POST", f"/v1/sprites/{job['id']}/select", key=key, body={"variant": 3})
    assert status == 400 and err["details"]["field"] == "variant"
    library = stack.call("GET", f"/v1/projects/{project['id']}", key=key)[2]["library"]
    assert [e["job_id"] for e in library] == [job["id"]]
    # a project that is not yours is not found, and nothing is charged
    _, other = stack.account(credits=5)
    status, _, err = stack.call("POST", "/v1/sprites", key=other, body=dict(KNIGHT, project_id=project["id"]))
    assert status == 404 and stack.call("GET", "/v1/balance", key=other)[2]["total"] == 5 + 1000


def test_pack_items_make_one_sheet_with_rects_and_cost_one_credit_each(stack):
    _, key = stack.account(credits=20)
    items = ["health potion", "golden key", "wooden chest"]
    status, _, job = stack.call("POST", "/v1/sprites", key=key,
                                body={"pack_items": items, "width": 32, "height": 32, "seed": 3})
    assert status == 202 and job["cost"] == 3
    assert [i["prompt"] for i in job["interpretation"]["items"]] == items
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done
    sheet = next(a for a in done["assets"] if a["name"] == "pack.png")
    assert (sheet["width"], sheet["height"]) == (3 * 32, 32)
    meta = json.loads(stack.download(next(a for a in done["assets"] if a["name"] == "pack.json")))
    assert [(r["x"], r["y"], r["w"], r["h"]) for r in meta["items"]] == [(0, 0, 32, 32), (32, 0, 32, 32),
                                                                          (64, 0, 32, 32)]
    assert [r["prompt"] for r in meta["items"]] == items
    status, _, err = stack.call("POST", "/v1/sprites", key=key, body={"pack_items": ["a"] * 9})
    assert status == 400 and "pack_items" in err["message"]


def test_a_reference_image_gives_its_palette_and_inline_returns_the_png(stack):
    import base64

    _, key = stack.account(credits=20)
    swatch = np.zeros((8, 8, 3), np.uint8)
    swatch[:, :4], swatch[:, 4:] = (200, 30, 60), (20, 160, 90)
    buffer = io.BytesIO()
    Image.fromarray(swatch).save(buffer, "PNG")
    reference = {"base64": base64.b64encode(buffer.getvalue()).decode()}
    status, _, job = stack.call("POST", "/v1/sprites", key=key,
                                body=dict(KNIGHT, reference_image=reference, inline=True))
    assert status == 202, job
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done
    assert done["interpretation"]["reference_palette"] == ["#14a05a", "#c81e3c"]
    png = base64.b64decode(done["inline"]["sprite.png"])
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    colours = {tuple(c) for c in pixels[pixels[..., 3] == 255][:, :3]}
    assert colours <= {(0x14, 0xA0, 0x5A), (0xC8, 0x1E, 0x3C)} | {c for c in colours if sum(c) < 120}
    for bad, field in [({"base64": "not base64!"}, "reference_image"),
                       ({"base64": base64.b64encode(b"GIF89a....").decode()}, "reference_image"),
                       ({"upload_id": "upl_" + "0" * 24}, "reference_image.upload_id")]:
        status, _, err = stack.call("POST", "/v1/sprites", key=key, body=dict(KNIGHT, reference_image=bad))
        assert status == 400 and field in json.dumps(err), (bad, err)
    status, _, err = stack.call("POST", "/v1/sprites", key=key,
                                body=dict(KNIGHT, reference_image=reference, palette="pico8"))
    assert status == 400


def test_chained_animations_are_queued_with_the_sprite_or_refused_whole(stack):
    _, key = stack.account(plan="creator", credits=0)
    body = dict(KNIGHT, chain_animations=[{"preset": "idle", "frame_count": 2},
                                          {"preset": "walk", "frame_count": 4, "directions": 4}])
    status, _, sprite = stack.call("POST", "/v1/sprites", key=key, body=body)
    assert status == 202, sprite
    assert len(sprite["chained_jobs"]) == 2
    stack.run_worker()
    jobs = [stack.call("GET", f"/v1/jobs/{j}", key=key)[2] for j in sprite["chained_jobs"]]
    assert [j["type"] for j in jobs] == ["animation", "animation"]
    assert all(j["status"] == "completed" for j in jobs), jobs
    assert jobs[1]["interpretation"]["sprite_job_id"] == sprite["id"]
    assert stack.call("GET", f"/v1/jobs/{sprite['id']}", key=key)[2]["chained_jobs"] == sprite["chained_jobs"]

    # a bad chained animation names itself, and nothing is charged
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    status, _, err = stack.call("POST", "/v1/sprites", key=key,
                                body=dict(KNIGHT, chain_animations=[{"preset": "moonwalk"}]))
    assert status == 400 and err["details"]["fields"][0]["field"].startswith("chain_animations.0")
    # more jobs than the plan runs at once: refused whole
    many = [{"preset": "idle", "frame_count": 2}] * 5
    status, _, err = stack.call("POST", "/v1/sprites", key=key, body=dict(KNIGHT, chain_animations=many))
    assert (status, err["code"]) == (429, "concurrency_limited")
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == before
