"""What the worker calls for ASCII jobs."""
from __future__ import annotations

from typing import Any

from functions.common.render import ProgressFn, RenderResult, no_progress

from .render import render_ascii


def render_ascii_job(*, source: bytes, settings: dict, progress: ProgressFn = no_progress, **_: Any) -> RenderResult:
    return render_ascii(source=source, settings=settings, progress=progress)
