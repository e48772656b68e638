"""The ASCII studio: POST /v1/ascii, saved assets (GET/PATCH /v1/assets/{id}, downloads) and the
public gallery (GET /v1/gallery, no key needed)."""
from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ValidationError

from functions.api.context import backends, json_response
from functions.api.errors import validation_details
from functions.api.routes.jobs import submit_job
from functions.ascii import gallery
from functions.ascii.models import MEDIA_KINDS, SOURCE_FILES, AsciiRequest, AssetPatch
from functions.ascii.settings import AsciiSettings
from functions.common.clock import utcnow
from functions.common.errors import Conflict, InvalidRequest, NotFound
from functions.jobs import store as jobs
from functions.jobs.views import presign, public_job
from functions.uploads.service import get_upload

router = Router()


def _resolve_source(request: AsciiRequest, account_id: str) -> None:
    b = backends(router)
    if request.upload_id is not None:
        upload = get_upload(b, account_id=account_id, upload_id=request.upload_id)
        request._source = {"upload_id": request.upload_id,
                           "media_kind": MEDIA_KINDS.get(upload["content_type"] or "", "image")}
        return
    source = jobs.get_owned_job(b.ddb, b.tables["jobs"], request.source_job_id, account_id)
    names = {a["name"]: a["key"] for a in source.get("assets") or []}
    picked = next((names[n] for n in SOURCE_FILES.get(source["type"], ()) if n in names), None)
    if source["status"] != "completed" or picked is None:
        raise InvalidRequest("source_job_id must name a completed texture, sprite or rotation job.",
                             {"field": "source_job_id", "type": source["type"], "status": source["status"]})
    request._source = {"source_job_id": source["job_id"], "source_key": picked, "media_kind": "image"}


@router.post("/v1/ascii", summary="Convert an upload or another job's picture to ASCII art (a saved asset)")
def create_ascii(request: AsciiRequest):
    _resolve_source(request, router.context["account"]["account_id"])
    return submit_job(router, "ascii", request)


def _asset(asset_id: str) -> dict[str, Any]:
    b = backends(router)
    job = jobs.get_owned_job(b.ddb, b.tables["jobs"], asset_id, router.context["account"]["account_id"])
    if job["type"] != "ascii" or job.get("asset_id", job["job_id"]) != job["job_id"]:
        raise NotFound("No such asset.", {"asset_id": asset_id})
    return job


def _versions(asset: dict[str, Any]) -> list[dict[str, Any]]:
    b = backends(router)
    found = [jobs.get_job(b.ddb, b.tables["jobs"], job_id) for job_id in gallery.versions_of(asset)]
    return [v for v in found if v is not None]


def _latest_completed(asset: dict[str, Any]) -> dict[str, Any]:
    done = [v for v in _versions(asset) if v["status"] == "completed"]
    if not done:
        raise Conflict("No version of this asset has finished rendering yet.", {"asset_id": asset["job_id"]})
    return done[-1]


def _asset_view(asset: dict[str, Any]) -> dict[str, Any]:
    b = backends(router)
    versions = _versions(asset)
    latest = next((v for v in reversed(versions) if v["status"] == "completed"), None)
    return {
        "id": asset["job_id"], "public": "gallery" in asset, "published_at": asset.get("published_at"),
        "versions": [{"version": i + 1, "job_id": v["job_id"], "status": v["status"], "created_at": v["created_at"],
                      "settings": v["params"]["settings"]} for i, v in enumerate(versions)],
        "latest": public_job(latest, s3=b.s3, bucket=b.settings.assets_bucket) if latest else None,
        "downloads": {"html": f"/v1/assets/{asset['job_id']}/download.html",
                      "gif": f"/v1/assets/{asset['job_id']}/download.gif"},
    }


@router.get("/v1/assets/<asset_id>", summary="A saved ASCII asset: its versions and latest files")
def get_asset(asset_id: str) -> dict:
    return _asset_view(_asset(asset_id))


@router.patch("/v1/assets/<asset_id>", summary="Re-render with new settings (a new version), or (un)publish")
def patch_asset(asset_id: str, request: AssetPatch):
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    asset = _asset(asset_id)
    status = 200
    if request.settings is not None:
        latest = _versions(asset)[-1]
        try:
            settings = AsciiSettings.model_validate({**latest["params"]["settings"], **request.settings})
        except ValidationError as error:
            message, details = validation_details(error.errors())
            raise InvalidRequest(message.replace("The request", "These settings"),
                                 {"fields": [dict(f, field=f"settings.{f['field']}") for f in details["fields"]]}) \
                from None
        source = {k: asset["params"][k] for k in ("upload_id", "source_job_id", "source_key", "media_kind")
                  if asset["params"].get(k) is not None}
        version = AsciiRequest.model_validate({"settings": settings.model_dump(),
                                               **{k: source[k] for k in ("upload_id", "source_job_id") if k in source}})
        version._source = source
        response = submit_job(router, "ascii", version)
        gallery.add_version(b.ddb, b.tables["jobs"], asset_id=asset_id, account_id=account_id,
                            job_id=response.headers["Location"].rsplit("/", 1)[-1])
        asset = _asset(asset_id)
        status = 202
    if request.public is True:
        asset = gallery.publish(b.ddb, b.tables["jobs"], asset=asset, version=_latest_completed(asset), now=utcnow())
    elif request.public is False:
        asset = gallery.unpublish(b.ddb, b.tables["jobs"], asset=asset)
    return json_response(status, _asset_view(asset))


def _download(asset_id: str, name: str):
    b = backends(router)
    latest = _latest_completed(_asset(asset_id))
    key = next(a["key"] for a in latest["assets"] if a["name"] == name)
    return Response(status_code=302, body="", headers={"Location": presign(b.s3, b.settings.assets_bucket, key),
                                                       "Cache-Control": "no-store"})


@router.get("/v1/assets/<asset_id>/download.html", summary="Redirect to the latest version's HTML")
def download_html(asset_id: str):
    return _download(asset_id, "ascii.html")


@router.get("/v1/assets/<asset_id>/download.gif", summary="Redirect to the latest version's GIF")
def download_gif(asset_id: str):
    return _download(asset_id, "ascii.gif")


@router.get("/v1/gallery", summary="Published ASCII assets, newest first (no key needed)")
def list_gallery(limit: Annotated[int, Query(ge=1, le=50)] = 20,
                 cursor: Annotated[str | None, Query()] = None) -> dict:
    b = backends(router)
    items, next_cursor = gallery.gallery_page(b.ddb, b.tables["jobs"], limit=limit, cursor=cursor)
    return {"assets": [{
        "id": item["job_id"], "published_at": item["published_at"],
        "preview_url": presign(b.s3, b.settings.assets_bucket, item["published"]["files"]["ascii.gif"])
        if "ascii.gif" in item["published"]["files"] else None,
        "html_url": presign(b.s3, b.settings.assets_bucket, item["published"]["files"]["ascii.html"])
        if "ascii.html" in item["published"]["files"] else None,
    } for item in items], "next_cursor": next_cursor}
