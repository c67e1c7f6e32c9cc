"""Reading an uploaded CSV or XLSX file into rows of text, bounded, with a clear message when it cannot be.

The file has already passed :func:`cms.uploads.validators.validate_upload` (size, kind, and for XLSX
the archive limits that refuse a ZIP bomb before anything is inflated). Here a CSV must be UTF-8
(with or without the mark spreadsheets add), comma-separated, with a header line; an XLSX is read
through openpyxl's read-only mode, one row at a time, from its first sheet. Reading stops one row
past ``MAX_ROWS``: a longer file is refused whole, never half imported.
"""

import csv
import datetime
import decimal
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_ROWS = 5000
MAX_CELL_LENGTH = 20000
BOM = "\ufeff"
OTHER_DELIMITERS = (";", "\t", "|")


class UnreadableFile(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class Sheet:
    """The header (column names as written, trimmed) and the data rows, each with its line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        ngettext(
            "The file holds more than %(limit)s row; split it into smaller files.",
            "The file holds more than %(limit)s rows; split it into smaller files.",
            MAX_ROWS,
        )
        % {"limit": f"{MAX_ROWS:,}"}
    )


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            _(
                "The file is not in UTF-8 (the first character that is not is on line %(line)s). Save it "
                "from your spreadsheet as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from error


def read_csv(raw: bytes) -> Sheet:
    text = _decode(raw)
    if "\x00" in text:
        raise UnreadableFile(_("The file holds binary data; it is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        sheet = Sheet(header=[name.strip() for name in header] if header else [])
        _check_header(sheet.header)
        for values in reader:
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows()
            if not any(value.strip() for value in values):
                continue
            sheet.rows.append((reader.line_num, values))
    except csv.Error as error:
        raise UnreadableFile(
            _("The file is not valid CSV near line %(line)s: check its quotes.") % {"line": reader.line_num}
        ) from error
    return sheet


def _cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV would hold: dates in ISO form, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    return str(value)


def read_xlsx(stream) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise UnreadableFile(_("The spreadsheet cannot be read; save it again as an .xlsx workbook.")) from error
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise UnreadableFile(_("The spreadsheet has no sheet."))
        rows = worksheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        sheet = Sheet(header=[_cell_text(value).strip() for value in header_row] if header_row else [])
        while sheet.header and not sheet.header[-1]:
            sheet.header.pop()
        _check_header(sheet.header)
        for number, values in enumerate(rows, start=2):
            texts = [_cell_text(value) for value in values]
            if not any(text.strip() for text in texts):
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise _too_many_rows()
            sheet.rows.append((number, texts))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(_("The spreadsheet cannot be read; save it again as an .xlsx workbook.")) from error
    finally:
        workbook.close()
    return sheet


def _check_header(header: list[str]) -> None:
    if not header or not any(header):
        raise UnreadableFile(_("The file is empty: its first line must name the columns, e.g. type,title,language."))
    if len(header) == 1:
        for delimiter in OTHER_DELIMITERS:
            if delimiter in header[0]:
                raise UnreadableFile(
                    _(
                        "The columns are separated by “%(delimiter)s”; separate them by commas (save the file as "
                        "“CSV UTF-8 (comma delimited)”) and upload it again."
                    )
                    % {"delimiter": "Tab" if delimiter == "\t" else delimiter}
                )


def restored(value: str) -> str:
    """A cell as it was before an export guarded it against being read as a formula."""
    from .export import FORMULA_GUARD, FORMULA_STARTS

    if value.startswith(FORMULA_GUARD) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_sheet(raw: bytes, extension: str) -> Sheet:
    """The rows of a validated upload; :class:`UnreadableFile` for anything that is not a clean table."""
    sheet = read_xlsx(io.BytesIO(raw)) if extension == "xlsx" else read_csv(raw)
    if not sheet.rows:
        raise UnreadableFile(_("The file names its columns but holds no records."))
    sheet.rows = [(number, [restored(value) for value in values]) for number, values in sheet.rows]
    for _number, values in sheet.rows:
        if any(len(value) > MAX_CELL_LENGTH for value in values):
            raise UnreadableFile(
                _("A cell holds more than %(limit)s characters; is this the right file?") % {"limit": MAX_CELL_LENGTH}
            )
    return sheet
