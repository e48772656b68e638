"""POST /v1/uploads (a presigned POST straight to storage), GET /v1/uploads/{id}."""
from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.context import backends, json_response
from functions.common.clock import utcnow
from functions.uploads import service
from functions.uploads.models import UploadRequest

router = Router()


@router.post("/v1/uploads", summary="Start an upload: returns a presigned POST bounded to the declared size and type")
def create_upload(request: UploadRequest):
    upload = service.create_upload(backends(router), account_id=router.context["account"]["account_id"],
                                   request=request, now=utcnow())
    return json_response(201, upload)


@router.get("/v1/uploads/<upload_id>", summary="Whether an upload's file has arrived")
def get_upload(upload_id: str) -> dict:
    return service.get_upload(backends(router), account_id=router.context["account"]["account_id"],
                              upload_id=upload_id)
