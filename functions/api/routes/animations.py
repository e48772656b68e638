"""POST /v1/animations, GET /v1/animations/{id}/gif, POST /v1/animations/{id}/process."""
from __future__ import annotations

import json
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from functions.animations.models import FROM_SPRITE, AnimationRequest, ProcessRequest
from functions.animations.sheet_check import sheet_reason
from functions.api.context import backends
from functions.api.routes.jobs import submit_job
from functions.common.errors import Conflict, InvalidRequest, NotFound, UnprocessableSource
from functions.jobs import store as jobs
from functions.jobs.views import presign
from functions.uploads.png import opaque_rows_and_columns
from functions.uploads.probe import HEAD_BYTES, image_size
from functions.uploads.service import get_upload, read_head

MAX_FLAT_SIDE = 256
MAX_READ_BYTES = 2 * 1024 * 1024  # a 256 px sprite is far smaller; read whole files up to this to look inside

router = Router()


def _owned_animation(job_id: str) -> dict:
    b = backends(router)
    job = jobs.get_owned_job(b.ddb, b.tables["jobs"], job_id, router.context["account"]["account_id"])
    if job["type"] not in ("animation", "animation_process"):
        raise NotFound("No such animation.", {"job_id": job_id})
    return job


@router.post("/v1/animations", summary="Animate a sprite: a preset in 1, 4 or 8 directions, as engine-ready sheets")
def create_animation(request: AnimationRequest):
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    if request.sprite_job_id is not None:
        source = jobs.get_owned_job(b.ddb, b.tables["jobs"], request.sprite_job_id, account_id)
        if source["type"] != "sprite" or source["params"].get("pack"):
            raise InvalidRequest("sprite_job_id must name a sprite job of one model (not a pack).",
                                 {"field": "sprite_job_id", "type": source["type"]})
        request._source = {key: source["params"].get(key) for key in FROM_SPRITE}
    if request.upload_id is not None:
        upload = get_upload(b, account_id=account_id, upload_id=request.upload_id)  # 404 until it has arrived
        length = upload["bytes"] if upload["bytes"] <= MAX_READ_BYTES else HEAD_BYTES
        _check_single_sprite(read_head(b, account_id=account_id, upload_id=request.upload_id, length=length))
    return submit_job(router, "animation", request)


def _check_single_sprite(data: bytes) -> None:
    """As sprite-ai does: one frame of at most 256 px a side, refused before anything is charged. A sheet
    in a PNG is seen here; in other formats the worker sees it (and the job fails, refunded)."""
    size = image_size(data)
    if size is None:
        raise UnprocessableSource("The upload is not a PNG, GIF, WebP or JPEG image.", {"field": "upload_id"})
    if max(size) > MAX_FLAT_SIDE:
        raise UnprocessableSource(
            f"Animate one sprite of at most {MAX_FLAT_SIDE} px a side; this image is {size[0]}x{size[1]}. "
            "Pass one frame, not a sprite sheet.", {"field": "upload_id", "width": size[0], "height": size[1],
                                                    "max_side": MAX_FLAT_SIDE})
    occupancy = opaque_rows_and_columns(data)
    reason = sheet_reason(*occupancy) if occupancy else None
    if reason:
        raise UnprocessableSource(f"This looks like a sprite sheet ({reason}); animate one frame.",
                                  {"field": "upload_id", "reason": reason})


@router.get("/v1/animations/<job_id>/gif", summary="Redirect to one direction's GIF")
def animation_gif(job_id: str, direction: Annotated[str, Query(max_length=2)] = "s"):
    b = backends(router)
    job = _owned_animation(job_id)
    gifs = {a["name"][len("anim_"):-len(".gif")]: a["key"] for a in job.get("assets") or []
            if a["name"].startswith("anim_") and a["name"].endswith(".gif")}
    if direction not in gifs:
        raise NotFound("This animation has no GIF for that direction.", {"direction": direction,
                                                                           "directions": sorted(gifs)})
    return Response(status_code=302, body="", headers={"Location": presign(b.s3, b.settings.assets_bucket,
                                                                           gifs[direction]),
                                                       "Cache-Control": "no-store"})


@router.post("/v1/animations/<job_id>/process", summary="A cleaned, non-destructive copy: stabilize, tight or "
                                                          "aggressive")
def process_animation(job_id: str, request: ProcessRequest):
    b = backends(router)
    job = _owned_animation(job_id)
    if job["status"] != "completed":
        raise Conflict(f"The animation is {job['status']}; process it once it has completed.",
                       {"status": job["status"]})
    keys = {a["name"]: a["key"] for a in job.get("assets") or []}
    meta = json.loads(b.s3.get_object(Bucket=b.settings.assets_bucket, Key=keys["animation.json"])["Body"].read())
    request._source = {"job_id": job_id, "sheet_key": keys["sheet.png"], "meta": meta}
    return submit_job(router, "animation_process", request)
