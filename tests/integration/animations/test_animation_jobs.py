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
    status, _, err = stack.call("POST", "/v1/animations", key=key, body={
        "upload_id": upload(sheet), "preset": "bob", "frame_count": 6, "directions": 1})
    assert (status, err["code"]) == (422, "unsupported_source") and "sheet" in err["message"], err
    big = np.zeros((24, 300, 4), np.uint8)
    status, _, err = stack.call("POST", "/v1/animations", key=key, body={
        "upload_id": upload(big), "preset": "bob", "frame_count": 6, "directions": 1})
    assert (status, err["code"], err["details"]["width"]) == (422, "unsupported_source", 300)
    # a sheet in a format the API cannot look into is caught by the worker: the job fails, refunded
    buffer = io.BytesIO()
    Image.fromarray(sheet).save(buffer, "WEBP", lossless=True)
    data = buffer.getvalue()
    created = stack.call("POST", "/v1/uploads", key=key,
                         body={"filename": "s.webp", "content_type": "image/webp", "bytes": len(data)})[2]
    stack.backends.s3.put_object(Bucket=stack.env["ASSETS_BUCKET"], Key=created["upload"]["fields"]["key"], Body=data)
    job = stack.call("POST", "/v1/animations", key=key, body={
        "upload_id": created["id"], "preset": "bob", "frame_count": 6, "directions": 1})[2]
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


def test_on_aws_directions_fan_out_to_parallel_invocations_and_assemble_to_the_same_bytes(stack, monkeypatch):
    _, key = stack.account(plan="studio", credits=50)
    sprite = stack.call("POST", "/v1/sprites", key=key, body={"prompt": "knight with a sword", "width": 32,
                                                             "height": 32, "seed": 1})[2]
    body = {"sprite_job_id": sprite["id"], "preset": "walk", "frame_count": 4, "fps": 8, "directions": 4, "seed": 9}
    direct = stack.call("POST", "/v1/animations", key=key, body=body)[2]
    stack.run_worker()

    monkeypatch.setenv("PIXELFORGE_FANOUT", "1")
    sqs = stack.backends.sqs
    fanned = stack.call("POST", "/v1/animations", key=key, body=body)[2]
    worker = stack.poller("JOBS_QUEUE_URL")
    assert worker.poll_once() == 1  # the job message: split into 4 part messages
    assert stack.call("GET", f"/v1/jobs/{fanned['id']}", key=key)[2]["status"] == "processing"
    assert stack.queue_depth("JOBS_QUEUE_URL") == 4
    # a duplicated part message changes nothing
    first = sqs.receive_message(QueueUrl=stack.env["JOBS_QUEUE_URL"], VisibilityTimeout=0)["Messages"][0]
    sqs.send_message(QueueUrl=stack.env["JOBS_QUEUE_URL"], MessageBody=first["Body"])
    assert stack.run_worker() == 5
    done = stack.call("GET", f"/v1/jobs/{fanned['id']}", key=key)[2]
    assert done["status"] == "completed", done
    one = {a["name"]: stack.download(a) for a in stack.call("GET", f"/v1/jobs/{direct['id']}", key=key)[2]["assets"]}
    other = {a["name"]: stack.download(a) for a in done["assets"]}
    assert set(one) == set(other) and all(one[n] == other[n] for n in ("sheet.png", "sheet.aseprite.json",
                                                                         "sheet.tres", "animation.json"))
    prefix = f"assets/{stack.call('GET', '/v1/me', key=key)[2]['account_id']}/{fanned['id']}/_parts/"
    assert stack.backends.s3.list_objects_v2(Bucket=stack.env["ASSETS_BUCKET"], Prefix=prefix)["KeyCount"] == 0
    debits = [e for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"] if e["job_id"] == fanned["id"]]
    assert [e["kind"] for e in debits] == ["debit"]


def test_a_part_that_keeps_failing_fails_the_whole_job_once_and_refunds(stack, monkeypatch):
    from functions.animations import jobs as animation_jobs

    monkeypatch.setenv("PIXELFORGE_FANOUT", "1")
    _, key = stack.account(plan="studio", credits=50)
    sprite = stack.call("POST", "/v1/sprites", key=key, body={"prompt": "wolf", "width": 32, "height": 32})[2]
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    job = stack.call("POST", "/v1/animations", key=key, body={"sprite_job_id": sprite["id"], "preset": "idle",
                                                               "frame_count": 2, "directions": 4})[2]
    real = animation_jobs.render_animation_part_job

    def flaky(*, part, **params):
        if part == "n":
            raise MemoryError("the invocation ran out of memory")
        return real(part=part, **params)

    monkeypatch.setattr(animation_jobs, "render_animation_part_job", flaky)
    stack.backends.sqs.set_queue_attributes(QueueUrl=stack.env["JOBS_QUEUE_URL"], Attributes={"VisibilityTimeout": "0"})
    stack.run_worker(max_rounds=40)
    dead = stack.poller("JOBS_DLQ_URL")
    while dead.poll_once():
        pass
    failed = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert failed["status"] == "failed" and failed["refunded"], failed
    after = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    assert after == before  # the animation was refunded, once
    refunds = [e for e in stack.call("GET", "/v1/ledger", key=key)[2]["entries"]
               if e["job_id"] == job["id"] and e["kind"] == "refund"]
    assert len(refunds) == 1
