"""Uploads go straight to S3 through a presigned POST whose policy pins the key, the content type
and the size; nothing passes through the API function. An upload belongs to the account whose id
is in its key, so ownership needs no table."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from functions.common.backends import Backends
from functions.common.clock import iso
from functions.common.errors import NotFound, PayloadTooLarge, RenderFailed
from functions.uploads.models import MAX_BYTES, UPLOAD_LIFETIME_DAYS, UPLOAD_URL_SECONDS, UploadRequest

UPLOAD_ID = re.compile(r"^upl_[0-9a-f]{24}$")


def upload_key(account_id: str, upload_id: str) -> str:
    return f"uploads/{account_id}/{upload_id}/source"


def create_upload(b: Backends, *, account_id: str, request: UploadRequest, now: datetime) -> dict[str, Any]:
    cap = MAX_BYTES[request.content_type]
    if request.bytes > cap:
        raise PayloadTooLarge(f"{request.content_type} uploads are limited to {cap} bytes.",
                              {"field": "bytes", "max_bytes": cap, "content_type": request.content_type})
    upload_id = f"upl_{uuid.uuid4().hex[:24]}"
    key = upload_key(account_id, upload_id)
    post = b.s3.generate_presigned_post(
        Bucket=b.settings.assets_bucket, Key=key,
        Fields={"Content-Type": request.content_type},
        Conditions=[{"Content-Type": request.content_type}, ["content-length-range", 1, request.bytes],
                    {"key": key}],
        ExpiresIn=UPLOAD_URL_SECONDS,
    )
    return {
        "id": upload_id, "status": "pending", "filename": request.filename, "content_type": request.content_type,
        "bytes": request.bytes, "expires_at": iso(now + timedelta(seconds=UPLOAD_URL_SECONDS)),
        "upload": {"method": "POST", "url": post["url"], "fields": post["fields"],
                   "note": "POST multipart/form-data: every field here, then the file as the last field, 'file'."},
    }


def read_upload(b: Backends, *, account_id: str, upload_id: str) -> bytes:
    """The uploaded bytes, for a worker. Failures are the job's, with a public code."""
    try:
        obj = b.s3.get_object(Bucket=b.settings.assets_bucket, Key=upload_key(account_id, upload_id))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            raise RenderFailed("upload_missing", "The uploaded file is gone (uploads expire after "
                                                 f"{UPLOAD_LIFETIME_DAYS} days) or never arrived.") from None
        raise
    if obj["ContentLength"] > max(MAX_BYTES.values()):
        raise RenderFailed("too_large", "The uploaded file is larger than any upload may be.")
    return obj["Body"].read()


def read_source(b: Backends, *, account_id: str, params: dict[str, Any]) -> bytes | None:
    """The bytes a job converts, when it converts something: a user's upload or another job's file."""
    if params.get("upload_id"):
        return read_upload(b, account_id=account_id, upload_id=params["upload_id"])
    key = params.get("source_key")
    if not key:
        return None
    if not key.startswith(f"assets/{account_id}/"):
        raise RenderFailed("source_missing", "The source file does not belong to this account.")
    try:
        return b.s3.get_object(Bucket=b.settings.assets_bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            raise RenderFailed("source_missing", "The source job's file was deleted.") from None
        raise


def read_head(b: Backends, *, account_id: str, upload_id: str, length: int) -> bytes:
    """The first bytes of an upload (enough to read a header), without fetching the whole file."""
    return b.s3.get_object(Bucket=b.settings.assets_bucket, Key=upload_key(account_id, upload_id),
                           Range=f"bytes=0-{length - 1}")["Body"].read()


def get_upload(b: Backends, *, account_id: str, upload_id: str) -> dict[str, Any]:
    if not UPLOAD_ID.match(upload_id):
        raise NotFound("No such upload.", {"upload_id": upload_id})
    try:
        head = b.s3.head_object(Bucket=b.settings.assets_bucket, Key=upload_key(account_id, upload_id))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            raise NotFound("No such upload, or its file has not arrived yet.", {"upload_id": upload_id}) from None
        raise
    return {"id": upload_id, "status": "received", "content_type": head.get("ContentType"),
            "bytes": head["ContentLength"], "received_at": iso(head["LastModified"])}
