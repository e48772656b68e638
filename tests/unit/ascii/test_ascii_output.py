"""The vectorised writers against straightforward per-cell reference implementations (the previous ones)."""
import html
import io

import numpy as np
import pytest
from PIL import Image

from functions.ascii.convert import ANSI16, ANSI256, AsciiGrid, _area_axis, nearest_palette_index
from functions.ascii.glyphs import CELL_H, CELL_W, glyph_atlas
from functions.ascii.output import _ansi_frame, _html_frame, hex_to_rgb, ink_for, rasterize, to_ansi, to_gif, to_html

ESC = "\x1b"


def _reference_sgr(color_mode, rgb):
    if color_mode == "truecolor":
        return f"{ESC}[38;2;{rgb[0]};{rgb[1]};{rgb[2]}m"
    if color_mode == "ansi256":
        return f"{ESC}[38;5;{int(nearest_palette_index(np.array(rgb, dtype=np.uint8), ANSI256))}m"
    index = int(nearest_palette_index(np.array(rgb, dtype=np.uint8), ANSI16))
    return f"{ESC}[{30 + index if index < 8 else 90 + index - 8}m"


def _reference_ansi(frame):
    lines = frame.lines()
    if frame.colors is None:
        return "\n".join(lines) + "\n"
    out = []
    for line, row in zip(lines, frame.colors.tolist(), strict=True):
        parts, current = [], None
        for char, rgb in zip(line, row, strict=True):
            if char != " " and tuple(rgb) != current:
                current = tuple(rgb)
                parts.append(_reference_sgr(frame.color_mode, current))
            parts.append(char)
        out.append("".join(parts) + (f"{ESC}[0m" if current is not None else ""))
    return "\n".join(out) + "\n"


def _reference_html(frame):
    lines = frame.lines()
    if frame.colors is None:
        return "\n".join(html.escape(line, quote=False) for line in lines)

    def span(colour, text):
        text = html.escape(text, quote=False)
        return text if colour is None else f'<span style="color:{colour}">{text}</span>'

    out = []
    for line, row in zip(lines, frame.colors.tolist(), strict=True):
        parts, run, current = [], [], None
        for char, rgb in zip(line, row, strict=True):
            key = "#{:02x}{:02x}{:02x}".format(*rgb)
            if char != " " and key != current:
                if run:
                    parts.append(span(current, "".join(run)))
                run, current = [], key
            run.append(char)
        if run:
            parts.append(span(current, "".join(run)))
        out.append("".join(parts))
    return "\n".join(out)


def _grids():
    rng = np.random.default_rng(7)
    grids = []
    for mode in ("truecolor", "ansi256", "ansi16", "none"):
        for glyphs in (" .:-=+*#%@/\\|_-", "<&> a\"'", "ab█", " ⠁⠂"):
            index = rng.integers(0, len(glyphs), (9, 13)).astype(np.uint16)
            if " " in glyphs:
                index[3] = glyphs.index(" ")                 # a row without ink
                index[5, :4] = glyphs.index(" ")             # leading spaces: text before the first span
            table = {"ansi16": ANSI16, "ansi256": ANSI256}.get(mode, rng.integers(0, 256, (6, 3)).astype(np.uint8))
            colours = None if mode == "none" else table[rng.integers(0, min(len(table), 6), (9, 13))]
            if colours is not None:
                colours[7] = colours[7, 0]                   # one colour run over a whole row
            grids.append(AsciiGrid(glyphs, index, colours, mode))
    many = rng.integers(0, 256, (20, 30, 3)).astype(np.uint8)   # truecolor with > 255 colours
    grids.append(AsciiGrid(" .:#", rng.integers(0, 4, (20, 30)).astype(np.uint16), many, "truecolor"))
    return grids


@pytest.mark.parametrize("grid", _grids())
def test_ansi_and_html_frames_match_the_per_cell_reference(grid):
    assert _ansi_frame(grid) == _reference_ansi(grid)
    assert _html_frame(grid) == _reference_html(grid)


def test_multi_frame_ansi_and_html_keep_every_frame():
    grids = _grids()[:3]
    assert to_ansi(grids) == f"{ESC}[2J" + "".join(f"{ESC}[H" + _reference_ansi(g) for g in grids)
    page = to_html(grids, durations_ms=[10, 20, 30], background="#000000", loop=True)
    assert page.count("<pre") == 3 and all(_reference_html(g) in page for g in grids)


@pytest.mark.parametrize("background", ["#000000", "#f0e0d0"])
@pytest.mark.parametrize("grid", _grids()[::5])
def test_rasterize_matches_per_pixel_reference(grid, background):
    mask = glyph_atlas(grid.glyphs)[grid.index].transpose(0, 2, 1, 3).reshape(grid.rows * CELL_H, -1)
    colours = (np.broadcast_to(np.array(ink_for(background), dtype=np.uint8), (grid.rows, grid.columns, 3))
               if grid.colors is None else grid.colors)
    per_pixel = np.repeat(np.repeat(colours, CELL_H, axis=0), CELL_W, axis=1)
    expected = np.where(mask[..., None], per_pixel, np.array(hex_to_rgb(background), dtype=np.uint8))
    pixels = rasterize(grid, background=background)
    assert pixels.dtype == np.uint8 and pixels.flags.c_contiguous
    np.testing.assert_array_equal(pixels, expected)


def test_gif_keeps_frame_count_durations_and_exact_pixels():
    rng = np.random.default_rng(3)
    glyphs = " .:-=+*#%@"
    grids = [AsciiGrid(glyphs, rng.integers(0, len(glyphs), (6, 11)).astype(np.uint16),
                       ANSI256[rng.integers(0, 256, (6, 11))], "ansi256") for _ in range(3)]
    durations = [40, 70, 120]
    gif = Image.open(io.BytesIO(to_gif(grids, durations_ms=durations, background="#102030", loop=True)))
    assert gif.n_frames == len(grids)
    for index, grid in enumerate(grids):
        gif.seek(index)
        assert gif.info["duration"] == durations[index]
        np.testing.assert_array_equal(np.asarray(gif.convert("RGB")), rasterize(grid, background="#102030"))


def test_gif_with_more_than_255_colours_stays_close():
    grid = _grids()[-1]
    gif = Image.open(io.BytesIO(to_gif([grid], durations_ms=[100], background="#000000", loop=False)))
    drawn = np.asarray(gif.convert("RGB")).astype(int)
    assert np.abs(drawn - rasterize(grid).astype(int)).mean() < 4


@pytest.mark.parametrize("k", [2, 3, 4, 6])
@pytest.mark.parametrize("axis", [0, 1])
def test_whole_bin_area_average_has_the_bits_of_mean(k, axis):
    values = np.random.default_rng(k).random((12 * k, 12 * k, 3), dtype=np.float32)
    shape = values.shape[:axis] + (12, k) + values.shape[axis + 1:]
    expected = values.reshape(shape).mean(axis=axis + 1, dtype=np.float32)
    np.testing.assert_array_equal(_area_axis(values, 12, axis), expected)
