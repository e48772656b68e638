"""Sprites and ASCII art over real HTTP, as a user would call them."""
from __future__ import annotations

import io

import numpy as np
import requests
from PIL import Image
from pixelforge_e2e import Client


def test_a_sprite_and_its_rotations_download_as_real_pngs(client: Client) -> None:
    sprite = client.post("/v1/sprites", {"prompt": "wizard with a purple hat and a staff", "width": 48, "height": 48,
                                         "seed": 4}, headers={"Prefer": "wait=20"})
    assert sprite.status_code == 200, sprite.text
    job = sprite.json()
    png = next(a for a in job["assets"] if a["name"] == "sprite.png")
    image = Image.open(io.BytesIO(requests.get(png["url"], timeout=30).content))
    assert image.size == (48, 48) and image.mode == "RGBA"
    spec = requests.get(next(a for a in job["assets"] if a["name"] == "spec.yaml")["url"], timeout=30).text
    assert "parts" in spec

    rotation = client.post("/v1/rotations", {"sprite_job_id": job["id"], "directions": 4},
                           headers={"Prefer": "wait=25"})
    assert rotation.status_code in (200, 202), rotation.text
    done = client.wait_for_job(rotation.json()["id"], timeout=60)
    sheet = next(a for a in done["assets"] if a["name"] == "rotations_sheet.png")
    assert Image.open(io.BytesIO(requests.get(sheet["url"], timeout=30).content)).size == (4 * 48, 48)


def test_an_uploaded_photo_becomes_ascii_art_and_can_be_published(client: Client, anonymous: Client) -> None:
    y, x = np.mgrid[:120, :160]
    photo = np.stack([x * 255 // 160, y * 255 // 120, np.full_like(x, 128)], axis=-1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, "JPEG")
    data = buffer.getvalue()
    upload = client.post("/v1/uploads", {"filename": "photo.jpg", "content_type": "image/jpeg",
                                         "bytes": len(data)}).json()
    form = upload["upload"]
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("photo.jpg", data, "image/jpeg")},
                         timeout=30)
    assert sent.status_code in (200, 201, 204), sent.text
    created = client.post("/v1/ascii", {"upload_id": upload["id"], "settings": {"columns": 60}},
                          headers={"Prefer": "wait=20"})
    assert created.status_code == 200, created.text
    asset_id = created.json()["id"]
    html = client.get(f"/v1/assets/{asset_id}/download.html", allow_redirects=True)
    assert html.status_code == 200 and "<html" in html.text.lower()
    assert client.request("PATCH", f"/v1/assets/{asset_id}", json={"public": True}).status_code == 200
    listed = anonymous.get("/v1/gallery").json()["assets"]
    assert asset_id in [a["id"] for a in listed]
    gif = requests.get(next(a for a in listed if a["id"] == asset_id)["preview_url"], timeout=30)
    assert gif.content[:6] in (b"GIF87a", b"GIF89a")
