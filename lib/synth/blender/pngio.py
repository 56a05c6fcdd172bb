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


def strip_metadata(data):
    """Drop text metadata Blender/Cycles writes into images (render times differ run to run): JPEG COM
    segments, PNG tEXt/zTXt/iTXt chunks. Pixels are untouched, so identical renders give identical bytes."""
    if data[:2] == b'\xff\xd8':
        out, i = bytearray(b'\xff\xd8'), 2
        while i + 4 <= len(data) and data[i] == 0xFF:
            marker = data[i + 1]
            if marker == 0xDA:  # start of scan: the rest is entropy-coded data
                out += data[i:]
                return bytes(out)
            seg_len = struct.unpack('>H', data[i + 2:i + 4])[0]
            if marker != 0xFE:
                out += data[i:i + 2 + seg_len]
            i += 2 + seg_len
        out += data[i:]
        return bytes(out)
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        out, i = bytearray(data[:8]), 8
        while i + 8 <= len(data):
            n = struct.unpack('>I', data[i:i + 4])[0]
            tag = data[i + 4:i + 8]
            if tag not in (b'tEXt', b'zTXt', b'iTXt'):
                out += data[i:i + 12 + n]
            i += 12 + n
        return bytes(out)
    return data
