"""Image -> character grid + per-cell colours, in pure numpy.

Pipeline (every step in linear light, so averages are physically right):
  sRGB uint8 -> linear -> exact area average onto a sub-cell grid (cells sized by font_aspect)
  -> tone (contrast, brightness, gamma) -> glyph choice -> per-cell colours -> palette of the colour mode.

Glyph choice compares what a cell should look like with what each glyph of THE font really lights
(glyphs.py): in ramp mode only the mean (ink coverage) matters; in edge mode the cell is split into
sub-cells and the glyph whose ink best matches that shape wins, so / \\ | _ follow edges by themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .glyphs import BRAILLE_BITS, CELL_H, CELL_W, coverage_patterns

STANDARD = " .:-=+*#%@"
DETAILED = "$@B%8&WM#*oahkbdpqwmZO0QLCJUYXzcvunxrjft/\\|()1{}[]?-_+~<>i!lI;:,\"^`'. "
BLOCKS = " ░▒▓█▀▄▌▐▖▗▘▝▚▞▙▛▜▟"
SHADES = " ░▒▓█"
EDGE_GLYPHS = "/\\|_-"
BRAILLE = "".join(chr(0x2800 + bits) for bits in range(256))
EDGE_SUBGRID = (2, 4)           # sub-cells per cell (x, y) for shape matching of text glyphs
MEAN_WEIGHT = 8.0               # extra weight on a cell's mean brightness against its shape
BAYER_4 = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], dtype=np.float32) / 16 + 1 / 32


@dataclass(frozen=True)
class AsciiGrid:
    """One frame of ASCII art: glyph indices into ``glyphs`` and, unless monochrome, a colour per cell."""

    glyphs: str
    index: np.ndarray                 # (rows, columns) uint16 into glyphs
    colors: np.ndarray | None         # (rows, columns, 3) uint8 sRGB, already snapped to the colour mode
    color_mode: str

    @property
    def rows(self) -> int:
        return int(self.index.shape[0])

    @property
    def columns(self) -> int:
        return int(self.index.shape[1])

    def lines(self) -> list[str]:
        table = np.array(list(self.glyphs))
        return ["".join(row) for row in table[self.index].tolist()]


# --- colour space -------------------------------------------------------------------------------------------

def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float32)
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    values = np.clip(np.asarray(values, dtype=np.float32), 0.0, 1.0)
    return np.where(values <= 0.0031308, values * 12.92, 1.055 * values ** (1 / 2.4) - 0.055).astype(np.float32)


_LINEAR_LUT = srgb_to_linear(np.arange(256, dtype=np.float32) / 255.0)
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


# --- geometry -------------------------------------------------------------------------------------------------

def grid_shape(height: int, width: int, *, columns: int, font_aspect: float) -> tuple[int, int]:
    """(rows, columns) so that a cell covers cell_w x cell_w / font_aspect source pixels: shapes keep proportions."""
    cell_h = (width / columns) / font_aspect
    return max(1, round(height / cell_h)), columns


@lru_cache(maxsize=256)
def _area_taps(n_in: int, n_out: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Box-filter taps (source index, weight) per output bin: at most ceil(n_in / n_out) + 1 of them."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    start = np.floor(edges[:-1]).astype(np.intp)
    taps = int(np.ceil((edges[1:] - start).max()))
    out = []
    for k in range(taps):
        source = np.minimum(start + k, n_in - 1)
        overlap = np.minimum(edges[1:], start + k + 1) - np.maximum(edges[:-1], start + k)
        out.append((source, (np.clip(overlap, 0.0, None) * (n_out / n_in)).astype(np.float32)))
    return tuple(out)


def _area_axis(values: np.ndarray, n_out: int, axis: int) -> np.ndarray:
    """Exact area average along one axis onto n_out equal bins (pixels are constant squares)."""
    n_in = values.shape[axis]
    if n_in == n_out:
        return values
    if n_in % n_out == 0:
        # Whole bins: add the k strided slices in order, then divide, as .mean(dtype=float32) over a reshaped
        # axis does (same bits), without numpy's slow reduction over a short middle axis.
        k = n_in // n_out
        head = (slice(None),) * axis
        total = values[head + (slice(0, None, k),)].astype(np.float32, copy=True)
        for j in range(1, k):
            total += values[head + (slice(j, None, k),)]
        return np.true_divide(total, np.intp(k), out=total, casting="unsafe")
    shape = [1] * values.ndim
    shape[axis] = n_out
    total = None
    for source, weight in _area_taps(n_in, n_out):
        term = np.take(values, source, axis=axis)
        term *= weight.reshape(shape)
        if total is None:
            total = term
        else:
            total += term
    return total


def area_average(image: np.ndarray, *, height: int, width: int) -> np.ndarray:
    """(H, W, C) float -> (height, width, C) float32, each output the mean of the source area it covers."""
    if height > image.shape[0] or width > image.shape[1]:
        # Upsampling (tiny sources): nearest sample, which is the area average of a finer grid.
        ys = ((np.arange(height) + 0.5) * image.shape[0] / height).astype(np.intp)
        xs = ((np.arange(width) + 0.5) * image.shape[1] / width).astype(np.intp)
        image = image[ys][:, xs]
        return image.astype(np.float32)
    return _area_axis(_area_axis(image, height, 0), width, 1)


# --- tone and dithering -----------------------------------------------------------------------------------------

def apply_tone(linear: np.ndarray, *, contrast: float, brightness: float, gamma: float) -> np.ndarray:
    """Contrast, brightness and gamma on perceptual (sRGB-encoded) values; linear in, linear out."""
    if contrast == 1.0 and brightness == 0.0 and gamma == 1.0:
        return linear
    perceptual = (linear_to_srgb(linear) - 0.5) * contrast + 0.5 + brightness
    perceptual = np.clip(perceptual, 0.0, 1.0)
    if gamma != 1.0:
        perceptual = perceptual ** (1.0 / gamma)
    return srgb_to_linear(perceptual)


def error_diffuse(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Floyd-Steinberg on a 2-D array: the values after diffused error, ready for nearest-level quantisation.

    Pixel (y, x) depends only on pixels with smaller x + 2y, so each anti-diagonal wavefront x + 2y = t is
    processed as one vectorised step: W + 2H numpy steps instead of W * H Python ones.
    """
    height, width = values.shape
    levels = np.asarray(levels, dtype=np.float32)
    error = np.zeros((height + 1, width + 2), dtype=np.float32)
    out = np.empty_like(values, dtype=np.float32)
    all_rows = np.arange(height)
    for step in range(width + 2 * (height - 1)):
        first, last = max(0, -((width - 1 - step) // 2)), min(height - 1, step // 2)
        if first > last:
            continue
        y = all_rows[first:last + 1]
        x = step - 2 * y
        value = values[y, x] + error[y, x + 1]
        out[y, x] = value
        slot = np.clip(np.searchsorted(levels, value), 1, len(levels) - 1)
        low, high = levels[slot - 1], levels[slot]
        quantised = np.where(value - low < high - value, low, high)
        residual = value - quantised
        error[y, x + 2] += residual * (7 / 16)
        error[y + 1, x] += residual * (3 / 16)
        error[y + 1, x + 1] += residual * (5 / 16)
        error[y + 1, x + 2] += residual * (1 / 16)
    return out


def _bayer(rows: int, columns: int) -> np.ndarray:
    return np.tile(BAYER_4, (rows // 4 + 1, columns // 4 + 1))[:rows, :columns]


# --- glyph choice -----------------------------------------------------------------------------------------------

def charset_glyphs(charset: str, *, custom_chars: str | None = None, edge: bool = True) -> str:
    """The candidate glyphs for a charset, without repeats, in a stable order."""
    if charset == "standard":
        glyphs = STANDARD + (EDGE_GLYPHS if edge else "")
    elif charset == "detailed":
        glyphs = DETAILED + (EDGE_GLYPHS if edge else "")
    elif charset == "blocks":
        glyphs = BLOCKS if edge else SHADES
    elif charset == "braille":
        glyphs = BRAILLE
    elif charset == "custom":
        if not custom_chars:
            raise ValueError("charset 'custom' needs custom_chars")
        glyphs = custom_chars
    else:
        raise ValueError(f"unknown charset {charset!r}")
    return "".join(dict.fromkeys(glyphs))


def _subgrid(charset: str, edge: bool) -> tuple[int, int]:
    if charset == "braille":
        return 2, 4
    if not edge:
        return 1, 1
    return (2, 2) if charset == "blocks" else EDGE_SUBGRID


@lru_cache(maxsize=64)
def _matcher(glyphs: str, sub_x: int, sub_y: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Glyph patterns prepared for nearest-pattern search: (augmented patterns, squared norms, means, lo, hi)."""
    patterns = coverage_patterns(glyphs, sub_x=sub_x, sub_y=sub_y)
    means = patterns.mean(axis=1)
    extra = np.sqrt(MEAN_WEIGHT * patterns.shape[1]) * means[:, None]
    augmented = np.concatenate([patterns, extra], axis=1).astype(np.float32)
    return augmented, (augmented ** 2).sum(axis=1), means, float(means.min()), float(means.max())


def _nearest_patterns(targets: np.ndarray, augmented: np.ndarray, norms: np.ndarray) -> np.ndarray:
    k = augmented.shape[1] - 1
    flat = targets.reshape(-1, k)
    extra = np.sqrt(MEAN_WEIGHT * k) * flat.mean(axis=1, keepdims=True)
    scores = norms[None, :] - 2.0 * (np.concatenate([flat, extra], axis=1) @ augmented.T)
    return scores.argmin(axis=1)


def _braille(brightness: np.ndarray, *, dither: str) -> np.ndarray:
    """Braille cells: one dot per sub-pixel, lit when bright enough (after dithering)."""
    if dither == "floyd-steinberg":
        brightness = error_diffuse(brightness, np.array([0.0, 1.0], dtype=np.float32))
        threshold: np.ndarray | float = 0.5
    elif dither == "ordered":
        threshold = _bayer(*brightness.shape)
    else:
        threshold = 0.5
    lit = brightness > threshold
    rows, columns = brightness.shape[0] // 4, brightness.shape[1] // 2
    dots = lit.reshape(rows, 4, columns, 2)
    code = np.zeros((rows, columns), dtype=np.uint16)
    for column, row, bit in BRAILLE_BITS:
        code |= dots[:, row, :, column].astype(np.uint16) * bit
    return code


def choose_glyphs(brightness: np.ndarray, *, glyphs: str, sub_x: int, sub_y: int, dither: str) -> np.ndarray:
    """(rows*sub_y, columns*sub_x) brightness in 0..1 (linear light) -> (rows, columns) glyph indices."""
    augmented, norms, means, low, high = _matcher(glyphs, sub_x, sub_y)
    rows, columns = brightness.shape[0] // sub_y, brightness.shape[1] // sub_x
    cells = brightness.reshape(rows, sub_y, columns, sub_x).transpose(0, 2, 1, 3).reshape(rows, columns, -1)
    targets = low + cells * (high - low)          # brightness 1 = the densest glyph's ink
    if dither != "none":
        levels = np.unique(means)
        cell_mean = targets.mean(axis=2)
        if dither == "ordered":
            step = (high - low) / max(len(levels) - 1, 1)
            shifted = cell_mean + (_bayer(rows, columns) - 0.5) * step
        else:
            shifted = error_diffuse(cell_mean, levels)
        targets = targets + (shifted - cell_mean)[..., None]
    if sub_x * sub_y == 1:
        # Ramp mode: nearest ink coverage by binary search over the sorted coverages.
        order = np.argsort(means, kind="stable")
        ranked = means[order]
        value = targets[..., 0]
        slot = np.clip(np.searchsorted(ranked, value), 1, len(ranked) - 1)
        nearer_low = value - ranked[slot - 1] < ranked[slot] - value
        return order[np.where(nearer_low, slot - 1, slot)].astype(np.uint16)
    return _nearest_patterns(targets, augmented, norms).reshape(rows, columns).astype(np.uint16)


# --- colour palettes --------------------------------------------------------------------------------------------

ANSI16 = np.array([
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
    (255, 255, 255)], dtype=np.uint8)


def _ansi256() -> np.ndarray:
    steps = np.array([0, 95, 135, 175, 215, 255])
    cube = np.stack(np.meshgrid(steps, steps, steps, indexing="ij"), axis=-1).reshape(-1, 3)
    greys = np.repeat((8 + 10 * np.arange(24))[:, None], 3, axis=1)
    return np.concatenate([ANSI16, cube, greys]).astype(np.uint8)


ANSI256 = _ansi256()


def palette(color_mode: str) -> np.ndarray | None:
    return {"ansi16": ANSI16, "ansi256": ANSI256}.get(color_mode)


def nearest_palette_index(colors: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Index of the nearest palette colour (weighted sRGB distance) for each colour of (..., 3) uint8."""
    weights = np.array([2.0, 4.0, 3.0], dtype=np.float32)
    flat = colors.reshape(-1, 3).astype(np.float32) * np.sqrt(weights)
    entries = table.astype(np.float32) * np.sqrt(weights)
    scores = (entries ** 2).sum(axis=1)[None, :] - 2.0 * flat @ entries.T
    return scores.argmin(axis=1).reshape(colors.shape[:-1])


# --- the conversion ---------------------------------------------------------------------------------------------

CONVERT_OPTIONS = ("columns", "charset", "custom_chars", "color", "invert", "contrast", "brightness", "gamma",
                   "dither", "edge", "font_aspect")


def convert_options(settings: dict) -> dict:
    """The keyword arguments of convert_image taken from a settings dict (AsciiSettings.model_dump())."""
    return {name: settings[name] for name in CONVERT_OPTIONS if name in settings}


def sample_size(height: int, width: int, *, columns: int, font_aspect: float, charset: str = "standard",
                edge: bool = True) -> tuple[int, int]:
    """The (height, width) in pixels that convert_image samples a source of this size at.

    A decoder (JPEG draft mode, ffmpeg scaling) may deliver any size at least this big with the same aspect.
    """
    rows, columns = grid_shape(height, width, columns=columns, font_aspect=font_aspect)
    sub_x, sub_y = _subgrid(charset, edge)
    return rows * sub_y, columns * sub_x


def convert_image(
    image: np.ndarray,
    *,
    columns: int = 100,
    rows: int | None = None,
    charset: str = "standard",
    custom_chars: str | None = None,
    color: str = "truecolor",
    invert: bool = False,
    contrast: float = 1.0,
    brightness: float = 0.0,
    gamma: float = 1.0,
    dither: str = "none",
    edge: bool = True,
    font_aspect: float = 0.5,
) -> AsciiGrid:
    """(H, W, 3) uint8 sRGB -> AsciiGrid. ``rows`` overrides the aspect-derived row count (pre-scaled video)."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("image must be (H, W, 3) uint8")
    if rows is None:
        rows, columns = grid_shape(image.shape[0], image.shape[1], columns=columns, font_aspect=font_aspect)
    glyphs = charset_glyphs(charset, custom_chars=custom_chars, edge=edge)
    sub_x, sub_y = _subgrid(charset, edge)

    linear = np.take(_LINEAR_LUT, image)
    fine = area_average(linear, height=rows * sub_y, width=columns * sub_x)
    fine = apply_tone(fine, contrast=contrast, brightness=brightness, gamma=gamma)
    colored = color != "none"
    # Colour output lights each glyph with the cell's hue at full value, so the glyph's ink carries the value
    # (max channel): ink x colour then reproduces the source colour. Monochrome ink carries luminance.
    level = np.maximum(np.maximum(fine[..., 0], fine[..., 1]), fine[..., 2]) if colored else fine @ LUMA
    if invert:
        level = srgb_to_linear(1.0 - linear_to_srgb(level))

    if charset == "braille":
        index = _braille(level, dither=dither)
    else:
        index = choose_glyphs(level, glyphs=glyphs, sub_x=sub_x, sub_y=sub_y, dither=dither)

    colors = None
    if colored:
        cell_rgb = area_average(fine, height=rows, width=columns)
        if not invert:
            _, _, means, _, high = _matcher(glyphs, sub_x, sub_y)
            ink = means[index]
            gain = np.where(ink > 0, high / np.maximum(ink, 1e-6), 1.0)
            cell_rgb = np.minimum(cell_rgb * gain[..., None], 1.0)
        colors = np.round(linear_to_srgb(cell_rgb) * 255.0).astype(np.uint8)
        table = palette(color)
        if table is not None:
            colors = table[nearest_palette_index(colors, table)]
    return AsciiGrid(glyphs=glyphs, index=index, colors=colors, color_mode=color)


__all__ = ["AsciiGrid", "CELL_H", "CELL_W", "convert_image", "convert_options", "grid_shape", "sample_size"]
