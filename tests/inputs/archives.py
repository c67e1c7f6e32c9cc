"""Crafted archives for the upload tests: real ZIP files, written byte by byte.

:func:`inflating_archive` makes a file that truly inflates to gigabytes from a few megabytes, quickly:
deflate output after a full flush does not depend on what came before, so one compressed piece of
16 MiB of zeros is repeated as many times as needed.
"""

import struct
import zlib

PIECE = 16 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip(members: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """(name, compressed data, method, crc, compressed size, uncompressed size) → the archive's bytes."""
    local, central, offset = [], [], 0
    for name, data, method, crc, csize, usize in members:
        encoded = name.encode()
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, csize, usize, len(encoded), 0)
        local.append(header + encoded + data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                csize,
                usize,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
        offset += len(header) + len(encoded) + len(data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(local) + directory + end


def stored(name: str, content: bytes):
    return (name, content, 0, zlib.crc32(content), len(content), len(content))


def deflated(name: str, content: bytes):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return (name, data, 8, zlib.crc32(content), len(data), len(content))


def zeros_member(name: str, pieces: int, prefix: bytes = b""):
    """A deflated member of ``prefix`` then zeros, ``pieces`` × 16 MiB long in all, CRC and sizes true."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(prefix + bytes(PIECE - len(prefix))) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(PIECE)) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = first + repeated * (pieces - 1) + compressor.flush()
    crc = zlib.crc32(prefix + bytes(PIECE - len(prefix)))
    zeros = bytes(PIECE)
    for _ in range(pieces - 1):
        crc = zlib.crc32(zeros, crc)
    return (name, data, 8, crc, len(data), pieces * PIECE)


def inflating_archive(pieces: int = 128) -> bytes:
    """An ``.odt`` whose ``mimetype`` member inflates to ``pieces`` × 16 MiB (128: 2 GiB from ~2 MB)."""
    return _zip(
        [
            zeros_member("mimetype", pieces, prefix=ODT_MIMETYPE),
            deflated("content.xml", b"<office:document-content/>"),
        ]
    )


def archive(*members) -> bytes:
    return _zip(list(members))


def odt_bytes() -> bytes:
    return archive(stored("mimetype", ODT_MIMETYPE), deflated("content.xml", b"<office:document-content/>"))
