"""Time and peak memory of the upload validator on good files and on crafted archives.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/uploads.py [--runs 20]

Prints, per file: its size, what the validator said, the median and worst wall time over the runs,
and the peak of Python memory allocated while checking (tracemalloc).
"""

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from cms.uploads.validators import validate_upload  # noqa: E402
from tests.inputs.archives import archive, inflating_archive, odt_bytes, stored  # noqa: E402


def docx(paragraphs: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as opened:
        opened.writestr("[Content_Types].xml", "<Types/>")
        opened.writestr("word/document.xml", "<w:p>Biodiversity report paragraph.</w:p>" * paragraphs)
    return buffer.getvalue()


def check(name: str, content: bytes) -> tuple[str, float, int]:
    uploaded = SimpleUploadedFile(name, content)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        validate_upload(uploaded)
        verdict = "accepted"
    except ValidationError as error:
        verdict = f"refused ({error.code})"
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return verdict, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    cases = [
        ("report.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024)),
        ("notes.odt", odt_bytes()),
        ("report.docx", docx(200_000)),
        ("bomb-2GiB.odt", inflating_archive(pieces=128)),
        ("many-members.zip", archive(*[stored(f"m{index}", b"") for index in range(6000)])),
    ]
    print(f"{'file':<18} {'size':>10}  {'verdict':<20} {'median ms':>10} {'max ms':>8} {'peak KiB':>9}")
    for name, content in cases:
        check(name, content)  # warm-up: imports and translation catalogues
        results = [check(name, content) for _ in range(runs)]
        times = [elapsed * 1000 for _verdict, elapsed, _peak in results]
        peak = max(peak for *_rest, peak in results)
        print(
            f"{name:<18} {len(content):>10}  {results[0][0]:<20} {statistics.median(times):>10.2f} "
            f"{max(times):>8.2f} {peak / 1024:>9.1f}"
        )


if __name__ == "__main__":
    main()
