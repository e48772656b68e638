"""Uploads: a presigned POST whose policy pins key, type and size (moto does not enforce policies,
so the policy document itself is checked)."""
from __future__ import annotations

import base64
import json

MB = 1024 * 1024


def policy_of(upload: dict) -> dict:
    return json.loads(base64.b64decode(upload["upload"]["fields"]["policy"]))


def test_an_upload_is_a_presigned_post_bounded_by_type_size_and_key(stack):
    account, key = stack.account()
    status, _, upload = stack.call("POST", "/v1/uploads", key=key,
                                   body={"filename": "hero.png", "content_type": "image/png", "bytes": 12345})
    assert status == 201 and upload["id"].startswith("upl_") and upload["status"] == "pending"
    fields = upload["upload"]["fields"]
    assert fields["key"] == f"uploads/{account['account_id']}/{upload['id']}/source"
    conditions = policy_of(upload)["conditions"]
    assert ["content-length-range", 1, 12345] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"key": fields["key"]} in conditions
    assert {"bucket": stack.env["ASSETS_BUCKET"]} in conditions

    # not arrived yet, then arrived
    status, _, err = stack.call("GET", f"/v1/uploads/{upload['id']}", key=key)
    assert (status, err["code"]) == (404, "not_found")
    stack.backends.s3.put_object(Bucket=stack.env["ASSETS_BUCKET"], Key=fields["key"], Body=b"x" * 12345,
                                 ContentType="image/png")
    status, _, seen = stack.call("GET", f"/v1/uploads/{upload['id']}", key=key)
    assert status == 200 and seen["status"] == "received" and seen["bytes"] == 12345
    # another account cannot see it
    _, other = stack.account()
    assert stack.call("GET", f"/v1/uploads/{upload['id']}", key=other)[0] == 404


def test_upload_caps_by_kind_and_refused_types(stack):
    _, key = stack.account()
    ok = stack.call("POST", "/v1/uploads", key=key,
                    body={"filename": "clip.mp4", "content_type": "video/mp4", "bytes": 50 * MB})
    assert ok[0] == 201 and ["content-length-range", 1, 50 * MB] in policy_of(ok[2])["conditions"]
    status, _, err = stack.call("POST", "/v1/uploads", key=key,
                                body={"filename": "big.png", "content_type": "image/png", "bytes": 10 * MB + 1})
    assert (status, err["code"], err["details"]["max_bytes"]) == (413, "payload_too_large", 10 * MB)
    status, _, err = stack.call("POST", "/v1/uploads", key=key,
                                body={"filename": "x.exe", "content_type": "application/x-msdownload", "bytes": 10})
    assert status == 400 and err["details"]["fields"][0]["field"] == "content_type"
    status, _, err = stack.call("POST", "/v1/uploads", key=key,
                                body={"filename": "a.png", "content_type": "image/png", "bytes": 0})
    assert status == 400 and err["details"]["fields"][0]["field"] == "bytes"
    limits = stack.call("GET", "/v1/limits", key=key)[2]["uploads"]
    assert limits["max_bytes"] == {"video": 50 * MB, "image": 10 * MB, "model": 10 * MB}
