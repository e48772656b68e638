import io
import json
import re
import struct
import zlib
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from functions.ascii.media import MediaLimits, sniff
from functions.ascii.render import render_ascii
from functions.common.errors import RenderFailed


def _png(size=(160, 120)) -> bytes:
    y, x = np.mgrid[0:size[1], 0:size[0]]
    rgb = np.stack([x * 255 // size[0], y * 255 // size[1], np.full_like(x, 128)], axis=-1).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return buffer.getvalue()


def _gif(durations=(80, 150, 230)) -> bytes:
    frames = []
    for i, _ in enumerate(durations):
        image = np.zeros((64, 96, 3), dtype=np.uint8)
        image[:, i * 30:i * 30 + 30] = 255
        frames.append(Image.fromarray(image))
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=list(durations), loop=0)
    return buffer.getvalue()


def _video(tmp_path, seconds=1.0, fps=10, size=(128, 96)) -> bytes:
    import imageio_ffmpeg

    path = str(tmp_path / "clip.mp4")
    writer = imageio_ffmpeg.write_frames(path, size, fps=fps, codec="libx264", macro_block_size=16,
                                         ffmpeg_log_level="error")
    writer.send(None)
    for i in range(int(seconds * fps)):
        frame = np.zeros((size[1], size[0], 3), dtype=np.uint8)
        frame[:, (i * 10) % size[0]:(i * 10) % size[0] + 24] = (255, 200, 50)
        writer.send(frame)
    writer.close()
    return open(path, "rb").read()


def _files(result):
    return {f.name: f for f in result.files}


class _Pres(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.frames.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "pre":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.frames[-1] += data


def test_sniff_uses_bytes_not_names(tmp_path):
    assert sniff(_png()) == "png"
    assert sniff(_gif()) == "gif"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    assert sniff(buffer.getvalue()) == "jpeg"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="WEBP")
    assert sniff(buffer.getvalue()) == "webp"
    assert sniff(b"\x00\x00\x00\x18ftypqt  \x00\x00\x00\x00") == "mov"
    assert sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm") == "webm"
    assert sniff(b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n") == "obj"
    with pytest.raises(RenderFailed) as error:
        sniff(b"%PDF-1.7 not an image")
    assert error.value.code == "unsupported_media"


def test_png_claimed_as_mp4_is_converted_as_png(tmp_path):
    (tmp_path / "upload.mp4").write_bytes(_png())           # the name lies; only the bytes count
    result = render_ascii(source=(tmp_path / "upload.mp4").read_bytes(), settings={"columns": 40})
    assert result.interpretation["media"] == "png"
    assert "ascii.mp4" not in _files(result)


def test_still_image_outputs_agree():
    result = render_ascii(source=_png(), settings={"columns": 40, "color": "truecolor"})
    files = _files(result)
    assert set(files) == {"ascii.txt", "ascii.ans", "ascii.html", "ascii.gif", "ascii.json"}
    meta = json.loads(files["ascii.json"].data)
    rows = meta["rows"]
    assert meta["columns"] == 40 and rows == round(120 / (160 / 40 / 0.5))
    text = files["ascii.txt"].data.decode()
    assert [len(line) for line in text.rstrip("\n").split("\n")] == [40] * rows
    parser = _Pres()
    parser.feed(files["ascii.html"].data.decode())
    assert len(parser.frames) == 1 and parser.frames[0].split("\n") == text.rstrip("\n").split("\n")
    ansi = re.sub(r"\x1b\[[0-9;]*m", "", files["ascii.ans"].data.decode()).rstrip("\n").split("\n")
    assert ansi == text.rstrip("\n").split("\n")
    gif = Image.open(io.BytesIO(files["ascii.gif"].data))
    assert gif.size == (40 * 6, rows * 12)


def test_output_bytes_are_deterministic():
    a = render_ascii(source=_gif(), settings={"columns": 30})
    b = render_ascii(source=_gif(), settings={"columns": 30})
    assert [f.data for f in a.files] == [f.data for f in b.files]


def test_animated_gif_keeps_frames_and_durations():
    durations = (80, 150, 230)
    result = render_ascii(source=_gif(durations), settings={"columns": 24, "loop": True})
    files = _files(result)
    gif = Image.open(io.BytesIO(files["ascii.gif"].data))
    assert gif.n_frames == 3
    seen = []
    for index in range(gif.n_frames):
        gif.seek(index)
        seen.append(gif.info["duration"])
    assert tuple(seen) == durations
    assert json.loads(files["ascii.json"].data)["durations_ms"] == list(durations)
    html = files["ascii.html"].data.decode()
    parser = _Pres()
    parser.feed(html)
    assert len(parser.frames) == 3 and "<script>" in html and "[80, 150, 230]" in html
    frames = files["ascii.txt"].data.decode().split("\f\n")
    assert len(frames) == 3 and len(set(frames)) == 3     # the moving bar changes every frame


def test_max_frames_truncates_animations():
    result = render_ascii(source=_gif(), settings={"columns": 24, "max_frames": 2})
    assert result.interpretation["frames"] == 2 and result.interpretation["truncated"] is True


def test_truncated_png_is_invalid_media():
    data = _png()
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=data[: len(data) // 2], settings={})
    assert error.value.code == "invalid_media"


def test_decompression_bomb_header_is_too_large_without_decoding():
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
    bomb = b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=bomb, settings={})
    assert error.value.code == "too_large"
    # Below Pillow's own bomb limit, our cap still refuses before decoding.
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=_png((160, 120)), settings={}, limits=MediaLimits(max_pixels=10_000))
    assert error.value.code == "too_large"


def test_bytes_cap():
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=_png(), settings={}, limits=MediaLimits(max_bytes=100))
    assert error.value.code == "too_large"


def test_video_converts_with_mp4_and_moving_progress(tmp_path):
    marks = []
    result = render_ascii(source=_video(tmp_path), settings={"columns": 32, "fps": 5}, progress=marks.append)
    files = _files(result)
    assert result.interpretation["media"] == "mp4"
    assert result.interpretation["frames"] == 5
    assert "ascii.mp4" in files and files["ascii.mp4"].data[4:8] == b"ftyp"
    assert json.loads(files["ascii.json"].data)["durations_ms"] == [200] * 5
    assert len(set(marks)) >= 5 and marks == sorted(marks) and marks[-1] == 1.0
    gif = Image.open(io.BytesIO(files["ascii.gif"].data))
    assert gif.n_frames == 5


def test_video_longer_than_cap_is_too_long(tmp_path):
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=_video(tmp_path), settings={}, limits=MediaLimits(max_duration_s=0.5))
    assert error.value.code == "too_long"


def test_corrupt_video_is_invalid_media(tmp_path):
    data = _video(tmp_path)
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=data[:200], settings={})
    assert error.value.code == "invalid_media"


def _cube(kind: str) -> bytes:
    import trimesh

    return trimesh.creation.box(extents=(1, 1, 1)).export(file_type=kind)


@pytest.mark.parametrize("kind", ["obj", "glb"])
def test_3d_model_becomes_a_turntable(kind):
    data = _cube(kind)
    data = data.encode() if isinstance(data, str) else data
    result = render_ascii(source=data, settings={"columns": 30, "fps": 4, "max_frames": 6})
    assert result.interpretation["media"] == kind and result.interpretation["frames"] == 6
    frames = _files(result)["ascii.txt"].data.decode().split("\f\n")
    assert all(frame.strip() for frame in frames)
    # The cube sits in the middle: the border columns stay empty, the centre is drawn.
    first = frames[0].rstrip("\n").split("\n")
    assert all(line[0] == " " for line in first) and any(line[15] != " " for line in first)
    assert len(set(frames)) > 1                                        # it turns


def test_obj_without_faces_is_invalid_media():
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=b"v 0 0 0\nv 1 0 0\nv 0 1 0\n", settings={})
    assert error.value.code == "invalid_media"


def test_bad_settings_fail_cleanly():
    with pytest.raises(RenderFailed) as error:
        render_ascii(source=_png(), settings={"columns": 5})
    assert error.value.code == "invalid_request"


def test_video_gif_and_mp4_keep_every_frame(tmp_path):
    import imageio_ffmpeg

    result = render_ascii(source=_video(tmp_path, seconds=1.0, fps=10), settings={"columns": 32, "fps": 10})
    files = _files(result)
    frames = result.interpretation["frames"]
    gif = Image.open(io.BytesIO(files["ascii.gif"].data))
    assert gif.n_frames == frames and gif.info["duration"] == 100
    path = tmp_path / "out.mp4"
    path.write_bytes(files["ascii.mp4"].data)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    assert tuple(meta["size"]) == (files["ascii.mp4"].width, files["ascii.mp4"].height)
    assert sum(1 for _ in reader) == frames
