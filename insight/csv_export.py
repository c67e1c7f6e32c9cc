"""The CSV download of a chart's or a map's table: the same rows, cells that a spreadsheet never
runs as formulas."""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers as they are; text that a spreadsheet would read as a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_rows(table: dict) -> list[list]:
    """A table (see :mod:`insight.tables`) as rows of cells: its header row, then one per row."""
    rows = [[table["corner"], *(column["label"] for column in table["columns"])]]
    for row in table["rows"]:
        rows.append([row["label"], *(cell["csv"] for cell in row["cells"])])
    return rows


def csv_response(table: dict, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table_rows(table):
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
