"""ASCII quality and speed: ours vs jp2a and img2txt (libcaca) on scikit-image's photos.

Every result (ours and the peers') is drawn back to pixels with the SAME font (functions/ascii/glyphs.py,
6x12 cells) and compared with the source by SSIM (higher is better):
  pixel   SSIM of the glyph image (ink 1, paper 0) against the grey source at the same size;
  viewed  both blurred in linear light by a cell-sized Gaussian (how ASCII art is seen), then sRGB;
          the glyph image is scaled by the ink coverage of the font's densest ASCII glyph (one constant
          for every tool);
  colour  'viewed' in RGB, each tool in its colour mode (ours truecolor, jp2a --colors, img2txt ANSI).
Times: ours warm in-process (PNG decode + conversion + text), peers the whole process; median of 5.
Video: 10 s of 720p at 15 fps (astronaut, panned and zoomed) through render_ascii on one core.

Run: .venv/bin/python bench/ascii_quality.py     (needs scikit-image; Debian jp2a and caca-utils)
     .venv/bin/python bench/ascii_quality.py --speed   (video at 80/100/160 columns per stage, still vs jp2a)
Writes bench/out/ascii.json and rendered-back PNGs to bench/out/ascii/.
"""
from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from functions.ascii.convert import ANSI16, ANSI256, convert_image, srgb_to_linear  # noqa: E402
from functions.ascii.glyphs import ASCII_PRINTABLE, CELL_H, CELL_W, glyph_atlas, glyph_bitmap  # noqa: E402
from functions.ascii.media import MediaLimits, image_frames  # noqa: E402
from functions.ascii.output import to_text  # noqa: E402

IMAGES = ("astronaut", "camera", "coffee", "chelsea", "rocket", "moon")
COLUMNS = (80, 160, 240)
OUT = ROOT / "bench" / "out"
SGR = re.compile(r"\x1b\[([0-9;]*)m")
INK_MAX = float(max(glyph_bitmap(c).mean() for c in ASCII_PRINTABLE))
OURS = {"ours": {}, "ours-detailed": {"charset": "detailed"}}


def _median_ms(run, repeat: int = 5) -> float:
    run()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(timings)


def _grid_from_ansi(text: str) -> tuple[list[str], list[list[tuple[int, int, int] | None]]]:
    """Glyph rows and the foreground colour of each cell from ANSI text (plain text gives no colours)."""
    rows, colours = [], []
    for line in text.rstrip("\n").split("\n"):
        chars, fgs, fg, bold = [], [], None, False
        position = 0
        for match in SGR.finditer(line + "\x1b[m"):
            for char in line[position:match.start()]:
                chars.append(char)
                fgs.append(fg)
            position = match.end()
            codes = [int(c) for c in match.group(1).split(";") if c] or [0]
            i = 0
            while i < len(codes):
                code = codes[i]
                if code == 0:
                    fg, bold = None, False
                elif code == 1:
                    bold = True
                elif 30 <= code <= 37:
                    fg = tuple(int(v) for v in ANSI16[code - 30 + (8 if bold else 0)])
                elif 90 <= code <= 97:
                    fg = tuple(int(v) for v in ANSI16[code - 90 + 8])
                elif code == 38 and i + 1 < len(codes) and codes[i + 1] == 5:
                    fg = tuple(int(v) for v in ANSI256[codes[i + 2]])
                    i += 2
                elif code == 38 and i + 1 < len(codes) and codes[i + 1] == 2:
                    fg = tuple(codes[i + 2:i + 5])
                    i += 4
                elif code == 39:
                    fg = None
                i += 1
        rows.append("".join(chars))
        colours.append(fgs)
    return rows, colours


def _draw(rows: list[str], colours=None) -> tuple[np.ndarray, np.ndarray | None]:
    """Glyph ink (H, W) float 0/1 and, with colours, linear RGB (H, W, 3)."""
    width = max(len(r) for r in rows)
    table = "".join(dict.fromkeys(ASCII_PRINTABLE + "".join(rows)))
    table = "".join(c if _drawable(c) else "?" for c in table)
    table = "".join(dict.fromkeys(table))
    atlas = glyph_atlas(table).astype(np.float32)
    lookup = {c: table.index(c if _drawable(c) else "?") for c in set("".join(rows)) | {" "}}
    index = np.array([[lookup[c] for c in r.ljust(width)] for r in rows])
    ink = atlas[index].transpose(0, 2, 1, 3).reshape(len(rows) * CELL_H, width * CELL_W)
    if colours is None:
        return ink, None
    rgb = np.zeros((len(rows), width, 3), dtype=np.float32)
    for y, row in enumerate(colours):
        for x, c in enumerate(row[:width]):
            rgb[y, x] = c if c is not None else (192, 192, 192)
    rgb = srgb_to_linear(rgb / 255.0)
    return ink, np.repeat(np.repeat(rgb, CELL_H, axis=0), CELL_W, axis=1) * ink[..., None]


def _drawable(char: str) -> bool:
    try:
        glyph_bitmap(char)
        return True
    except ValueError:
        return False


def _scores(ink: np.ndarray, colour: np.ndarray | None, source: np.ndarray) -> dict:
    from scipy.ndimage import gaussian_filter
    from skimage.metrics import structural_similarity as ssim

    height, width = ink.shape
    reference = np.asarray(Image.fromarray(source).resize((width, height), Image.Resampling.BOX),
                           dtype=np.float32) / 255.0
    linear = srgb_to_linear(reference)
    grey_linear = linear @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    grey = np.asarray(Image.fromarray(source).convert("L").resize((width, height), Image.Resampling.BOX),
                      dtype=np.float32) / 255.0
    sigma = CELL_W / 2.0

    def viewed(values: np.ndarray) -> np.ndarray:
        blurred = gaussian_filter(values, sigma=(sigma, sigma) + (0,) * (values.ndim - 2))
        return np.clip(blurred, 0.0, 1.0) ** (1 / 2.2)

    out = {"pixel": float(ssim(ink, grey, data_range=1.0)),
           "viewed": float(ssim(viewed(ink / INK_MAX), viewed(grey_linear), data_range=1.0))}
    if colour is not None:
        out["colour"] = float(ssim(viewed(colour / INK_MAX), viewed(linear), data_range=1.0, channel_axis=2))
    return out


def _peer(name: str, path: Path, columns: int, *, colour: bool) -> list[str]:
    if name == "jp2a":
        return ["jp2a", f"--width={columns}"] + (["--colors", "--color-depth=24"] if colour else []) + [str(path)]
    return ["img2txt", "-W", str(columns), "-x", str(CELL_W), "-y", str(CELL_H), "-f", "utf8", str(path)]


def main() -> None:
    from skimage import data as skdata

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    (OUT / "ascii").mkdir(parents=True, exist_ok=True)
    peers = [p for p in ("jp2a", "img2txt") if shutil.which(p)]
    results: list[dict] = []
    print(f"{'image':<10} {'cols':>4} {'tool':<14} {'pixel':>6} {'viewed':>6} {'colour':>6} {'ms':>7}")
    for name in IMAGES:
        source = getattr(skdata, name)()
        if source.ndim == 2:
            source = np.stack([source] * 3, axis=-1)
        source = np.ascontiguousarray(source[..., :3])
        path = OUT / "ascii" / f"{name}.png"
        Image.fromarray(source).save(path)
        png = path.read_bytes()
        for columns in COLUMNS:
            for tool, extra in OURS.items():
                def ours(color: str = "none", extra=extra, columns=columns, png=png):
                    frame, _ = next(image_frames(png, limits=MediaLimits(), max_frames=1))
                    grid = convert_image(frame, columns=columns, color=color, **extra)
                    to_text([grid])
                    return grid

                ms = _median_ms(ours)
                grid = ours()
                ink, _ = _draw(grid.lines())
                coloured = ours("truecolor")
                from functions.ascii.output import _ansi_frame

                _, colour = _draw(*_grid_from_ansi(_ansi_frame(coloured)))
                row = {"image": name, "columns": columns, "tool": tool, "ms": ms, **_scores(ink, colour, source)}
                results.append(row)
                if columns == 160:
                    Image.fromarray((ink * 255).astype(np.uint8)).save(OUT / "ascii" / f"{name}-{tool}.png")
            for peer in peers:
                command = _peer(peer, path, columns, colour=False)
                ms = _median_ms(lambda command=command: subprocess.run(command, capture_output=True, check=True))
                text = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8", "replace")
                rows, _ = _grid_from_ansi(text)
                ink, _ = _draw(rows)
                colour_text = subprocess.run(_peer(peer, path, columns, colour=True), capture_output=True,
                                             check=True).stdout.decode("utf-8", "replace")
                _, colour = _draw(*_grid_from_ansi(colour_text))
                row = {"image": name, "columns": columns, "tool": peer, "ms": ms, **_scores(ink, colour, source)}
                results.append(row)
                if columns == 160:
                    Image.fromarray((ink * 255).astype(np.uint8)).save(OUT / "ascii" / f"{name}-{peer}.png")
            for row in results[-(len(OURS) + len(peers)):]:
                print(f"{row['image']:<10} {row['columns']:>4} {row['tool']:<14} {row['pixel']:>6.3f} "
                      f"{row['viewed']:>6.3f} {row.get('colour', float('nan')):>6.3f} {row['ms']:>7.1f}")

    print("\nmean over images")
    summary = {}
    for columns in COLUMNS:
        for tool in list(OURS) + peers:
            rows = [r for r in results if r["columns"] == columns and r["tool"] == tool]
            summary[f"{tool}@{columns}"] = {k: statistics.mean(r[k] for r in rows)
                                            for k in ("pixel", "viewed", "colour", "ms")}
            s = summary[f"{tool}@{columns}"]
            print(f"{columns:>4} {tool:<14} pixel {s['pixel']:.3f} viewed {s['viewed']:.3f} "
                  f"colour {s['colour']:.3f} {s['ms']:7.1f} ms")
    video = _video_figure()
    print(f"\nvideo: {video}")
    (OUT / "ascii.json").write_text(json.dumps({"results": results, "summary": summary, "video": video}, indent=1))


VIDEO_SECONDS, VIDEO_FPS = 10, 15
VIDEO_COLUMNS = (80, 100, 160)


def _pan_video() -> bytes:
    """10 s of 720p at 15 fps: the astronaut panned and zoomed (made once, kept in bench/out/ascii/)."""
    import imageio_ffmpeg
    from skimage import data as skdata

    path = OUT / "ascii" / "pan-720p.mp4"
    width, height = 1280, 720
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        base = np.asarray(Image.fromarray(skdata.astronaut()).resize((2048, 2048), Image.Resampling.BICUBIC))
        writer = imageio_ffmpeg.write_frames(str(path), (width, height), fps=VIDEO_FPS, codec="libx264",
                                             output_params=["-preset", "veryfast", "-crf", "23"])
        writer.send(None)
        for i in range(VIDEO_SECONDS * VIDEO_FPS):
            t = i / (VIDEO_SECONDS * VIDEO_FPS)
            zoom = 1.0 + 0.4 * np.sin(np.pi * t)
            w, h = int(width * zoom), int(height * zoom)
            x, y = int((2048 - w) * t), int((2048 - h) * (0.5 + 0.4 * np.sin(2 * np.pi * t)))
            crop = Image.fromarray(base[y:y + h, x:x + w]).resize((width, height), Image.Resampling.BILINEAR)
            writer.send(np.ascontiguousarray(np.asarray(crop)))
        writer.close()
    return path.read_bytes()


def _video_figure(columns_list=VIDEO_COLUMNS, repeat: int = 1) -> dict:
    from functions.ascii.render import render_ascii

    source = _pan_video()
    figures = {}
    for columns in columns_list:
        settings = {"columns": columns, "fps": VIDEO_FPS, "max_frames": 600}
        marks: list[float] = []
        timings = []
        for _ in range(repeat):
            marks.clear()
            start = time.perf_counter()
            result = render_ascii(source=source, settings=settings, progress=marks.append)
            timings.append(time.perf_counter() - start)
        elapsed = min(timings)
        (OUT / "ascii" / f"pan-{columns}.gif").write_bytes(
            next(f.data for f in result.files if f.name == "ascii.gif"))
        (OUT / "ascii" / f"pan-{columns}.mp4").write_bytes(
            next(f.data for f in result.files if f.name == "ascii.mp4"))
        figures[columns] = {"seconds": round(elapsed, 2), "x_realtime": round(VIDEO_SECONDS / elapsed, 2),
                            "frames": result.interpretation["frames"], "progress_marks": len(set(marks))}
    return figures


def _video_stages(columns: int) -> dict:
    """Seconds per stage of render_ascii for the pan video: decode + convert, then each output writer."""
    from functions.ascii import output
    from functions.ascii.convert import convert_options, grid_shape, sample_size
    from functions.ascii.media import video_frames, video_info
    from functions.ascii.render import OVERSAMPLE, _settings

    source = _pan_video()
    params = _settings({"columns": columns, "fps": VIDEO_FPS, "max_frames": 600})
    stages = {}
    start = time.perf_counter()
    info = video_info(source, "mp4", MediaLimits())
    rows, _ = grid_shape(info.height, info.width, columns=columns, font_aspect=params.font_aspect)
    sample_h, sample_w = sample_size(info.height, info.width, columns=columns, font_aspect=params.font_aspect,
                                     charset=params.charset, edge=params.edge)
    scale = max(1, min(OVERSAMPLE, info.width // max(sample_w, 1)))
    frames = list(video_frames(source, info, fps=params.fps, max_frames=params.max_frames,
                               size=(sample_h * scale, sample_w * scale), progress=lambda f: None))
    stages["decode"] = time.perf_counter() - start
    options = convert_options(params.model_dump())
    start = time.perf_counter()
    grids = [convert_image(rgb, rows=rows, **options) for rgb, _ in frames]
    stages["convert"] = time.perf_counter() - start
    durations = [d for _, d in frames]
    writers = {
        "txt": lambda: output.to_text(grids),
        "ans": lambda: output.to_ansi(grids),
        "html": lambda: output.to_html(grids, durations_ms=durations, background=params.background, loop=True),
        "gif": lambda: output.to_gif(grids, durations_ms=durations, background=params.background, loop=True),
        "mp4": lambda: output.to_mp4(grids, fps=params.fps, background=params.background),
    }
    for name, run in writers.items():
        start = time.perf_counter()
        run()
        stages[name] = time.perf_counter() - start
    return {name: round(value, 3) for name, value in stages.items()}


def _still_figure(columns: int = 160) -> dict:
    """Warm in-process still conversion (PNG decode + conversion + text) against jp2a's whole process."""
    from skimage import data as skdata

    (OUT / "ascii").mkdir(parents=True, exist_ok=True)
    figures = {}
    for name in IMAGES:
        source = getattr(skdata, name)()
        if source.ndim == 2:
            source = np.stack([source] * 3, axis=-1)
        path = OUT / "ascii" / f"{name}.png"
        Image.fromarray(np.ascontiguousarray(source[..., :3])).save(path)
        png = path.read_bytes()

        def ours(png=png):
            frame, _ = next(image_frames(png, limits=MediaLimits(), max_frames=1))
            to_text([convert_image(frame, columns=columns)])

        row = {"ours": _median_ms(ours, repeat=15)}
        if shutil.which("jp2a"):
            command = _peer("jp2a", path, columns, colour=False)
            row["jp2a"] = _median_ms(lambda c=command: subprocess.run(c, capture_output=True, check=True), repeat=15)
        figures[name] = {k: round(v, 2) for k, v in row.items()}
    figures["mean"] = {k: round(statistics.mean(figures[n][k] for n in IMAGES), 2) for k in figures[IMAGES[0]]}
    return figures


def speed() -> None:
    """--speed: video through render_ascii at 80/100/160 columns (total and per stage) and the still vs jp2a."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    (OUT / "ascii").mkdir(parents=True, exist_ok=True)
    still = _still_figure()
    print(f"{'still@160':<10} {'ours ms':>8} {'jp2a ms':>8}")
    for name, row in still.items():
        print(f"{name:<10} {row['ours']:>8.2f} {row.get('jp2a', float('nan')):>8.2f}")
    video = _video_figure(repeat=2)
    print(f"\nvideo {VIDEO_SECONDS} s 720p at {VIDEO_FPS} fps, one core (target: <= {VIDEO_SECONDS / 2:g} s)")
    for columns, row in video.items():
        print(f"{columns:>4} cols {row['seconds']:>6.2f} s  {row['x_realtime']:>5.2f}x real time  "
              f"{row['frames']} frames")
    print("\nstages (s)")
    for columns in VIDEO_COLUMNS:
        stages = _video_stages(columns)
        print(f"{columns:>4} cols " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()))


if __name__ == "__main__":
    if "--speed" in sys.argv[1:]:
        speed()
    else:
        main()
