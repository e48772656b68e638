"""Uploads over real HTTP: the presigned POST takes the file straight to storage."""
from __future__ import annotations

import io

import requests
from PIL import Image
from pixelforge_e2e import Client


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (200, 40, 40, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_file_uploaded_with_the_presigned_post_is_received(client: Client) -> None:
    data = png_bytes()
    created = client.post("/v1/uploads", {"filename": "hero.png", "content_type": "image/png", "bytes": len(data)})
    assert created.status_code == 201, created.text
    upload = created.json()
    form = upload["upload"]
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("hero.png", data, "image/png")},
                         timeout=30)
    assert sent.status_code in (200, 201, 204), sent.text
    seen = client.get(f"/v1/uploads/{upload['id']}")
    assert seen.status_code == 200 and seen.json()["bytes"] == len(data), seen.text
