"""A small shaded software rasterizer for 3D sources: numpy z-buffer, flat Lambert shading, turntable.

Geometry (rotation, projection, coverage) is apart from painting (shade_faces). Orthographic camera
looking down -Z, the model normalised into the unit sphere and tilted a little so its top shows.
"""
from __future__ import annotations

import numpy as np

LIGHT = np.array([-0.45, 0.6, 0.66])
AMBIENT, DIFFUSE = 0.22, 0.78
TILT_DEGREES = 20.0
PAIR_CHUNK = 2_000_000           # triangle-pixel pairs per vectorised batch (bounds memory)


def normalise(vertices: np.ndarray) -> np.ndarray:
    """Centre on the bounding box, scale so the farthest vertex sits on the unit sphere."""
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    centred = vertices - (low + high) / 2.0
    radius = float(np.sqrt((centred ** 2).sum(axis=1)).max()) or 1.0
    return centred / radius


def turntable_rotation(angle: float, *, tilt_degrees: float = TILT_DEGREES) -> np.ndarray:
    """Rotation about Y by ``angle`` (radians), then a tilt about X towards the camera."""
    c, s = np.cos(angle), np.sin(angle)
    spin = np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    t = np.radians(tilt_degrees)
    tilt = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(t), -np.sin(t)], [0.0, np.sin(t), np.cos(t)]])
    return tilt @ spin


def shade_faces(normals: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """Lambert, two-sided (meshes with mixed winding still light up), per face: (F, 3) float 0..1."""
    light = LIGHT / np.linalg.norm(LIGHT)
    lambert = np.abs(normals @ light)
    return np.clip(colours * (AMBIENT + DIFFUSE * lambert)[:, None], 0.0, 1.0)


def _face_normals(triangles: np.ndarray) -> np.ndarray:
    normals = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return normals / np.where(length > 0, length, 1.0)


def rasterize_mesh(
    vertices: np.ndarray,
    faces: np.ndarray,
    face_colours: np.ndarray,
    *,
    size: tuple[int, int],
    rotation: np.ndarray,
    background: tuple[int, int, int] = (0, 0, 0),
) -> np.ndarray:
    """(height, width, 3) uint8: the nearest triangle at each pixel centre, flat shaded."""
    height, width = size
    scale = 0.5 * min(height, width) * 0.95
    world = normalise(vertices) @ rotation.T
    screen = np.empty_like(world)
    screen[:, 0] = width / 2.0 + world[:, 0] * scale
    screen[:, 1] = height / 2.0 - world[:, 1] * scale
    screen[:, 2] = world[:, 2]                                        # larger z = nearer the camera
    triangles = screen[faces]
    shaded = shade_faces(_face_normals(world[faces]), face_colours)

    x0 = np.clip(np.floor(triangles[:, :, 0].min(axis=1) - 0.5).astype(np.int64) + 1, 0, width)
    x1 = np.clip(np.floor(triangles[:, :, 0].max(axis=1) - 0.5).astype(np.int64) + 1, 0, width)
    y0 = np.clip(np.floor(triangles[:, :, 1].min(axis=1) - 0.5).astype(np.int64) + 1, 0, height)
    y1 = np.clip(np.floor(triangles[:, :, 1].max(axis=1) - 0.5).astype(np.int64) + 1, 0, height)
    spans_x, spans_y = x1 - x0, y1 - y0
    area = spans_x * spans_y
    depth = np.full(height * width, -np.inf)
    owner = np.full(height * width, -1, dtype=np.int64)

    candidates = np.nonzero(area > 0)[0]
    cumulative = np.cumsum(area[candidates])
    start = 0
    while start < len(candidates):
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + PAIR_CHUNK, side="right"))
        stop = max(stop, start + 1)
        batch = candidates[start:stop]
        _cover(triangles, batch, x0, y0, spans_x, area, width, depth, owner)
        start = stop

    image = np.empty((height * width, 3), dtype=np.uint8)
    image[:] = np.array(background, dtype=np.uint8)
    hit = owner >= 0
    image[hit] = np.round(shaded[owner[hit]] * 255.0).astype(np.uint8)
    return image.reshape(height, width, 3)


def _cover(triangles, batch, x0, y0, spans_x, area, width, depth, owner) -> None:
    """Z-test every (triangle, pixel-in-its-bounding-box) pair of a batch at once."""
    counts = area[batch]
    tri = np.repeat(batch, counts)
    local = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    px = x0[tri] + local % spans_x[tri]
    py = y0[tri] + local // spans_x[tri]
    cx, cy = px + 0.5, py + 0.5
    a, b, c = triangles[tri, 0], triangles[tri, 1], triangles[tri, 2]
    denominator = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    safe = np.where(np.abs(denominator) > 1e-12, denominator, 1.0)
    w0 = ((b[:, 1] - c[:, 1]) * (cx - c[:, 0]) + (c[:, 0] - b[:, 0]) * (cy - c[:, 1])) / safe
    w1 = ((c[:, 1] - a[:, 1]) * (cx - c[:, 0]) + (a[:, 0] - c[:, 0]) * (cy - c[:, 1])) / safe
    w2 = 1.0 - w0 - w1
    inside = (np.abs(denominator) > 1e-12) & (w0 >= 0) & (w1 >= 0) & (w2 >= 0)
    z = w0 * a[:, 2] + w1 * b[:, 2] + w2 * c[:, 2]
    pixel = (py * width + px)[inside]
    z, tri = z[inside], tri[inside]
    # Nearest first per pixel: sort by (pixel, -z), keep the first of each pixel, then z-test the buffer.
    order = np.lexsort((-z, pixel))
    pixel, z, tri = pixel[order], z[order], tri[order]
    first = np.ones(len(pixel), dtype=bool)
    first[1:] = pixel[1:] != pixel[:-1]
    pixel, z, tri = pixel[first], z[first], tri[first]
    nearer = z > depth[pixel]
    depth[pixel[nearer]] = z[nearer]
    owner[pixel[nearer]] = tri[nearer]
