"""Which rows and columns of a small PNG hold opaque pixels, decoded in pure Python (zlib and the PNG
row filters), so the API, which ships without an imaging library, can look at an uploaded sprite."""
from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
MAX_PIXELS = 256 * 256


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> list[bytearray]:
    rows, previous, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upper_left = previous[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, previous[i], upper_left)) & 0xFF
        rows.append(line)
        previous = line
    return rows


def opaque_rows_and_columns(data: bytes) -> tuple[list[bool], list[bool]] | None:
    """(columns, rows) occupancy, alpha ≥ 128 counting as opaque (an image without transparency: its
    corner colour is the background, as the worker reads it). None: not a PNG this reader handles
    (16-bit, interlaced, larger than 256×256 px)."""
    if not data.startswith(SIGNATURE):
        return None
    pos, idat, trns, header = 8, [], b"", None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        return None
    width, height, depth, colour, _, _, interlace = header
    packed = depth in (1, 2, 4) and colour in (0, 3)  # several pixels to a byte: indexed and grey art
    if not (depth == 8 or packed) or interlace or colour not in CHANNELS or width * height > MAX_PIXELS:
        return None
    bpp = CHANNELS[colour]
    stride = (width * depth + 7) // 8 if packed else width * bpp
    try:
        rows = _unfilter(zlib.decompress(b"".join(idat)), height, stride, 1 if packed else bpp)
    except (zlib.error, IndexError):
        return None
    if packed:
        per_byte, mask = 8 // depth, (1 << depth) - 1
        rows = [bytearray((line[x // per_byte] >> (8 - depth * (x % per_byte + 1))) & mask for x in range(width))
                for line in rows]
        bpp = 1
    columns, occupied_rows = [False] * width, [False] * height
    background = bytes(rows[0][:bpp]) if colour in (0, 2) or (colour == 3 and not trns) else None
    for y, line in enumerate(rows):
        for x in range(width):
            pixel = line[x * bpp:(x + 1) * bpp]
            if colour == 6:
                opaque = pixel[3] >= 128
            elif colour == 4:
                opaque = pixel[1] >= 128
            elif colour == 3 and trns:
                opaque = (trns[pixel[0]] if pixel[0] < len(trns) else 255) >= 128
            else:
                opaque = bytes(pixel) != background
            if opaque:
                columns[x] = occupied_rows[y] = True
    return columns, occupied_rows
