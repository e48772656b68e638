"""Whether an image is a sheet of frames rather than one sprite, from which rows and columns hold
anything opaque. Pure Python: the API asks it (of a PNG it decodes itself) before charging, and the
worker asks it again of whatever it decoded."""
from __future__ import annotations

from collections.abc import Sequence


def _runs(occupied: Sequence[bool]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, v in enumerate(occupied):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(occupied)))
    return out


def sheet_reason(columns: Sequence[bool], rows: Sequence[bool]) -> str | None:
    """Why it looks like a sheet (None: a single sprite): two or more similar blobs in a row or a column,
    separated by fully transparent gaps. `columns[x]`/`rows[y]`: whether that column/row has an opaque pixel."""
    for occupied, name in ((columns, "columns"), (rows, "rows")):
        runs = [r for r in _runs(occupied) if r[1] - r[0] >= 4]
        if len(runs) >= 2:
            sizes = [b - a for a, b in runs]
            if min(sizes) >= 0.5 * max(sizes):
                return f"{len(runs)} similar figures side by side in {name}"
    return None
