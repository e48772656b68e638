"""POST/GET /v1/projects, GET /v1/projects/{id}: style locks and their libraries."""
from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.context import backends, json_response
from functions.common.clock import utcnow
from functions.jobs.views import presign
from functions.projects import store
from functions.projects.models import ProjectRequest

router = Router()


@router.post("/v1/projects", summary="Create a project: a style every sprite job naming it inherits")
def create_project(request: ProjectRequest):
    b = backends(router)
    project = store.create_project(b.ddb, b.tables["projects"], account_id=router.context["account"]["account_id"],
                                   request=request, now=utcnow())
    return json_response(201, store.public_project(project), {"Location": f"/v1/projects/{project['item_id']}"})


@router.get("/v1/projects", summary="Your projects, newest first")
def list_projects() -> dict:
    b = backends(router)
    items = store.list_projects(b.ddb, b.tables["projects"], account_id=router.context["account"]["account_id"])
    return {"projects": [store.public_project(p) for p in items]}


@router.get("/v1/projects/<project_id>", summary="A project and the sprites saved to its library")
def get_project(project_id: str) -> dict:
    b = backends(router)
    account_id = router.context["account"]["account_id"]
    project = store.get_project(b.ddb, b.tables["projects"], account_id=account_id, project_id=project_id)
    entries = store.library(b.ddb, b.tables["projects"], account_id=account_id, project_id=project_id)
    return dict(store.public_project(project), library=[
        {"job_id": e["job_id"], "variant": e["variant"], "added_at": e["added_at"],
         "files": [dict(name=f["name"], url=presign(b.s3, b.settings.assets_bucket, f["key"])) for f in e["files"]]}
        for e in entries])
