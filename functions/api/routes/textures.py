"""POST /v1/textures: a seamless PBR material set from a prompt."""
from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.routes.jobs import submit_job
from functions.textures.models import TextureRequest

router = Router()


@router.post("/v1/textures", summary="Make a PBR texture set", responses={
    202: {"description": "Queued: poll GET /v1/jobs/{id} or wait for the webhook."},
    200: {"description": "Finished within the Prefer: wait=N window."}})
def create_texture(request: TextureRequest):
    return submit_job(router, "texture", request)
