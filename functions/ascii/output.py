"""AsciiGrid frames -> .txt, .ans, .html, .gif, .mp4 bytes. Deterministic: same frames, same bytes.

Pixels (GIF, MP4) are drawn with the glyph bitmaps of glyphs.py, the font glyph choice was measured on.
Pillow (GIF) and imageio-ffmpeg (MP4) are used only here, to encode.
"""
from __future__ import annotations

import html
import io
import json
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .convert import ANSI16, AsciiGrid, nearest_palette_index
from .glyphs import CELL_H, CELL_W, glyph_atlas

ESC = "\x1b"


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def ink_for(background: str) -> tuple[int, int, int]:
    """Monochrome glyph colour: white on dark backgrounds, black on light ones."""
    r, g, b = hex_to_rgb(background)
    return (0, 0, 0) if 0.2126 * r + 0.7152 * g + 0.0722 * b > 127.5 else (255, 255, 255)


# --- text -------------------------------------------------------------------------------------------------------

def to_text(frames: Sequence[AsciiGrid]) -> str:
    """Plain glyphs, one line per row; several frames are separated by a form feed line."""
    return "\f\n".join("\n".join(frame.lines()) + "\n" for frame in frames)


def _sgr(color_mode: str, rgb: tuple[int, int, int]) -> str:
    return "".join(part[0] for part in _sgr_parts(color_mode, np.array([rgb], dtype=np.uint8)))


@lru_cache(maxsize=8)
def _byte_strings(template: str) -> np.ndarray:
    """Object array of ``template.format(v)`` for v in 0..255."""
    table = np.empty(256, dtype=object)
    table[:] = [template.format(v) for v in range(256)]
    return table


def _rgb_parts(colours: np.ndarray, templates: tuple[str, str, str]) -> list[np.ndarray]:
    """A colour's string as three pieces (red, green, blue), each looked up in a 256-entry table."""
    return [_byte_strings(template)[colours[:, channel]] for channel, template in enumerate(templates)]


def _sgr_parts(color_mode: str, colours: np.ndarray) -> list[np.ndarray]:
    """The SGR foreground escape of each (N, 3) uint8 colour, as pieces that concatenate to it."""
    if color_mode == "truecolor":
        return _rgb_parts(colours, (ESC + "[38;2;{};", "{};", "{}m"))
    from .convert import ANSI256

    unique, inverse = np.unique(_colour_keys(colours), return_inverse=True)
    rgb = np.stack([(unique >> 16) & 255, (unique >> 8) & 255, unique & 255], axis=1).astype(np.uint8)
    codes = np.empty(len(unique), dtype=object)
    if color_mode == "ansi256":
        codes[:] = [f"{ESC}[38;5;{i}m" for i in nearest_palette_index(rgb, ANSI256).tolist()]
    else:
        codes[:] = [f"{ESC}[{30 + i if i < 8 else 90 + i - 8}m" for i in nearest_palette_index(rgb, ANSI16).tolist()]
    return [codes[inverse.ravel()]]


def _colour_keys(colors: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 -> (...) int32 0xRRGGBB (orders like the (r, g, b) tuples)."""
    c = colors.astype(np.int32)
    return (c[..., 0] << 16) | (c[..., 1] << 8) | c[..., 2]


def _colour_runs(frame: AsciiGrid) -> np.ndarray:
    """Flat bool over the frame: a run starts at each non-space cell whose colour differs from the previous
    non-space cell of its row (or that is the first non-space cell of its row). Spaces join the current run."""
    keys = _colour_keys(frame.colors).ravel()
    space = frame.glyphs.find(" ")
    ink = np.ones(keys.shape, dtype=bool) if space < 0 else frame.index.ravel() != space
    cells = np.flatnonzero(ink)
    ink_keys = keys[cells]
    rows = cells // frame.columns
    new = np.ones(len(cells), dtype=bool)
    new[1:] = (ink_keys[1:] != ink_keys[:-1]) | (rows[1:] != rows[:-1])
    starts = np.zeros(keys.shape, dtype=bool)
    starts[cells[new]] = True
    return starts


def _interleave(n_slots: int, pieces: Sequence[tuple[np.ndarray, np.ndarray | str]]) -> str:
    """Join strings placed in slots: pieces are (slot positions, strings for them); every slot gets one."""
    out = np.empty(n_slots, dtype=object)
    for slots, strings in pieces:
        out[slots] = strings
    return "".join(out.tolist())


@lru_cache(maxsize=64)
def _glyph_strings(glyphs: str, *, escape: bool = False) -> np.ndarray:
    table = np.empty(len(glyphs), dtype=object)
    table[:] = [html.escape(c, quote=False) if escape else c for c in glyphs]
    return table


def _ansi_frame(frame: AsciiGrid) -> str:
    """One frame: an SGR code before each colour run, ESC[0m closing every row that has ink.

    Vectorised: the output is laid out in slots (code pieces?, glyph per cell; row end per row), joined once.
    """
    if frame.colors is None:
        return "\n".join(frame.lines()) + "\n"
    rows, columns = frame.rows, frame.columns
    starts = _colour_runs(frame)
    code = _sgr_parts(frame.color_mode, frame.colors.reshape(-1, 3)[starts])
    counts = starts * len(code) + 1
    counts.reshape(rows, columns)[:, -1] += 1                       # the row end after the last cell
    first = np.cumsum(counts) - counts
    row_ends = np.full(rows, "\n", dtype=object)
    row_ends[starts.reshape(rows, columns).any(axis=1)] = f"{ESC}[0m\n"
    last = first.reshape(rows, columns)[:, -1] + counts.reshape(rows, columns)[:, -1] - 1
    pieces = [(first[starts] + j, part) for j, part in enumerate(code)]
    pieces += [(first + starts * len(code), _glyph_strings(frame.glyphs)[frame.index.ravel()]), (last, row_ends)]
    return _interleave(int(counts.sum()), pieces)


def to_ansi(frames: Sequence[AsciiGrid]) -> str:
    """ANSI escape colours per the colour mode; several frames are each drawn from the top-left (ESC[H)."""
    if len(frames) == 1:
        return _ansi_frame(frames[0])
    return f"{ESC}[2J" + "".join(f"{ESC}[H" + _ansi_frame(frame) for frame in frames)


# --- HTML -------------------------------------------------------------------------------------------------------

_PLAYER = """<script>(function(){var f=document.querySelectorAll('pre.f'),d=JSON.parse(document.body.dataset.d),
l=document.body.dataset.l==='1',i=0;function n(){if(i===f.length-1&&!l)return;f[i].hidden=true;i=(i+1)%f.length;
f[i].hidden=false;setTimeout(n,d[i]);}setTimeout(n,d[0]);})();</script>"""


def _html_frame(frame: AsciiGrid) -> str:
    """One frame: a span per colour run (spaces join the run); text before a row's first ink has no span.

    Vectorised like _ansi_frame: slots (open span pieces?, glyph, close span?) per cell, a newline between rows.
    """
    if frame.colors is None:
        return "\n".join(html.escape(line, quote=False) for line in frame.lines())
    rows, columns = frame.rows, frame.columns
    starts = _colour_runs(frame)
    grid_starts = starts.reshape(rows, columns)
    closes = np.zeros((rows, columns), dtype=bool)
    closes[:, :-1] = grid_starts[:, 1:]
    closes[:, -1] = True
    closes &= np.logical_or.accumulate(grid_starts, axis=1)         # only cells inside a span close one
    closes = closes.ravel()
    newline = np.zeros((rows, columns), dtype=bool)
    newline[:-1, -1] = True
    newline = newline.ravel()
    opening = _rgb_parts(frame.colors.reshape(-1, 3)[starts], ('<span style="color:#{:02x}', "{:02x}", '{:02x}">'))
    counts = starts * len(opening) + 1 + closes + newline
    first = np.cumsum(counts) - counts
    after = first + starts * len(opening) + 1
    pieces = [(first[starts] + j, part) for j, part in enumerate(opening)]
    pieces += [(after - 1, _glyph_strings(frame.glyphs, escape=True)[frame.index.ravel()]),
               (after[closes], "</span>"), (after[newline] + closes[newline], "\n")]
    return _interleave(int(counts.sum()), pieces)


def to_html(frames: Sequence[AsciiGrid], *, durations_ms: Sequence[int], background: str, loop: bool,
            title: str = "ASCII art") -> str:
    """A self-contained page; several frames play in turn with their own durations (tiny inline script)."""
    ink = "#{:02x}{:02x}{:02x}".format(*ink_for(background))
    style = (f"body{{margin:0;background:{background};color:{ink}}}"
             "pre{margin:0;font:12px/1 'DejaVu Sans Mono',Menlo,Consolas,monospace;letter-spacing:0}")
    body = "".join(f'<pre class="f"{" hidden" if i else ""}>{_html_frame(frame)}</pre>'
                   for i, frame in enumerate(frames))
    data = ""
    script = ""
    if len(frames) > 1:
        data = f' data-d="{json.dumps([int(d) for d in durations_ms])}" data-l="{1 if loop else 0}"'
        script = _PLAYER
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body{data}>{body}{script}</body></html>\n")


# --- pixels -----------------------------------------------------------------------------------------------------

def glyph_mask(frame: AsciiGrid) -> np.ndarray:
    """(rows*CELL_H, columns*CELL_W) bool: the lit pixels of the frame."""
    cells = glyph_atlas(frame.glyphs)[frame.index]                     # rows, columns, CELL_H, CELL_W
    return cells.transpose(0, 2, 1, 3).reshape(frame.rows * CELL_H, frame.columns * CELL_W)


def _paint(frame: AsciiGrid, cell_values: np.ndarray, background) -> np.ndarray:
    """(rows*CELL_H, columns*CELL_W): each cell's value on the pixels its glyph lights, ``background`` elsewhere.

    One gather of glyph bitmaps (0/1) and one multiply-add in the unsigned type of ``cell_values``:
    lit * (value - background) + background wraps to value where lit, to background where not.
    """
    dtype = cell_values.dtype
    background = dtype.type(background)
    lit = glyph_atlas(frame.glyphs).view(np.uint8)[frame.index]       # rows, columns, CELL_H, CELL_W
    pixels = lit.transpose(0, 2, 1, 3) * (cell_values - background)[:, None, :, None]
    pixels += background
    return pixels.reshape(frame.rows * CELL_H, frame.columns * CELL_W)


def _rgbx(colours: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 -> (...) uint32 whose bytes in memory are r, g, b, 0 (ffmpeg's rgb0)."""
    out = np.zeros(colours.shape[:-1] + (4,), dtype=np.uint8)
    out[..., :3] = colours
    return out.view(np.uint32)[..., 0]


def _rasterize_rgbx(frame: AsciiGrid, background: str) -> np.ndarray:
    """(rows*CELL_H, columns*CELL_W) uint32 rgb0 pixels."""
    background_rgb = np.array(hex_to_rgb(background), dtype=np.uint8)
    if frame.colors is None:
        colours = np.broadcast_to(np.array(ink_for(background), dtype=np.uint8), (frame.rows, frame.columns, 3))
    else:
        colours = frame.colors
    return _paint(frame, _rgbx(colours), _rgbx(background_rgb)[()])


def rasterize(frame: AsciiGrid, *, background: str = "#000000") -> np.ndarray:
    """(rows*CELL_H, columns*CELL_W, 3) uint8: glyphs in their colours over the background."""
    pixels = _rasterize_rgbx(frame, background)
    return np.ascontiguousarray(pixels.view(np.uint8).reshape(pixels.shape + (4,))[..., :3])


def _indexed_frame(frame: AsciiGrid, background: str):
    """A Pillow 'P' image: per-cell colours quantised to at most 255 entries, the background in the last one."""
    from PIL import Image

    background_rgb = list(hex_to_rgb(background))
    if frame.colors is None:
        cell_index = np.zeros((frame.rows, frame.columns), dtype=np.uint8)
        entries = [list(ink_for(background))]
    else:
        colours = frame.colors
        unique, inverse = np.unique(_colour_keys(colours).ravel(), return_inverse=True)
        if len(unique) <= 255:
            cell_index = inverse.reshape(frame.rows, frame.columns).astype(np.uint8)
            entries = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1).tolist()
        else:
            quantised = Image.fromarray(colours).quantize(255, method=Image.Quantize.MEDIANCUT,
                                                          dither=Image.Dither.NONE)
            cell_index = np.asarray(quantised)
            entries = np.array(quantised.getpalette()[:765]).reshape(-1, 3).tolist()
    pal = entries + [[0, 0, 0]] * (255 - len(entries)) + [background_rgb]
    image = Image.fromarray(_paint(frame, cell_index, 255), mode="P")
    image.putpalette([v for entry in pal for v in entry])
    return image


def to_gif(frames: Sequence[AsciiGrid], *, durations_ms: Sequence[int], background: str, loop: bool) -> bytes:
    """Animated (or still) GIF; frame durations kept (GIF stores them in 10 ms steps)."""
    images = [_indexed_frame(frame, background) for frame in frames]
    buffer = io.BytesIO()
    options: dict = {"format": "GIF", "optimize": False}
    if len(images) > 1:
        options.update(save_all=True, append_images=images[1:], duration=[int(d) for d in durations_ms],
                       disposal=1)
        if loop:
            options["loop"] = 0
    images[0].save(buffer, **options)
    return buffer.getvalue()


def to_mp4(frames: Sequence[AsciiGrid], *, fps: float, background: str, scale: int = 1) -> bytes:
    """H.264 MP4 of the rendered frames (yuv420p, even size), bit-exact flags so bytes repeat."""
    import imageio_ffmpeg

    height, width = frames[0].rows * CELL_H * scale, frames[0].columns * CELL_W * scale
    pad_h, pad_w = height % 2, width % 2
    background_rgbx = _rgbx(np.array(hex_to_rgb(background), dtype=np.uint8))[()]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "ascii.mp4")
        writer = imageio_ffmpeg.write_frames(
            path, (width + pad_w, height + pad_h), fps=fps, codec="libx264", macro_block_size=1,
            pix_fmt_in="rgb0", pix_fmt_out="yuv420p", ffmpeg_log_level="error",
            # ultrafast: ~3x less CPU than veryfast/animation at a higher PSNR for glyph frames (41.1 vs 40.6 dB
            # at 160 columns), files about twice as big.
            output_params=["-preset", "ultrafast", "-crf", "20", "-threads", "1",
                           "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                           "-movflags", "+faststart"])
        writer.send(None)
        for frame in frames:
            pixels = _rasterize_rgbx(frame, background)
            if scale > 1:
                pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
            if pad_h or pad_w:
                padded = np.full((height + pad_h, width + pad_w), background_rgbx, dtype=np.uint32)
                padded[:height, :width] = pixels
                pixels = padded
            writer.send(pixels)
        writer.close()
        with open(path, "rb") as handle:
            return handle.read()
