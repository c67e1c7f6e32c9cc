"""Stable, human-readable record identifiers: ``CHM-<TYPE>-<COUNTRY|INT>-<YEAR>-<SEQUENCE>``.

An identifier names a record across portals and languages: every translation and alias of a page
shares it, so uniqueness holds per ``translation_key``, not per database row.
"""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

IDENTIFIER_PATTERN = r"^CHM-[A-Z]{2,10}-(?:[A-Z]{2}|INT)-\d{4}-\d{4,6}$"
IDENTIFIER_RE = re.compile(IDENTIFIER_PATTERN)
INTERNATIONAL = "INT"

validate_identifier = RegexValidator(
    IDENTIFIER_PATTERN,
    _(
        "Use the form CHM-TYPE-COUNTRY-YEAR-NUMBER, e.g. CHM-NEED-FR-2026-0001 "
        "(INT instead of a country code for international records)."
    ),
    code="invalid_identifier",
)


def identifier_prefix(type_code: str, country_code: str | None, year: int) -> str:
    return f"CHM-{type_code}-{country_code or INTERNATIONAL}-{year:04d}-"


def next_identifier(existing: list[str], prefix: str) -> str:
    """The first identifier after the highest sequence number already used with ``prefix``."""
    highest = 0
    for identifier in existing:
        tail = identifier[len(prefix) :]
        if identifier.startswith(prefix) and tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:04d}"


def split_identifier(identifier: str) -> tuple[str, int] | None:
    """``("CHM-NEED-FR-2026-", 42)`` for ``CHM-NEED-FR-2026-0042``; None for anything else."""
    if not IDENTIFIER_RE.match(identifier or ""):
        return None
    prefix, _, number = identifier.rpartition("-")
    return f"{prefix}-", int(number)


def _upsert_sequence(prefix: str, value: int, increment: int) -> int:
    """Set the prefix's counter to ``max(counter + increment, value)`` in one statement, and return it.

    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` takes the counter row's lock (or waits for the
    transaction that holds it), so that two transactions never read the same value; the lock is held
    until the caller's transaction ends, which is also what makes a rolled-back save leave no gap.
    """
    from django.db import connection

    from .models.sequences import IdentifierSequence

    table = connection.ops.quote_name(IdentifierSequence._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's scalar MAX
    sql = (
        f"INSERT INTO {table} (prefix, last_value) VALUES (%s, %s) "  # noqa: S608 - constant names
        f"ON CONFLICT (prefix) DO UPDATE SET last_value = {greatest}({table}.last_value + %s, excluded.last_value) "
        "RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, value, increment])
        return cursor.fetchone()[0]


def allocate_identifier(prefix: str, used: list[str]) -> str:
    """The next identifier with ``prefix``: past the counter and past every identifier in ``used``.

    ``used`` (the identifiers already stored with that prefix) keeps the counter ahead of rows that
    reached the table without it: typed, harvested or bulk-created records, or rows older than it.
    """
    return allocate_identifiers(prefix, used, 1)[0]


def allocate_identifiers(prefix: str, used: list[str], count: int) -> list[str]:
    """The next ``count`` identifiers with ``prefix``, in one counter update (records created in bulk:
    the ones ``count`` calls of :func:`allocate_identifier` would return)."""
    if count < 1:
        return []
    floor = int(next_identifier(used, prefix)[len(prefix) :])
    last = _upsert_sequence(prefix, floor + count - 1, count)
    return [f"{prefix}{number:04d}" for number in range(last - count + 1, last + 1)]


def reserve_identifier(identifier: str) -> None:
    """Move the counter of ``identifier``'s prefix up to its number (a typed or harvested identifier),
    holding the prefix's lock until the transaction ends so that a uniqueness check made next is safe."""
    parts = split_identifier(identifier)
    if parts is not None:
        _upsert_sequence(*parts, 0)
