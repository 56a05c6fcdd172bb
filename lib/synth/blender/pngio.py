"""Minimal 8-bit grayscale PNG writer (Blender's Python has no PIL), atomic."""
import os
import struct
import zlib


def _chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)


def encode_gray8(rows_bytes, width, height):
    """rows_bytes: bytes of length width*height, row-major from the top."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        raw += rows_bytes[y * width:(y + 1) * width]
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', ihdr) + _chunk(b'IDAT', zlib.compress(bytes(raw), 6)) + _chunk(b'IEND', b'')


def write_atomic(path, data):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)
