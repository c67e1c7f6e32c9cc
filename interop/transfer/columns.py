"""The columns of an import file: the export's, plus what a record type needs to be created.

A file exported from a listing can be imported again: its read-only columns (the address, the dates
the portal keeps, the language a text is shown in) are ignored, ``identifier`` names the record to
update, and ``type`` says the record type of each row. A template per type adds the shared fields
the export leaves out (publication date, licence) and the type's own fields.
"""

from django.db import models

from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject
from workflows.review.record_forms import own_fields, submittable_types, type_slug

from .resources import ListedPageResource

EXPORT_COLUMNS = list(ListedPageResource.Meta.export_order)
# Kept by the portal: present in an export, ignored when a file is imported.
READ_ONLY_COLUMNS = frozenset({"url", "text_language", "first_published_at", "modified"})
# Never set by an import, whatever the file says: ignored, with a warning in the report.
PROTECTED_COLUMNS = frozenset(
    {
        "state",
        "owner",
        "submitter",
        "live",
        "id",
        "pk",
        "slug",
        "record_type",
        "source_portal",
        "source_url",
        "harvested_at",
        "locked",
        "acting_for_country",
    }
)
SHARED_COLUMNS = ["title", "summary", "language", "publication_date", "licence"]
EXTRA_SHARED_COLUMNS = ["publication_date", "licence"]
# Column → (record form field, vocabulary, how its codes are written).
CODE_COLUMNS = {
    "countries": ("countries", Country, str.upper),
    "regions": ("regions", Region, lambda code: code.zfill(3) if code.isdigit() else code),
    "targets": ("gbf_targets", GBFTarget, str.upper),
    "subjects": ("subjects", Subject, str.upper),
    "languages": ("languages", Language, str.lower),
}
FORM_FIELD_COLUMNS = {form_name: column for column, (form_name, _v, _c) in CODE_COLUMNS.items()}
# A type's own link to a country, given by its code.
COUNTRY_FIELD = "country"
CODE_SEPARATORS = (";", ",")


def importable_own_fields(model) -> list[str]:
    """The type's own fields a file may set: values, and its country by code (not links to other pages)."""
    names = []
    for name in own_fields(model):
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey) and name != COUNTRY_FIELD:
            continue
        names.append(name)
    return names


def template_columns(model) -> list[str]:
    """The columns of a type's template: the export's, then the shared and own fields it adds."""
    return [*EXPORT_COLUMNS, *EXTRA_SHARED_COLUMNS, *importable_own_fields(model)]


def importable_types() -> dict:
    """Record types by their code (``need``, ``offer``…), as the ``type`` column names them."""
    return {type_slug(model): model for model in submittable_types()}


def known_columns() -> set[str]:
    columns = {*EXPORT_COLUMNS, *EXTRA_SHARED_COLUMNS, *PROTECTED_COLUMNS}
    for model in importable_types().values():
        columns.update(importable_own_fields(model))
    return columns


def split_codes(value: str) -> list[str]:
    for separator in CODE_SEPARATORS[1:]:
        value = value.replace(separator, CODE_SEPARATORS[0])
    return list(dict.fromkeys(code.strip() for code in value.split(CODE_SEPARATORS[0]) if code.strip()))
