"""Painting and shading: colour ramps, normals and occlusion from height, the lit preview, palettes.

Every neighbourhood operation reads across the tile edge (np.roll, wrap padding), so maps derived
from a periodic height are periodic too.
"""
from __future__ import annotations

import numpy as np

# Light from the upper left and a little in front, the convention of most material previews.
LIGHT_DIRECTION = np.array([-0.6, 0.6, 0.5], dtype=np.float32)


def hex_to_rgb(value: str) -> np.ndarray:
    value = value.lstrip("#")
    return np.array([int(value[i:i + 2], 16) / 255.0 for i in (0, 2, 4)], dtype=np.float32)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    rgb = np.clip(rgb, 0.0, 1.0)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(rgb: np.ndarray) -> np.ndarray:
    rgb = np.clip(rgb, 0.0, 1.0)
    return np.where(rgb <= 0.0031308, rgb * 12.92, 1.055 * rgb ** (1 / 2.4) - 0.055).astype(np.float32)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722


def colour_ramp(t: np.ndarray, *, stops: list[tuple[float, str]]) -> np.ndarray:
    """Map a scalar field to sRGB through colour stops ``[(position, "#rrggbb"), ...]``."""
    positions = np.array([p for p, _ in stops], dtype=np.float32)
    colours = np.stack([hex_to_rgb(c) for _, c in stops])
    t = np.clip(t, positions[0], positions[-1])
    return np.stack([np.interp(t, positions, colours[:, c]).astype(np.float32) for c in range(3)], axis=-1)


def mix(a: np.ndarray, b: np.ndarray | str, amount: np.ndarray | float) -> np.ndarray:
    """Blend colour images; ``amount`` is a scalar or a (rows, cols) mask."""
    if isinstance(b, str):
        b = hex_to_rgb(b)
    if isinstance(amount, np.ndarray) and amount.ndim == 2:
        amount = amount[..., None]
    return (a + (b - a) * amount).astype(np.float32)


def normal_map(height: np.ndarray, *, depth: float) -> np.ndarray:
    """Tangent-space normals, OpenGL convention (+X right, +Y up = towards row 0, +Z out of the surface).

    ``height`` is 0..1 and ``depth`` is how tall 1.0 is in tile units, so the bumpiness is the same at
    every resolution. Central differences wrap around, which keeps the normal map seamless.
    """
    size = height.shape[0]
    scale = depth * size * 0.5
    d_du = (np.roll(height, -1, axis=1) - np.roll(height, 1, axis=1)) * scale
    d_drow = (np.roll(height, -1, axis=0) - np.roll(height, 1, axis=0)) * scale
    # Rows grow downwards but OpenGL +Y points up the image, hence +d/drow rather than -d/dy.
    normal = np.stack([-d_du, d_drow, np.ones_like(height)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    return normal.astype(np.float32)


def periodic_box_blur(image: np.ndarray, *, radius: int) -> np.ndarray:
    """Box blur with wrap-around; summed-area tables keep the cost independent of the radius."""
    if radius < 1:
        return image
    out = image
    for axis in (0, 1):
        padded = np.concatenate([np.take(out, range(-radius - 1, 0), axis=axis), out,
                                 np.take(out, range(0, radius), axis=axis)], axis=axis)
        summed = np.cumsum(padded, axis=axis, dtype=np.float32)
        length = out.shape[axis]
        upper = np.take(summed, range(2 * radius + 1, 2 * radius + 1 + length), axis=axis)
        lower = np.take(summed, range(0, length), axis=axis)
        out = (upper - lower) / (2 * radius + 1)
    return out


def ambient_occlusion(height: np.ndarray, *, depth: float, strength: float = 1.0) -> np.ndarray:
    """Cavities darken in proportion to how far they sit below their surroundings at three scales."""
    size = height.shape[0]
    occlusion = np.zeros_like(height)
    for radius_fraction, weight in ((0.006, 0.45), (0.02, 0.35), (0.06, 0.2)):
        radius = max(1, round(size * radius_fraction))
        occlusion += weight * np.maximum(periodic_box_blur(height, radius=radius) - height, 0.0)
    # Deeper reliefs occlude more; the factor was tuned so brick mortar reaches ~0.5.
    ao = 1.0 - np.clip(occlusion * strength * (4.0 + depth * 150.0), 0.0, 0.85)
    return ao.astype(np.float32)


def lit_preview(
    *,
    basecolor: np.ndarray,
    normal: np.ndarray,
    roughness: np.ndarray,
    metallic: np.ndarray,
    ao: np.ndarray,
    emission: np.ndarray | None = None,
) -> np.ndarray:
    """A quick physically-flavoured shade (Lambert + Blinn-Phong GGX-ish lobe) in sRGB 0..1."""
    albedo = srgb_to_linear(basecolor)
    light = LIGHT_DIRECTION / np.linalg.norm(LIGHT_DIRECTION)
    view = np.array([0.0, 0.0, 1.0], dtype=np.float32)
    half = (light + view) / np.linalg.norm(light + view)
    n_dot_l = np.clip(normal @ light, 0.0, 1.0)
    n_dot_h = np.clip(normal @ half, 0.0, 1.0)
    metal = metallic[..., None]
    rough = np.clip(roughness, 0.04, 1.0)
    alpha2 = (rough * rough) ** 2
    denominator = n_dot_h * n_dot_h * (alpha2 - 1.0) + 1.0
    distribution = alpha2 / (np.pi * denominator * denominator)
    specular_colour = 0.04 * (1.0 - metal) + albedo * metal
    specular = specular_colour * (distribution * n_dot_l * 0.25)[..., None]
    diffuse = albedo * (1.0 - metal) * n_dot_l[..., None] * 1.1
    # Metals have no diffuse, so an ambient term stands in for a reflected environment.
    ambient = (albedo * (1.0 - metal) * 0.15 + specular_colour * 0.35) * ao[..., None]
    colour = (diffuse + specular) * (0.55 + 0.45 * ao[..., None]) + ambient
    if emission is not None:
        colour = colour + emission
    # Reinhard-style shoulder so hot lava and glints do not clip into flat white.
    colour = colour / (1.0 + colour * 0.25)
    return linear_to_srgb(colour)


def quantize_palette(rgb: np.ndarray, *, colours: int, iterations: int = 8) -> np.ndarray:
    """Reduce an sRGB image to at most ``colours`` colours with a deterministic k-means.

    Seeds are luminance quantiles, not random picks, so the same image always gets the same palette.
    """
    pixels = rgb.reshape(-1, 3)
    order = np.argsort(luminance(pixels), kind="stable")
    seeds = order[np.linspace(0, len(order) - 1, colours).astype(np.int64)]
    centres = pixels[seeds].copy()
    for _ in range(iterations):
        distance = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
        label = distance.argmin(axis=1)
        for k in range(colours):
            members = pixels[label == k]
            if len(members):
                centres[k] = members.mean(axis=0)
    distance = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
    label = distance.argmin(axis=1)
    # Round the palette itself so the PNG holds exactly these colours and no more.
    palette = np.round(centres * 255.0) / 255.0
    return palette[label].reshape(rgb.shape).astype(np.float32)


def posterize(values: np.ndarray, *, levels: int) -> np.ndarray:
    return np.round(np.clip(values, 0.0, 1.0) * (levels - 1)) / (levels - 1)


def nearest_upscale(image: np.ndarray, *, factor: int) -> np.ndarray:
    if factor == 1:
        return image
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def downsample_half(image: np.ndarray) -> np.ndarray:
    """Average 2x2 blocks, so a 2x2 tiled preview keeps the original size."""
    return 0.25 * (image[0::2, 0::2] + image[1::2, 0::2] + image[0::2, 1::2] + image[1::2, 1::2])
