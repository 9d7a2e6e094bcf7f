#!/usr/bin/env python3
"""Draws the app's icons for the web app manifest (icon-192.png, icon-512.png): a green speech
bubble on the app's dark background, inside the central 80 % so a launcher may crop the square
to a circle ("purpose": "any maskable", https://www.w3.org/TR/appmanifest/#purpose-member).
Standard library only; the output is deterministic (no time or name in the PNG), so the PNGs are
committed and this script is only run again to change them:  python3 make_icons.py"""
import struct
import zlib

BACKGROUND = (0x16, 0x16, 0x16)  # shell.html's page background
GREEN = (0x00, 0xF7, 0x82)       # Session's accent colour
SAMPLES = 4                      # per axis, for anti-aliased edges


def inside_bubble(x, y):
    """x, y in [0, 1): whether the point is green."""
    left, top, right, bottom, radius = 0.20, 0.24, 0.80, 0.66, 0.12
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    body = left <= x <= right and top <= y <= bottom and (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
    # The tail: a triangle below the body's lower left.
    ax, ay, bx, by, tx, ty = 0.30, 0.64, 0.46, 0.64, 0.27, 0.78
    d = (by - ty) * (ax - tx) + (tx - bx) * (ay - ty)
    l1 = ((by - ty) * (x - tx) + (tx - bx) * (y - ty)) / d
    l2 = ((ty - ay) * (x - tx) + (ax - tx) * (y - ty)) / d
    tail = l1 >= 0 and l2 >= 0 and l1 + l2 <= 1
    dots = any((x - dx) ** 2 + (y - 0.45) ** 2 <= 0.045 ** 2 for dx in (0.36, 0.50, 0.64))
    return (body or tail) and not dots


def png(size):
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            hits = sum(inside_bubble((px + (sx + 0.5) / SAMPLES) / size,
                                     (py + (sy + 0.5) / SAMPLES) / size)
                       for sx in range(SAMPLES) for sy in range(SAMPLES))
            a = hits / (SAMPLES * SAMPLES)
            row += bytes(round(b + (g - b) * a) for b, g in zip(BACKGROUND, GREEN))
        rows.append(bytes(row))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    for size in (192, 512):
        with open("icon-%d.png" % size, "wb") as f:
            f.write(png(size))
