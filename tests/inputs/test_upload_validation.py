"""The one upload validator: count, size, kind, content, and archives looked into within limits.

A crafted ``.odt`` of about 2 MB whose ``mimetype`` member inflates to 2 GiB is refused from its
headers, with memory bounded (measured with tracemalloc; its speed is printed by bench/uploads.py);
members are read in chunks up to a limit even when the declared sizes lie.
"""

import io
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cms.uploads.archives import ArchiveLimits, ArchiveRefused, check_archive, directory_summary, read_member
from cms.uploads.validators import validate_upload, validate_upload_count

from .archives import ODT_MIMETYPE, archive, deflated, inflating_archive, odt_bytes, stored, zeros_member

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LIMITS = ArchiveLimits(
    max_members=50, max_directory_bytes=64 * 1024, max_total_size=64 * 1024 * 1024, max_ratio=200, ratio_above=1024**2
)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name, content, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content), **kwargs)
    return caught.value


def test_the_crafted_archive_really_inflates_and_is_well_formed():
    small = inflating_archive(pieces=2)  # the same construction, 32 MiB inflated

    with zipfile.ZipFile(io.BytesIO(small)) as opened:
        assert opened.testzip() is None  # every CRC is right: the data inflates as declared
        assert opened.getinfo("mimetype").file_size == 32 * 1024 * 1024
        assert opened.read("content.xml") == b"<office:document-content/>"


def test_a_two_gigabyte_odt_is_refused_from_its_headers_with_bounded_memory(two_gigabyte_odt):
    assert len(two_gigabyte_odt) < 2_200_000
    with zipfile.ZipFile(io.BytesIO(two_gigabyte_odt)) as opened:
        assert opened.getinfo("mimetype").file_size == 2 * 1024**3
    uploaded = upload("report.odt", two_gigabyte_odt)
    refusal("warm-up.odt", two_gigabyte_odt)  # catalogues and modules loaded before measuring

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            validate_upload(uploaded)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.code == "archive"
    assert "“report.odt” would expand to more than 200.0\xa0MB; it was refused." in caught.value.messages
    assert peak < 1024 * 1024  # the archive was never inflated: under 1 MB held while checking


def test_a_member_compressed_beyond_the_ratio_is_refused_even_under_the_total():
    content = archive(zeros_member("mimetype", 1, prefix=ODT_MIMETYPE))  # 16 MiB from ~16 KB: ratio ~1000

    with pytest.raises(ArchiveRefused) as caught:
        check_archive(io.BytesIO(content), LIMITS)
    assert caught.value.reason == "ratio"
    assert "compressed far more than real documents" in refusal("notes.odt", content).messages[0]


def test_too_many_members_are_refused_before_the_directory_is_parsed():
    members = [stored(f"m{index}.xml", b"<x/>") for index in range(60)]
    content = archive(stored("mimetype", ODT_MIMETYPE), *members)

    assert directory_summary(io.BytesIO(content))[0] == 61
    with pytest.raises(ArchiveRefused) as caught:
        check_archive(io.BytesIO(content), LIMITS)
    assert caught.value.reason == "members"
    with override_settings(UPLOAD_ARCHIVE_MAX_MEMBERS=50):
        assert "holds 61 files; an archive may hold 50 at most" in refusal("many.odt", content).messages[0]


def test_an_oversized_central_directory_is_refused():
    members = [stored(f"{'long-name-' * 20}{index}.xml", b"") for index in range(40)]

    with pytest.raises(ArchiveRefused) as caught:
        check_archive(io.BytesIO(archive(*members)), ArchiveLimits(50, 4096, 10**9, 200, 1024**2))
    assert caught.value.reason == "directory"


def test_a_member_that_lies_about_its_size_is_read_only_up_to_the_limit():
    name, data, method, _crc, csize, _usize = zeros_member("mimetype", 1, prefix=ODT_MIMETYPE)
    first = ODT_MIMETYPE + bytes(100 - len(ODT_MIMETYPE))
    lying = archive((name, data, method, zlib.crc32(first), csize, 100))  # declares 100 bytes, holds 16 MiB

    assert read_member(io.BytesIO(lying), "mimetype", 10_000) == first
    honest = archive(zeros_member("mimetype", 1, prefix=ODT_MIMETYPE))
    assert len(read_member(io.BytesIO(honest), "mimetype", 256)) == 256  # 256 bytes read, not 16 MiB


def test_a_small_repetitive_member_is_not_taken_for_a_bomb():
    repetitive = archive(deflated("content.xml", b"<row>same</row>" * 300_000))  # 4.5 MB at ratio ~800

    assert check_archive(io.BytesIO(repetitive), LIMITS.__class__(50, 65536, 64 * 1024**2, 200)) == {"content.xml"}


def test_a_real_odt_docx_and_zip_pass():
    validate_upload(upload("notes.odt", odt_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as opened:
        opened.writestr("[Content_Types].xml", "<Types/>")
        opened.writestr("word/document.xml", "<document>" + "text " * 2000 + "</document>")
    validate_upload(upload("report.docx", buffer.getvalue()))
    validate_upload(upload("data.zip", archive(deflated("a.csv", b"a,b\n1,2\n"))))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 64, "content"),  # a program renamed
        ("report.odt", archive(stored("mimetype", b"application/zip")), "content"),
        ("report.odt", b"PK\x03\x04 not really an archive", "content"),
        ("sheet.xlsx", PDF, "content"),
        ("notes.txt", b"\x00\x01\x02binary", "content"),
        ("script.sh", b"#!/bin/sh\n", "extension"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_kinds_are_refused_by_content(name, content, code):
    assert refusal(name, content).code == code


def test_oversized_files_are_refused_before_their_content_is_read():
    error = refusal("big.pdf", PDF + b"0" * 2048, max_size=1024)
    assert error.code == "size"
    assert "“big.pdf” is 2.1\xa0KB; files may be 1.0\xa0KB at most." in error.messages


def test_more_than_ten_files_at_once_are_refused():
    validate_upload_count(10)
    with pytest.raises(ValidationError) as caught:
        validate_upload_count(11)
    assert caught.value.messages == ["11 files were sent; 10 files at most can be added at once, so none was kept."]
