"""``manage.py import_records <file> --user <username>``: the admin's import, for files too long to wait for.

The same checks as the admin (the file's kind and limits, every row through the record form, the
person's reach), the same report of problems, and the same writing in one transaction, with a
progress bar. ``--dry-run`` stops after the report.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from cms.uploads.validators import extension_of, validate_upload
from interop.transfer.forms import IMPORT_EXTENSIONS, IMPORT_MAX_SIZE
from interop.transfer.importer import Mode, ReportChanged, check, may_import, may_publish_directly, write
from interop.transfer.reading import UnreadableFile, read_sheet


class Command(BaseCommand):
    help = "Import records from a CSV or XLSX file as an editor: submitted for review, or published directly."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or XLSX file (the columns of the admin's templates)")
        parser.add_argument("--user", required=True, help="The editor the records are imported as")
        parser.add_argument("--publish", action="store_true", help="Publish directly instead of submitting")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar or lines")

    def handle(self, path, user, publish=False, dry_run=False, no_progress=False, **options):
        person = get_user_model().objects.filter(username=user, is_active=True).first()
        if person is None or not may_import(person):
            raise CommandError(f"{user} is not an active editor or administrator: only they may import records.")
        mode = Mode.PUBLISH if publish else Mode.REVIEW
        if publish and not may_publish_directly(person):
            raise CommandError(f"{user} may not publish records directly; import them for review instead.")
        location = Path(path)
        if not location.is_file():
            raise CommandError(f"No such file: {path}")
        with location.open("rb") as stream:
            try:
                validate_upload(File(stream, name=location.name), max_size=IMPORT_MAX_SIZE, allowed=IMPORT_EXTENSIONS)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            stream.seek(0)
            raw = stream.read()
        try:
            sheet = read_sheet(raw, extension_of(location.name))
            report, _context = check(sheet, person, mode)
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        if report.file_error:
            raise CommandError(report.file_error)
        for warning in report.warnings:
            self.stderr.write(warning)
        for number, column, message in report.problems:
            self.stdout.write(f"row {number}, {column or '-'}: {message}")
        self.stdout.write(f"to create {report.created}, to update {report.updated}, skipped {report.skipped}")
        if dry_run or not report.writable:
            self.stdout.write("Nothing was written.")
            return
        progress, close = self._progress(no_progress, report.writable)
        try:
            _report, written = write(sheet, person, mode, report.signature(), progress=progress)
        except ReportChanged as error:
            raise CommandError("Records changed while the file was checked; run the import again.") from error
        finally:
            close()
        self.stdout.write(f"Written: {len(written)} ({'published' if publish else 'submitted for review'}).")

    def _progress(self, quiet: bool, total: int):
        if quiet:
            return None, lambda: None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=total, unit="record", desc="import")
            return (lambda done, _total: bar.update(1)), bar.close

        def line(done, total):
            if done % 100 == 0 or done == total:
                self.stderr.write(f"import: {done}/{total} records")

        return line, lambda: None
