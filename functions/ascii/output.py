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
    if color_mode == "truecolor":
        return f"{ESC}[38;2;{rgb[0]};{rgb[1]};{rgb[2]}m"
    if color_mode == "ansi256":
        from .convert import ANSI256

        index = int(nearest_palette_index(np.array(rgb, dtype=np.uint8), ANSI256))
        return f"{ESC}[38;5;{index}m"
    index = int(nearest_palette_index(np.array(rgb, dtype=np.uint8), ANSI16))
    return f"{ESC}[{30 + index if index < 8 else 90 + index - 8}m"


def _ansi_frame(frame: AsciiGrid) -> str:
    lines = frame.lines()
    if frame.colors is None:
        return "\n".join(lines) + "\n"
    codes: dict[tuple[int, int, int], str] = {}
    out = []
    colours = frame.colors.tolist()
    for line, row in zip(lines, colours, strict=True):
        parts, current = [], None
        for char, rgb in zip(line, row, strict=True):
            key = tuple(rgb)
            if char != " " and key != current:
                code = codes.get(key)
                if code is None:
                    code = codes[key] = _sgr(frame.color_mode, key)
                parts.append(code)
                current = key
            parts.append(char)
        out.append("".join(parts) + (f"{ESC}[0m" if current is not None else ""))
    return "\n".join(out) + "\n"


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
    lines = frame.lines()
    if frame.colors is None:
        return "\n".join(html.escape(line, quote=False) for line in lines)
    out = []
    for line, row in zip(lines, frame.colors.tolist(), strict=True):
        parts, run, current = [], [], None
        for char, rgb in zip(line, row, strict=True):
            key = "#{:02x}{:02x}{:02x}".format(*rgb)
            if char != " " and key != current:
                if run:
                    parts.append(_span(current, "".join(run)))
                run, current = [], key
            run.append(char)
        if run:
            parts.append(_span(current, "".join(run)))
        out.append("".join(parts))
    return "\n".join(out)


def _span(colour: str | None, text: str) -> str:
    text = html.escape(text, quote=False)
    return text if colour is None else f'<span style="color:{colour}">{text}</span>'


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


def _cell_to_pixels(values: np.ndarray) -> np.ndarray:
    return np.repeat(np.repeat(values, CELL_H, axis=0), CELL_W, axis=1)


def rasterize(frame: AsciiGrid, *, background: str = "#000000") -> np.ndarray:
    """(rows*CELL_H, columns*CELL_W, 3) uint8: glyphs in their colours over the background."""
    mask = glyph_mask(frame)
    background_rgb = np.array(hex_to_rgb(background), dtype=np.uint8)
    if frame.colors is None:
        ink = np.array(ink_for(background), dtype=np.uint8)
        return np.where(mask[..., None], ink, background_rgb)
    # One gather: every pixel indexes the cell colours, with the background as one extra entry.
    table = np.concatenate([frame.colors.reshape(-1, 3), background_rgb[None, :]])
    cell = np.arange(frame.rows * frame.columns, dtype=np.int32).reshape(frame.rows, frame.columns)
    return table[np.where(mask, _cell_to_pixels(cell), np.int32(len(table) - 1))]


def _indexed_frame(frame: AsciiGrid, background: str):
    """A Pillow 'P' image: per-cell colours quantised to at most 255 entries, the background in the last one."""
    from PIL import Image

    mask = glyph_mask(frame)
    background_rgb = list(hex_to_rgb(background))
    if frame.colors is None:
        cell_index = np.zeros((frame.rows, frame.columns), dtype=np.uint8)
        entries = [list(ink_for(background))]
    else:
        colours = frame.colors
        unique, inverse = np.unique(colours.reshape(-1, 3), axis=0, return_inverse=True)
        if len(unique) <= 255:
            cell_index = inverse.reshape(frame.rows, frame.columns).astype(np.uint8)
            entries = unique.tolist()
        else:
            quantised = Image.fromarray(colours).quantize(255, method=Image.Quantize.MEDIANCUT,
                                                          dither=Image.Dither.NONE)
            cell_index = np.asarray(quantised)
            entries = np.array(quantised.getpalette()[:765]).reshape(-1, 3).tolist()
    pal = entries + [[0, 0, 0]] * (255 - len(entries)) + [background_rgb]
    pixels = np.where(mask, _cell_to_pixels(cell_index), np.uint8(255)).astype(np.uint8)
    image = Image.fromarray(pixels, mode="P")
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

    first = rasterize(frames[0], background=background)
    height, width = first.shape[0] * scale, first.shape[1] * scale
    pad_h, pad_w = height % 2, width % 2
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "ascii.mp4")
        writer = imageio_ffmpeg.write_frames(
            path, (width + pad_w, height + pad_h), fps=fps, codec="libx264", macro_block_size=1,
            pix_fmt_out="yuv420p", ffmpeg_log_level="error",
            output_params=["-preset", "veryfast", "-crf", "20", "-threads", "1", "-tune", "animation",
                           "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
                           "-movflags", "+faststart"])
        writer.send(None)
        background_rgb = np.array(hex_to_rgb(background), dtype=np.uint8)
        for frame in frames:
            pixels = rasterize(frame, background=background)
            if scale > 1:
                pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
            if pad_h or pad_w:
                padded = np.empty((height + pad_h, width + pad_w, 3), dtype=np.uint8)
                padded[:] = background_rgb
                padded[:height, :width] = pixels
                pixels = padded
            writer.send(np.ascontiguousarray(pixels))
        writer.close()
        with open(path, "rb") as handle:
            return handle.read()
