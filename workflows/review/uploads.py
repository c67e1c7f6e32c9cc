"""Checks on files people attach to their records: the extension, what the bytes really are, the size.

An extension alone proves nothing (an ``.exe`` renamed ``.pdf`` keeps its ``MZ`` header), so each
allowed extension is matched against the file's own signature before anything is stored.
"""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
TEXT_EXTENSIONS = {"txt", "csv"}
# Signatures of programs and scripts: never accepted, whatever their name.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"#!")
SNIFF_BYTES = 8192
MAX_ATTACHMENTS = 10


def allowed_extensions() -> list[str]:
    return [ext.lower() for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or ["pdf"]]


def max_upload_size() -> int:
    return getattr(settings, "REVIEW_ATTACHMENT_MAX_SIZE", None) or settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    return head


def _zip_names(uploaded) -> set[str] | None:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)


def _zip_member(uploaded, member: str) -> bytes:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            return archive.read(member)[:200]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return b""
    finally:
        uploaded.seek(0)


def _content_matches(uploaded, extension: str, head: bytes) -> bool:
    if extension in TEXT_EXTENSIONS:
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
    if extension == "rtf":
        return head.startswith(b"{\\rtf")
    if extension == "pdf":
        return head.lstrip()[:5] == b"%PDF-"
    if extension in ZIP_MEMBERS:
        names = _zip_names(uploaded)
        return names is not None and ZIP_MEMBERS[extension] in names
    if extension in OPENDOCUMENT_MIMETYPES:
        return _zip_member(uploaded, "mimetype").strip() == OPENDOCUMENT_MIMETYPES[extension].encode()
    if extension == "zip":
        return _zip_names(uploaded) is not None
    guessed = filetype.guess_extension(head)
    return guessed == extension


def validate_attachment(uploaded) -> None:
    """Raise a ``ValidationError`` that names the file and says what is wrong with it."""
    name = uploaded.name
    extension = extension_of(name)
    allowed = allowed_extensions()
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)},
            code="extension",
        )
    limit = max_upload_size()
    if uploaded.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be %(limit)s at most.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    head = _head(uploaded)
    if head.startswith(EXECUTABLE_SIGNATURES) or not _content_matches(uploaded, extension, head):
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (.%(extension)s). Export it again in that format.")
            % {"name": name, "extension": extension},
            code="content",
        )
