"""What every generator hands back to the worker: files to store and how it read the request."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutputFile:
    name: str            # file name inside the job, e.g. "basecolor.png"
    content_type: str    # e.g. "image/png"
    data: bytes
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class RenderResult:
    files: list[OutputFile]
    interpretation: dict[str, Any] = field(default_factory=dict)


# Generators may report progress in 0..1; the worker throttles how often it is written.
ProgressFn = Callable[[float], None]


def no_progress(_: float) -> None:
    return None
