"""The ASCII studio through the real handlers under moto: convert, re-render, publish, gallery."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image


def circle_png() -> bytes:
    y, x = np.mgrid[:96, :96]
    image = np.zeros((96, 96, 3), np.uint8)
    image[(x - 48) ** 2 + (y - 48) ** 2 < 30 ** 2] = (240, 200, 40)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG")
    return buffer.getvalue()


def uploaded(stack, key, data: bytes, content_type: str = "image/png") -> str:
    upload = stack.call("POST", "/v1/uploads", key=key,
                        body={"filename": "in.png", "content_type": content_type, "bytes": len(data)})[2]
    stack.backends.s3.put_object(Bucket=stack.env["ASSETS_BUCKET"], Key=upload["upload"]["fields"]["key"], Body=data)
    return upload["id"]


def test_convert_rerender_publish_and_unpublish(stack):
    _, key = stack.account(credits=20)
    upload_id = uploaded(stack, key, circle_png())
    status, _, job = stack.call("POST", "/v1/ascii", key=key,
                                body={"upload_id": upload_id, "settings": {"columns": 40, "color": "none"}})
    assert status == 202 and job["cost"] == 1 and "source_key" not in job["request"]
    stack.run_worker()
    asset = stack.call("GET", f"/v1/assets/{job['id']}", key=key)[2]
    assert asset["latest"]["status"] == "completed" and not asset["public"]
    names = {a["name"] for a in asset["latest"]["assets"]}
    assert {"ascii.txt", "ascii.ans", "ascii.html", "ascii.gif", "ascii.json"} <= names
    status, headers, _ = stack.call("GET", f"/v1/assets/{job['id']}/download.html", key=key)
    assert status == 302 and headers["Location"].startswith("http")

    # nothing is in the gallery until published, and the gallery needs no key
    assert stack.call("GET", "/v1/gallery")[2]["assets"] == []
    status, _, published = stack.call("PATCH", f"/v1/assets/{job['id']}", key=key, body={"public": True})
    assert status == 200 and published["public"]
    listed = stack.call("GET", "/v1/gallery")[2]["assets"]
    assert [a["id"] for a in listed] == [job["id"]] and listed[0]["preview_url"]

    # new settings make a new version; the old one stays
    status, _, patched = stack.call("PATCH", f"/v1/assets/{job['id']}", key=key, body={"settings": {"columns": 60}})
    assert status == 202 and [v["version"] for v in patched["versions"]] == [1, 2]
    assert patched["versions"][1]["settings"]["columns"] == 60 and patched["versions"][1]["settings"]["color"] == "none"
    stack.run_worker()
    again = stack.call("GET", f"/v1/assets/{job['id']}", key=key)[2]
    assert again["latest"]["job_id" if "job_id" in again["latest"] else "id"] == patched["versions"][1]["job_id"]
    # a version is not an asset of its own
    assert stack.call("GET", f"/v1/assets/{patched['versions'][1]['job_id']}", key=key)[0] == 404

    stack.call("PATCH", f"/v1/assets/{job['id']}", key=key, body={"public": False})
    assert stack.call("GET", "/v1/gallery")[2]["assets"] == []


def test_assets_are_private_and_bad_settings_name_the_field(stack):
    _, key = stack.account(credits=20)
    upload_id = uploaded(stack, key, circle_png())
    job = stack.call("POST", "/v1/ascii", key=key, body={"upload_id": upload_id})[2]
    _, other = stack.account()
    assert stack.call("GET", f"/v1/assets/{job['id']}", key=other)[0] == 404
    assert stack.call("PATCH", f"/v1/assets/{job['id']}", key=other, body={"public": True})[0] == 404
    assert stack.call("POST", "/v1/ascii", key=other, body={"upload_id": upload_id})[0] == 404
    status, _, err = stack.call("POST", "/v1/ascii", key=key, body={"upload_id": upload_id,
                                                                    "settings": {"columns": 5000}})
    assert status == 400 and err["details"]["fields"][0]["field"] == "settings.columns"
    status, _, err = stack.call("PATCH", f"/v1/assets/{job['id']}", key=key, body={"settings": {"dither": "lots"}})
    assert status == 400 and err["details"]["fields"][0]["field"] == "settings.dither"
    # publishing before anything has rendered is refused
    status, _, err = stack.call("PATCH", f"/v1/assets/{job['id']}", key=key, body={"public": True})
    assert (status, err["code"]) == (409, "conflict")


def test_a_texture_job_can_be_the_source(stack):
    _, key = stack.account(credits=20)
    texture = stack.call("POST", "/v1/textures", key=key, body={"prompt": "red brick", "size": 64, "seed": 1})[2]
    status, _, err = stack.call("POST", "/v1/ascii", key=key, body={"source_job_id": texture["id"]})
    assert status == 400 and err["details"]["field"] == "source_job_id"  # not finished yet
    stack.run_worker()
    status, _, job = stack.call("POST", "/v1/ascii", key=key, body={"source_job_id": texture["id"]})
    assert status == 202
    stack.run_worker()
    done = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert done["status"] == "completed" and done["interpretation"]["source"]["source_job_id"] == texture["id"]


def test_unreadable_media_fails_the_job_with_a_code_and_refunds(stack):
    _, key = stack.account(credits=20)
    before = stack.call("GET", "/v1/balance", key=key)[2]["total"]
    truncated = circle_png()[:60]
    job = stack.call("POST", "/v1/ascii", key=key, body={"upload_id": uploaded(stack, key, truncated)})[2]
    stack.run_worker()
    failed = stack.call("GET", f"/v1/jobs/{job['id']}", key=key)[2]
    assert failed["status"] == "failed" and failed["refunded"]
    assert failed["error"]["code"] in ("invalid_media", "unsupported_media")
    assert stack.call("GET", "/v1/balance", key=key)[2]["total"] == before
