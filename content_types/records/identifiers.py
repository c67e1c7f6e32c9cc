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
