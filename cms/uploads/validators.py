"""The one check every uploaded file passes before it is stored: count, size, kind, and content.

An extension alone proves nothing (an ``.exe`` renamed ``.pdf`` keeps its ``MZ`` header), so each
allowed extension is matched against the file's own signature; ZIP-based formats are looked into
through :mod:`cms.uploads.archives`, whose limits keep a crafted archive from inflating in the web
process. The workspace's record form and the Wagtail admin's document forms both call
:func:`validate_upload`, so that there is one rule for what may be stored.
"""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .archives import ArchiveLimits, ArchiveRefused, check_archive, read_member

# Office Open XML and OpenDocument files are ZIP archives; these members tell them apart.
ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
OPENDOCUMENT_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ZIP_EXTENSIONS = {*ZIP_MEMBERS, *OPENDOCUMENT_MIMETYPES, "zip"}
TEXT_EXTENSIONS = {"txt", "csv"}
# Signatures of programs and scripts: never accepted, whatever their name.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"#!")
SNIFF_BYTES = 8192
MIMETYPE_READ_LIMIT = 256


def allowed_extensions() -> list[str]:
    return [ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or ["pdf"]]


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def max_files() -> int:
    return settings.UPLOAD_MAX_FILES


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine; anything else is not text.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _archive_message(name: str, refused: ArchiveRefused) -> str:
    if refused.reason == "members":
        return _("“%(name)s” holds %(count)s files; an archive may hold %(limit)s at most.") % {
            "name": name,
            "count": refused.details["count"],
            "limit": refused.details["limit"],
        }
    if refused.reason in ("total", "directory"):
        return _("“%(name)s” would expand to more than %(limit)s; it was refused.") % {
            "name": name,
            "limit": filesizeformat(ArchiveLimits.from_settings().max_total_size),
        }
    if refused.reason == "ratio":
        return _(
            "“%(name)s” is compressed far more than real documents are (over %(ratio)s times); it was refused."
        ) % {"name": name, "ratio": refused.details["limit"]}
    return ""


def _content_matches(uploaded, extension: str, head: bytes, names: set[str] | None) -> bool:
    if extension in TEXT_EXTENSIONS:
        return _is_text(head)
    if extension == "rtf":
        return head.startswith(b"{\\rtf")
    if extension == "pdf":
        return head.lstrip()[:5] == b"%PDF-"
    if extension in ZIP_MEMBERS:
        return names is not None and ZIP_MEMBERS[extension] in names
    if extension in OPENDOCUMENT_MIMETYPES:
        if names is None or "mimetype" not in names:
            return False
        declared = read_member(uploaded, "mimetype", MIMETYPE_READ_LIMIT).strip()
        return declared == OPENDOCUMENT_MIMETYPES[extension].encode()
    if extension == "zip":
        return names is not None
    guessed = filetype.guess_extension(head)
    return guessed == extension or (extension == "jpeg" and guessed == "jpg")


def validate_upload(uploaded, *, max_size: int | None = None, allowed: list[str] | None = None) -> None:
    """Raise a ``ValidationError`` that names the file and says what is wrong with it; store nothing."""
    name = str(uploaded.name or "").rsplit("/", 1)[-1]
    extension = extension_of(name)
    allowed = allowed if allowed is not None else allowed_extensions()
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)},
            code="extension",
        )
    limit = max_size or settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be %(limit)s at most.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    head = _head(uploaded)
    names = None
    if extension in ZIP_EXTENSIONS and not head.startswith(EXECUTABLE_SIGNATURES):
        try:
            names = check_archive(uploaded)
        except ArchiveRefused as refused:
            message = _archive_message(name, refused)
            if message:
                raise ValidationError(message, code="archive") from refused
    if head.startswith(EXECUTABLE_SIGNATURES) or not _content_matches(uploaded, extension, head, names):
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (.%(extension)s). Export it again in that format.")
            % {"name": name, "extension": extension},
            code="content",
        )


def validate_upload_count(count: int, limit: int | None = None) -> None:
    """Refuse a set of ``count`` files larger than ``limit`` (``UPLOAD_MAX_FILES``) before any is looked at."""
    limit = limit if limit is not None else max_files()
    if count > limit:
        raise ValidationError(
            ngettext(
                "%(count)s files were sent; %(limit)s file at most can be added at once, so none was kept.",
                "%(count)s files were sent; %(limit)s files at most can be added at once, so none was kept.",
                limit,
            )
            % {"count": count, "limit": limit},
            code="count",
        )
