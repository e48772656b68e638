import re

import numpy as np
import pytest

from functions.ascii.convert import (
    ANSI256,
    area_average,
    convert_image,
    error_diffuse,
    grid_shape,
)
from functions.ascii.glyphs import CELL_H, CELL_W, glyph_bitmap
from functions.ascii.output import glyph_mask, rasterize, to_ansi, to_text


def _gradient(height=96, width=256):
    row = np.linspace(0, 255, width).astype(np.uint8)
    return np.repeat(np.repeat(row[None, :, None], height, axis=0), 3, axis=2)


def _circle(size=240, radius=80):
    y, x = np.mgrid[0:size, 0:size]
    inside = (x - size / 2 + 0.5) ** 2 + (y - size / 2 + 0.5) ** 2 < radius ** 2
    return np.where(inside[..., None], 255, 0).astype(np.uint8).repeat(3, axis=2)


def test_area_average_matches_a_dense_box_filter():
    rng = np.random.default_rng(1)
    image = rng.random((37, 53, 3)).astype(np.float32)
    out = area_average(image, height=10, width=16)
    edges_y, edges_x = np.linspace(0, 37, 11), np.linspace(0, 53, 17)

    def weights(edges, n):
        j = np.arange(n)
        overlap = np.minimum(edges[1:, None], j + 1) - np.maximum(edges[:-1, None], j)
        return np.clip(overlap, 0, None) / np.diff(edges)[:, None]

    expected = np.einsum("ij,jkc,lk->ilc", weights(edges_y, 37), image, weights(edges_x, 53))
    np.testing.assert_allclose(out, expected, atol=1e-5)


def test_gradient_gets_denser_left_to_right_in_every_charset():
    for charset in ("standard", "detailed", "blocks", "braille"):
        grid = convert_image(_gradient(), columns=64, charset=charset, color="none", edge=False)
        ink = glyph_mask(grid).reshape(grid.rows, CELL_H, grid.columns, CELL_W).mean(axis=(0, 1, 3))
        left, right = ink[: grid.columns // 4].mean(), ink[-grid.columns // 4:].mean()
        assert right > left + 0.2 * right, charset
        assert np.corrcoef(np.arange(grid.columns), ink)[0, 1] > (0.7 if charset == "braille" else 0.9), charset


def test_invert_swaps_dark_and_light():
    grid = convert_image(_gradient(), columns=40, color="none", invert=True, edge=False)
    line = grid.lines()[0]
    assert line[0] != " " and line[-1] == " "


def test_circles_stay_circles_with_font_aspect():
    for aspect in (0.5, 0.8):
        grid = convert_image(_circle(), columns=60, color="none", font_aspect=aspect, edge=False)
        assert grid.rows == grid_shape(240, 240, columns=60, font_aspect=aspect)[0]
        lit = np.array([[c != " " for c in line] for line in grid.lines()])
        ys, xs = np.nonzero(lit)
        width_cells, height_cells = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
        # Drawn with cells aspect:1, the circle's width and height in pixels agree within one cell.
        width_units, height_units = width_cells * aspect, height_cells * 1.0
        assert abs(width_units - height_units) <= 1.0 + aspect, (aspect, width_cells, height_cells)
    half = convert_image(_circle(), columns=60, color="none", font_aspect=0.5, edge=False)
    lit = np.array([[c != " " for c in line] for line in half.lines()])
    ys, xs = np.nonzero(lit)
    assert 1.7 < (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1) < 2.3   # twice as many columns as rows


def test_edge_mode_draws_thin_slanted_lines_with_slashes():
    y, x = np.mgrid[0:240, 0:240]
    # Slope 2 in pixels is the diagonal of a 1:2 character cell.
    for line, glyph in ((np.abs(2 * x + y - 480) < 4, "/"), (np.abs(2 * x - y) < 4, "\\")):
        image = np.where(line[..., None], 255, 0).astype(np.uint8).repeat(3, axis=2)
        text = "".join(convert_image(image, columns=40, color="none", edge=True).lines())
        assert text.count(glyph) >= 15, (glyph, text.replace(" ", ""))
        ramp_only = "".join(convert_image(image, columns=40, color="none", edge=False).lines())
        assert glyph not in ramp_only


def test_colour_modes_snap_to_their_palettes():
    image = np.zeros((60, 120, 3), dtype=np.uint8)
    image[:, :40] = (200, 30, 30)
    image[:, 40:80] = (30, 200, 30)
    image[:, 80:] = (40, 40, 220)
    grid = convert_image(image, columns=30, color="ansi256")
    palette = {tuple(c) for c in ANSI256.tolist()}
    assert {tuple(c) for c in grid.colors.reshape(-1, 3).tolist()} <= palette
    true = convert_image(image, columns=30, color="truecolor")
    assert true.colors[0, 2, 0] > 150 > true.colors[0, 2, 1]   # red stays red
    assert true.colors[0, 27, 2] > 150 > true.colors[0, 27, 0]  # blue stays blue
    assert convert_image(image, columns=30, color="none").colors is None


def test_ansi_output_has_rows_and_columns_after_stripping_escapes():
    grid = convert_image(_circle(), columns=50, color="truecolor")
    ansi = to_ansi([grid])
    assert "\x1b[38;2;" in ansi
    lines = re.sub(r"\x1b\[[0-9;]*m", "", ansi).rstrip("\n").split("\n")
    assert len(lines) == grid.rows and {len(line) for line in lines} == {50}
    for mode, marker in (("ansi256", "\x1b[38;5;"), ("ansi16", "\x1b[9")):
        assert marker in to_ansi([convert_image(_circle(), columns=50, color=mode)])


def test_dithering_keeps_mean_brightness():
    flat = np.full((120, 240, 3), 90, dtype=np.uint8)
    plain = convert_image(flat, columns=60, color="none", edge=False)
    assert len(set(to_text([plain]).replace("\n", ""))) == 1
    for dither in ("ordered", "floyd-steinberg"):
        grid = convert_image(flat, columns=60, color="none", edge=False, dither=dither)
        assert len(set(to_text([grid]).replace("\n", ""))) >= 2, dither


def test_error_diffuse_matches_sequential_floyd_steinberg():
    rng = np.random.default_rng(3)
    values = rng.random((7, 9)).astype(np.float32)
    levels = np.array([0.0, 0.3, 1.0], dtype=np.float32)
    work = values.astype(np.float64).copy()
    expected = np.zeros_like(work)
    for y in range(7):
        for x in range(9):
            expected[y, x] = work[y, x]
            q = levels[np.abs(levels - work[y, x]).argmin()]
            e = work[y, x] - q
            for dy, dx, w in ((0, 1, 7), (1, -1, 3), (1, 0, 5), (1, 1, 1)):
                if 0 <= y + dy < 7 and 0 <= x + dx < 9:
                    work[y + dy, x + dx] += e * w / 16
    np.testing.assert_allclose(error_diffuse(values, levels), expected, atol=1e-5)


def test_rasterize_uses_the_glyph_bitmaps():
    grid = convert_image(_gradient(), columns=20, color="none", edge=False)
    pixels = rasterize(grid, background="#000000")
    assert pixels.shape == (grid.rows * CELL_H, 20 * CELL_W, 3)
    char = grid.lines()[0][-1]
    np.testing.assert_array_equal(pixels[:CELL_H, -CELL_W:, 0] > 0, glyph_bitmap(char))


@pytest.mark.parametrize("charset", ["blocks", "braille"])
def test_unicode_charsets_use_their_own_glyphs(charset):
    grid = convert_image(_circle(), columns=40, charset=charset, color="none")
    text = "".join(grid.lines())
    if charset == "braille":
        assert all(0x2800 <= ord(c) <= 0x28FF for c in text)
    else:
        assert set(text) <= set(" ░▒▓█▀▄▌▐▖▗▘▝▚▞▙▛▜▟") and "█" in text
