"""Repair of published records that a submission filed under the wrong language, or left without aliases.

Before the workspace asked which language a record is written in, a submission filed its page under
the Records section of its submitter's profile language, and publication made no aliases. The rule
applied to a published record that came through a submission: when its own section's language is
not among the languages the record is classified in, and exactly one of those is a portal language,
that language is the one it is written in and the page moves to that language's Records section.
Then every published record gets an alias in each language it has no page in yet. Records the data
says nothing clear about are left where they are; a real translation is never touched.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from wagtail.models import Locale, Page

from content_types.base.translations import TranslationInTheWay, ensure_aliases, move_to_section


@dataclass
class RepairReport:
    moved: list[tuple[int, str, str]] = field(default_factory=list)  # (page id, from, to)
    aliases: dict[int, int] = field(default_factory=dict)  # page id -> aliases created
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (page id, why)

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.aliases)


def written_language(page, portal_codes: dict[str, str]) -> str | None:
    """The locale a record says it is written in, when its classification says so unambiguously.

    ``portal_codes`` maps a vocabulary language code (``zh``) to the portal's locale code (``zh-hans``).
    """
    codes = {portal_codes[language.code] for language in page.languages.all() if language.code in portal_codes}
    if page.locale.language_code in codes or len(codes) != 1:
        return None
    return codes.pop()


def misfiled_records():
    """Published originals that came through a submission, i.e. were filed by the old profile rule."""
    from content_types.records.models import RecordPage

    return (
        RecordPage.objects.live()
        .filter(alias_of__isnull=True, submissions__isnull=False)
        .distinct()
        .select_related("locale")
        .prefetch_related("languages")
        .order_by("pk")
    )


def records_missing_aliases():
    """Published originals whose translation group has no page yet in some locale (one query)."""
    from content_types.records.models import RecordPage

    complete = (
        Page.objects.order_by()
        .values("translation_key")
        .annotate(locales=Count("locale", distinct=True))
        .filter(locales__gte=Locale.objects.count())
        .values("translation_key")
    )
    return RecordPage.objects.live().filter(alias_of__isnull=True).exclude(translation_key__in=complete).order_by("pk")


def repair_record_languages(move_misfiled: bool = True, log=None) -> RepairReport:
    """Move misfiled published records to their language (when ``move_misfiled``), then add missing aliases.

    Idempotent: a second run finds every record in its language and every alias in place. ``log``
    receives one line per record changed, so that a long repair shows progress.
    """
    from .services import record_index_for

    log = log or (lambda line: None)
    report = RepairReport()
    locales = list(Locale.objects.all())
    portal_codes = {locale.language_code.split("-")[0]: locale.language_code for locale in locales}
    if move_misfiled:
        for page in misfiled_records():
            target = written_language(page, portal_codes)
            if target is None:
                continue
            section = record_index_for(target)
            if section is None:
                report.skipped.append((page.pk, f"no Records section in {target}"))
                continue
            before = page.locale.language_code
            try:
                move_to_section(page, section)
            except TranslationInTheWay:
                report.skipped.append((page.pk, f"a translation in {target} is in the way"))
                continue
            report.moved.append((page.pk, before, target))
            log(f"Record {page.pk} moved from the {before} Records section to the {target} one")
    for page in records_missing_aliases():
        created = ensure_aliases(page, locales)
        if created:
            report.aliases[page.pk] = len(created)
            log(f"Record {page.pk}: {len(created)} aliases created")
    return report
