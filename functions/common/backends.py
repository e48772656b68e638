"""The AWS clients and resource names a piece of logic works against, passed in as one value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.common import aws
from functions.common.config import Settings, settings


@dataclass(frozen=True)
class Backends:
    ddb: Any
    s3: Any
    sqs: Any
    events: Any
    settings: Settings

    @property
    def tables(self) -> dict[str, str]:
        return self.settings.tables

    @classmethod
    def from_environment(cls) -> Backends:
        return cls(ddb=aws.client("dynamodb"), s3=aws.client("s3"), sqs=aws.client("sqs"),
                   events=aws.client("events"), settings=settings())
