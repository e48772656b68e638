"""Animations through the real handlers under moto: from a sprite job, from an upload, and processed."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
from PIL import Image


def by_name(job) -> dict:
    return {a["name"]: a for a in job["assets"]}


def test_a_walk_in_four_directions_ships_sheets_and_engine_metadata(stack):
    _, key = stack.account(credits=30)
    sprite = stack.call("POST", "/v1/sprites", key=key, body={"prompt": "knight with a sword", "width": 32,
                                                             "height": 32, "seed": 1})[2]
    status, _, job = stack.call("POST", "/v1/animations", key=key, body={
        "sprite_job_id": sprite["id"], "preset": "walk", "frame_count": 4, "fps": 8, "directions": 4})
    assert status == 202 and job["cost"] == 2, job
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done
    files = by_name(done)
    assert {"sheet.png", "sheet.aseprite.json", "sheet.atlas.json", "sheet.tres", "animation.json",
            "frames.zip", "anim_s.gif", "anim_e.gif", "anim_n.gif", "anim_w.gif"} <= set(files)
    sheet = Image.open(io.BytesIO(stack.download(files["sheet.png"])))
    assert sheet.size == (4 * 32, 4 * 32)  # rows = directions, columns = frames
    aseprite = json.loads(stack.download(files["sheet.aseprite.json"]))
    assert len(aseprite["frames"]) == 16 and len(aseprite["meta"]["frameTags"]) == 4
    assert all(f["duration"] == 125 for f in (aseprite["frames"].values() if isinstance(aseprite["frames"], dict)
                                               else aseprite["frames"]))
    assert len(zipfile.ZipFile(io.BytesIO(stack.download(files["frames.zip"]))).namelist()) == 16
    gif = Image.open(io.BytesIO(stack.download(files["anim_e.gif"])))
    assert gif.n_frames == 4
    status, headers, _ = stack.call("GET", f"/v1/animations/{job['id']}/gif?direction=n", key=key)
    assert status == 302 and headers["Location"].startswith("http")
    status, _, err = stack.call("GET", f"/v1/animations/{job['id']}/gif?direction=ne", key=key)
    assert status == 404 and err["details"]["directions"] == ["e", "n", "s", "w"]

    status, _, processed = stack.call("POST", f"/v1/animations/{job['id']}/process", key=key,
                                      body={"mode": "tight"})
    assert status == 202 and processed["cost"] == 1
    stack.run_worker()
    copy = stack.call("GET", f"/v1/jobs/{processed['id']}", key=key)[2]
    assert copy["status"] == "completed" and "sheet.png" in by_name(copy)
    assert stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]["status"] == "completed"  # original kept


def test_an_uploaded_sprite_bobs_and_a_sheet_is_refused(stack):
    _, key = stack.account(credits=30)

    def upload(image: np.ndarray) -> str:
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, "PNG")
        data = buffer.getvalue()
        created = stack.call("POST", "/v1/uploads", key=key,
                             body={"filename": "s.png", "content_type": "image/png", "bytes": len(data)})[2]
        stack.backends.s3.put_object(Bucket=stack.env["ASSETS_BUCKET"], Key=created["upload"]["fields"]["key"],
                                     Body=data)
        return created["id"]

    sprite = np.zeros((24, 24, 4), np.uint8)
    sprite[4:20, 8:16] = (220, 120, 40, 255)
    status, _, job = stack.call("POST", "/v1/animations", key=key, body={
        "upload_id": upload(sprite), "preset": "bob", "frame_count": 6, "fps": 12, "directions": 1})
    assert status == 202, job
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed", done

    sheet = np.zeros((24, 96, 4), np.uint8)
    for i in range(4):
        sheet[4:20, i * 24 + 8:i * 24 + 16] = (220, 120, 40, 255)
    job = stack.call("POST", "/v1/animations", key=key, body={
        "upload_id": upload(sheet), "preset": "bob", "frame_count": 6, "directions": 1})[2]
    stack.run_worker()
    failed = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert failed["status"] == "failed" and failed["error"]["code"] == "unsupported_source" and failed["refunded"]


def test_bad_animation_requests_name_the_field(stack):
    _, key = stack.account()
    sprite = stack.call("POST", "/v1/sprites", key=key, body={"prompt": "green slime", "width": 32, "height": 32})[2]
    for body, word in [({"preset": "moonwalk"}, "preset"), ({"preset": "walk", "frame_count": 30}, "frame_count"),
                       ({"preset": "walk", "fps": 2}, "fps"), ({"preset": "walk", "directions": 3}, "directions"),
                       ({"preset": "custom", "custom_motion": "juggle flaming torches"}, "juggle")]:
        status, _, err = stack.call("POST", "/v1/animations", key=key, body={"sprite_job_id": sprite["id"], **body})
        assert status == 400 and word in err["message"], (body, err)
