"""Looking inside ZIP-based files (OpenDocument, Office Open XML, plain ZIP) without trusting them.

A crafted archive can declare a million members, or a member that inflates a thousandfold. The end
of the central directory is read first, by hand, so that an archive with too many members or an
oversized directory is refused before :mod:`zipfile` parses anything; then each member's declared
sizes are checked (total and ratio); and whatever is read from a member is read in chunks up to a
limit, so that memory stays bounded even when the declared sizes lie.
"""

import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings

EOCD_SIGNATURE = b"PK\x05\x06"
EOCD_SIZE = 22
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
ZIP64_EOCD_SIZE = 56
MAX_COMMENT = 0xFFFF
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an archive may hold; defaults from ``UPLOAD_ARCHIVE_*`` settings."""

    max_members: int
    max_directory_bytes: int
    max_total_size: int
    max_ratio: int
    ratio_above: int = 10 * 1024 * 1024  # smaller members may be as repetitive as they like

    @classmethod
    def from_settings(cls) -> "ArchiveLimits":
        return cls(
            max_members=settings.UPLOAD_ARCHIVE_MAX_MEMBERS,
            max_directory_bytes=settings.UPLOAD_ARCHIVE_MAX_DIRECTORY_BYTES,
            max_total_size=settings.UPLOAD_ARCHIVE_MAX_TOTAL_SIZE,
            max_ratio=settings.UPLOAD_ARCHIVE_MAX_RATIO,
            ratio_above=settings.UPLOAD_ARCHIVE_RATIO_ABOVE,
        )


class ArchiveRefused(Exception):
    """The archive is not readable, or holds more than the limits allow; ``reason`` says which."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


def _file_size(stream) -> int:
    stream.seek(0, 2)
    return stream.tell()


def directory_summary(stream) -> tuple[int, int]:
    """(member count, central directory size in bytes) from the end records, without parsing the directory.

    Raises :class:`ArchiveRefused` ("not_zip") when no end record is found.
    """
    size = _file_size(stream)
    tail_length = min(size, EOCD_SIZE + MAX_COMMENT)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    position = tail.rfind(EOCD_SIGNATURE)
    if position < 0 or len(tail) - position < EOCD_SIZE:
        raise ArchiveRefused("not_zip")
    (_sig, _disk, _cd_disk, _entries_here, entries, cd_size, _cd_offset, _comment) = struct.unpack(
        "<4s4H2LH", tail[position : position + EOCD_SIZE]
    )
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator_at = size - tail_length + position - ZIP64_LOCATOR_SIZE
        if locator_at < 0:
            raise ArchiveRefused("not_zip")
        stream.seek(locator_at)
        locator = stream.read(ZIP64_LOCATOR_SIZE)
        if len(locator) < ZIP64_LOCATOR_SIZE or locator[:4] != ZIP64_LOCATOR_SIGNATURE:
            raise ArchiveRefused("not_zip")
        (record_at,) = struct.unpack("<Q", locator[8:16])
        if record_at > size - ZIP64_EOCD_SIZE:
            raise ArchiveRefused("not_zip")
        stream.seek(record_at)
        record = stream.read(ZIP64_EOCD_SIZE)
        if record[:4] != ZIP64_EOCD_SIGNATURE:
            raise ArchiveRefused("not_zip")
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    return entries, cd_size


def check_archive(stream, limits: ArchiveLimits | None = None) -> set[str]:
    """The member names of a ZIP archive that stays within ``limits``; :class:`ArchiveRefused` otherwise.

    Reasons: ``not_zip``, ``members`` (too many), ``directory`` (central directory too large),
    ``total`` (declared uncompressed total too large), ``ratio`` (a large member, or the whole, inflates too much).
    """
    limits = limits or ArchiveLimits.from_settings()
    try:
        entries, cd_size = directory_summary(stream)
        if entries > limits.max_members:
            raise ArchiveRefused("members", count=entries, limit=limits.max_members)
        if cd_size > limits.max_directory_bytes:
            raise ArchiveRefused("directory", size=cd_size, limit=limits.max_directory_bytes)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as error:
        raise ArchiveRefused("not_zip") from error
    finally:
        stream.seek(0)
    if len(members) > limits.max_members:
        raise ArchiveRefused("members", count=len(members), limit=limits.max_members)
    total = compressed = 0
    for member in members:
        total += member.file_size
        compressed += member.compress_size
        if member.file_size > limits.max_total_size or total > limits.max_total_size:
            raise ArchiveRefused("total", size=total, limit=limits.max_total_size)
        if member.file_size > limits.ratio_above and member.file_size > max(member.compress_size, 1) * limits.max_ratio:
            raise ArchiveRefused("ratio", member=member.filename, limit=limits.max_ratio)
    if total > limits.ratio_above and total > max(compressed, 1) * limits.max_ratio:
        raise ArchiveRefused("ratio", member="", limit=limits.max_ratio)
    return {member.filename for member in members}


def read_member(stream, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of member ``name``, inflated chunk by chunk (b"" when it is missing or broken).

    Never more than ``limit`` + one chunk is held, whatever the member's real or declared size.
    """
    chunks, held = [], 0
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive, archive.open(name) as member:
            while held < limit:
                chunk = member.read(min(READ_CHUNK, limit - held))
                if not chunk:
                    break
                chunks.append(chunk)
                held += len(chunk)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return b""
    finally:
        stream.seek(0)
    return b"".join(chunks)
