"""POST /v1/sprites, POST /v1/rotations, POST /v1/sprites/{job_id}/select."""
from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from functions.accounts.plans import plan_named
from functions.accounts.store import renewed
from functions.animations.models import FROM_SPRITE, AnimationRequest, animation_cost, prepare_animation
from functions.api.context import backends, json_response
from functions.api.errors import validation_details
from functions.api.routes.jobs import create_job, job_response, submit_job
from functions.common.clock import utcnow
from functions.common.errors import ConcurrencyLimited, Conflict, InsufficientCredits, InvalidRequest, NotFound
from functions.jobs import store as jobs
from functions.projects import store as projects
from functions.projects.models import INHERITED
from functions.sprites.models import SpriteRequest, sprite_cost
from functions.sprites.rotation_models import RotationRequest
from functions.uploads.service import get_upload

router = Router()


def _with_project(request: SpriteRequest) -> SpriteRequest:
    """Fields the request leaves unset come from its project (its style lock)."""
    if request.project_id is None:
        return request
    b = backends(router)
    project = projects.get_project(b.ddb, b.tables["projects"], account_id=router.context["account"]["account_id"],
                                   project_id=request.project_id)
    inherited = {field: project[source] for source, field in INHERITED
                 if field not in request.model_fields_set and project.get(source) is not None}
    if not inherited:
        return request
    try:
        return SpriteRequest.model_validate({**request.model_dump(exclude_unset=True), **inherited})
    except ValidationError as error:
        raise InvalidRequest("This request and its project's style do not fit together: "
                             f"{validation_details(error.errors())[0]}",
                             {"project_id": request.project_id, "inherited": sorted(inherited)}) from None


def _check_reference(request: SpriteRequest) -> None:
    reference = request.reference_image
    if reference is None or reference.upload_id is None:
        return
    b = backends(router)
    try:
        upload = get_upload(b, account_id=router.context["account"]["account_id"], upload_id=reference.upload_id)
    except NotFound:
        raise InvalidRequest("reference_image.upload_id names no upload of yours that has arrived.",
                             {"field": "reference_image.upload_id"}) from None
    if not (upload["content_type"] or "").startswith("image/"):
        raise InvalidRequest("reference_image must be an image (PNG, JPEG, WebP or GIF).",
                             {"field": "reference_image.upload_id", "content_type": upload["content_type"]})


def _chained(request: SpriteRequest) -> list[AnimationRequest]:
    """The chained animations, validated before anything is charged."""
    chained = []
    for i, item in enumerate(request.chain_animations or []):
        if not isinstance(item, dict) or {"sprite_job_id", "spec", "upload_id"} & set(item):
            raise InvalidRequest("Each chained animation is an animation body without a source.",
                                 {"field": f"chain_animations.{i}"})
        try:
            chained.append(AnimationRequest.model_validate({**item, "spec": {"parts": {"placeholder": {}}}}))
        except ValidationError as error:
            message, details = validation_details(error.errors())
            raise InvalidRequest(message.replace("The request", f"chain_animations.{i}"),
                                 {"fields": [dict(f, field=f"chain_animations.{i}.{f['field']}")
                                             for f in details["fields"]]}) from None
    return chained


def _check_room_for(chained: list[AnimationRequest], sprite_params: dict) -> None:
    """One request, several jobs: refuse it whole (costing nothing) when the plan or balance cannot take them all."""
    if not chained:
        return
    account = router.context["account"]
    plan = plan_named(account["plan"])
    if int(account["active_jobs"]) + 1 + len(chained) > plan.max_concurrent_jobs:
        raise ConcurrencyLimited(
            f"A sprite with {len(chained)} chained animation(s) needs {1 + len(chained)} job slots; the "
            f"{plan.name} plan runs {plan.max_concurrent_jobs} at a time.",
            {"max_concurrent_jobs": plan.max_concurrent_jobs, "active_jobs": int(account["active_jobs"])},
            headers={"Retry-After": "2"})
    total = sprite_cost(sprite_params) + sum(
        animation_cost(prepare_animation(a, 0)[0]) for a in chained)
    balance, _ = renewed(account, utcnow())
    if total > balance.total:
        raise InsufficientCredits(f"The sprite and its chained animations cost {total} credits and the balance "
                                  f"is {balance.total}.", {"cost": total, "balance": balance.total})


@router.post("/v1/sprites", summary="Make a sprite: a character, creature or item from a prompt (or a spec)")
def create_sprite(request: SpriteRequest):
    _check_reference(request)
    request = _with_project(request)
    chained = _chained(request)
    if not chained:
        return submit_job(router, "sprite", request)
    _check_room_for(chained, {"variants": request.variants, "pack": None})
    b = backends(router)
    sprite = create_job(router, "sprite", request)
    ids = []
    for i, animation in enumerate(chained):
        animation = animation.model_copy(update={"spec": None, "sprite_job_id": sprite["job_id"],
                                                 "webhook_url": animation.webhook_url or request.webhook_url})
        animation._source = {key: sprite["params"].get(key) for key in FROM_SPRITE}
        ids.append(create_job(router, "animation", animation, part=f"#chain{i}")["job_id"])
    b.ddb.update_item(TableName=b.tables["jobs"], Key={"job_id": {"S": sprite["job_id"]}},
                      UpdateExpression="SET chained_jobs = :ids", ExpressionAttributeValues={
                          ":ids": {"L": [{"S": i} for i in ids]}})
    return job_response(router, dict(sprite, chained_jobs=ids))


@router.post("/v1/rotations", summary="Turn a sprite to 4 or 8 directions (or a top-down upload in-plane)")
def create_rotation(request: RotationRequest):
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    request.check_source_is_turnable()
    if request.sprite_job_id is not None:
        source = jobs.get_owned_job(b.ddb, b.tables["jobs"], request.sprite_job_id, account_id)
        if source["type"] != "sprite":
            raise InvalidRequest("sprite_job_id must name a sprite job.", {"field": "sprite_job_id",
                                                                          "type": source["type"]})
        request._source = source["params"]
    if request.upload_id is not None:
        get_upload(b, account_id=account_id, upload_id=request.upload_id)  # 404 until the file has arrived
    return submit_job(router, "rotation", request)


class SelectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    variant: int = Field(1, ge=1, le=3, description="Which variant to keep (1 when the job made one).")
    project_id: str | None = Field(None, max_length=128, description="The project; the job's own by default.")


@router.post("/v1/sprites/<job_id>/select", summary="Save a sprite variant to a project's library")
def select_variant(job_id: str, request: SelectRequest):
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    job = jobs.get_owned_job(b.ddb, b.tables["jobs"], job_id, account_id)
    if job["type"] != "sprite":
        raise InvalidRequest("Only sprite jobs have variants to select.", {"field": "job_id", "type": job["type"]})
    if job["status"] != "completed":
        raise Conflict(f"The job is {job['status']}; select a variant once it has completed.",
                       {"status": job["status"]})
    variants = int(job["params"].get("variants", 1))
    if request.variant > variants:
        raise InvalidRequest(f"This job made {variants} variant(s).", {"field": "variant", "variants": variants})
    project_id = request.project_id or job.get("project_id")
    if not project_id:
        raise InvalidRequest("Name the project to save into (the job has none).", {"field": "project_id"})
    stem = "sprite" if variants == 1 else f"sprite_v{request.variant}"
    files = [{"name": a["name"], "key": a["key"]} for a in job.get("assets") or []
             if a["name"] in (f"{stem}.png", f"{stem}.json", "spec.yaml")]
    entry = projects.add_to_library(b.ddb, b.tables["projects"], account_id=account_id, project_id=project_id,
                                    job_id=job_id, variant=request.variant, files=files, now=utcnow())
    return json_response(201, {"project_id": project_id, "job_id": job_id, "variant": request.variant,
                               "files": [f["name"] for f in files], "added_at": entry["added_at"]})
