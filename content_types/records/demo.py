"""Demo: about two hundred records (at scale 1) of every type, classified, located and partly translated into French.

Deterministic (seeded) and idempotent (records are found again by slug). Classified as an editor would:
a record's GBF targets follow the subjects its text is about (``demo_data.SUBJECT_TARGETS``), so the
suggestions' quality can be measured on the demo (bench/suggest.py).
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from cms.demo.pages import PageBatch, get_or_create_child, translate
from cms.demo.registry import register_demo
from content_types.vocabularies.models import Country, GBFTarget, Language, Region, Subject

from . import demo_data as data
from .models import (
    DecisionPage,
    DecisionParagraph,
    DocumentRecordPage,
    ExpertProfilePage,
    GoodPracticePage,
    NationalReportPage,
    NeedPage,
    OfferPage,
    OrganisationPage,
    ProjectPage,
    RecordIndexPage,
    ReportTargetSection,
)
from .models.assistance import SupportKind

FRENCH_SHARE = 0.4
NOISE_SEED = 3131
START = datetime.date(2019, 1, 1)


class Vocabulary:
    """The terms the demo picks from, loaded once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        # The noise targets are decided by a generator of their own: the main one draws the same numbers
        # as before classifications followed the text, so titles, slugs and translations stay the same.
        self.noise = random.Random(NOISE_SEED)
        self.countries = {country.code: country for country in Country.objects.filter(code__in=list(data.PLACES))}
        self.all_countries = {country.code: country for country in Country.objects.all()}
        self.targets = list(GBFTarget.objects.order_by("number"))
        self.subjects = list(Subject.objects.order_by("code"))
        self.subjects_by_code = {subject.code: subject for subject in self.subjects}
        self.targets_by_number = {target.number: target for target in self.targets}
        self.languages = {language.code: language for language in Language.objects.all()}
        self.regions = list(Region.objects.filter(parent__code="001").order_by("code")) or list(
            Region.objects.all()[:5]
        )

    def country(self) -> Country:
        return self.countries[self.rng.choice(sorted(self.countries))]

    def targets_sample(self, low=1, high=3) -> list:
        return self.rng.sample(self.targets, self.rng.randint(low, high))

    def subjects_sample(self, low=1, high=2) -> list:
        return self.rng.sample(self.subjects, self.rng.randint(low, high))

    def targets_for(self, subjects: list, drawn: list, low=1) -> list:
        """The GBF targets an editor would tick for a text on these subjects: as many of the subjects'
        targets as were ``drawn`` (at least ``low``; ``demo_data.SUBJECT_TARGETS``: each subject's main
        target first, then the second ones), and now and then one target the text does not support
        (``NOISE_TARGET_SHARE``, the first drawn target)."""
        mapped = []
        for rank in range(max((len(data.SUBJECT_TARGETS.get(subject.code, [])) for subject in subjects), default=0)):
            for subject in subjects:
                numbers = data.SUBJECT_TARGETS.get(subject.code, [])
                if rank < len(numbers) and numbers[rank] in self.targets_by_number:
                    target = self.targets_by_number[numbers[rank]]
                    if target not in mapped:
                        mapped.append(target)
        chosen = mapped[: len(drawn)]
        if len(chosen) < low:
            chosen = mapped[:low] or drawn[:low]
        if drawn and self.noise.random() < data.NOISE_TARGET_SHARE and drawn[0] not in chosen:
            chosen.append(drawn[0])
        return chosen

    def subjects_named(self, codes: list, low=1, high=2) -> list:
        """The first `low`–`high` of these subjects (the main one first): what the text is about."""
        count = len(self.subjects_sample(low, high))  # the draw a random choice made: the sequence stays
        return [self.subjects_by_code[code] for code in codes if code in self.subjects_by_code][: max(count, 1)]

    def languages_sample(self) -> list:
        codes = ["en"] + self.rng.sample(["fr", "es", "ar", "ru", "zh"], self.rng.randint(0, 2))
        return [self.languages[code] for code in codes if code in self.languages]

    def date(self) -> datetime.date:
        return START + datetime.timedelta(days=self.rng.randint(0, 2860))

    def near(self, country: Country) -> tuple[Decimal, Decimal]:
        _city, lat, lon = data.PLACES[country.code]
        return (
            Decimal(str(round(lat + self.rng.uniform(-0.6, 0.6), 5))),
            Decimal(str(round(lon + self.rng.uniform(-0.6, 0.6), 5))),
        )


def words(country: Country, subject: Subject, **extra) -> dict:
    return {
        "country": country.name_en,
        "country_fr": country.name_fr or country.name_en,
        "city": data.PLACES.get(country.code, (country.name_en,))[0],
        "subject": subject.name_en.lower(),
        "subject_fr": (subject.name_fr or subject.name_en).lower(),
        **extra,
    }


def paragraph(text: str) -> str:
    return f"<p>{text}</p>"


class Builder:
    """Creates records under the English index and translates a share of them into French."""

    def __init__(self, context, index: RecordIndexPage, vocabulary: Vocabulary):
        self.context = context
        self.index = index
        self.vocabulary = vocabulary
        self.rng = vocabulary.rng
        self.organisations: list[OrganisationPage] = []
        self.batch: PageBatch | None = None

    def make(self, model, slug: str, french: dict | None, **fields):
        batch = self.batch if self.batch is not None and self.batch.model is model else None
        if batch is not None:
            page, _created = batch.get_or_create(slug[:80], **fields)
        else:
            page, _created = get_or_create_child(self.index, model, slug[:80], **fields)
        if french and self.rng.random() < FRENCH_SHARE:
            title = french.pop("title")
            (batch.translate if batch is not None else translate)(page, "fr", title=title, draft_title=title, **french)
        return page

    def classification(self, country=None, targets=(1, 3), subjects=None, topics=()) -> dict:
        """Countries, GBF targets, subjects, languages and date of a record. ``subjects``: the subjects its
        text is written from; ``topics``: else the codes of the subjects its title and kind point at
        (main one first). Its targets follow its subjects (``Vocabulary.targets_for``)."""
        vocabulary = self.vocabulary
        # The draws keep their order (targets, then subjects): the rest of the demo stays the same.
        drawn = vocabulary.targets_sample(*targets)
        if subjects is None:
            subjects = vocabulary.subjects_named(topics) if topics else vocabulary.subjects_sample()
        return {
            "countries": [country] if country else [],
            "gbf_targets": vocabulary.targets_for(subjects, drawn, low=targets[0]),
            "subjects": subjects,
            "languages": vocabulary.languages_sample(),
            "publication_date": vocabulary.date(),
        }

    # --- one method per type --------------------------------------------------------------------
    def reports(self, count: int):
        codes = sorted(self.vocabulary.countries)
        for number in self.context.progress(range(count), "Records: reports"):
            country = self.vocabulary.countries[codes[number % len(codes)]]
            cycle = 7 if number < len(codes) else 6
            start = datetime.date(2019 if cycle == 7 else 2014, 1, 1)
            end = datetime.date(2024 if cycle == 7 else 2018, 12, 31)
            targets = sorted(self.vocabulary.targets_sample(4, 8), key=lambda target: target.number)
            sections = [
                {
                    "target": target,
                    "national_target": f"By 2030, {country.name_en} will make measurable progress on target {target.number}.",
                    "progress": self.rng.choice(["on-track", "some-progress", "no-change", "moving-away", "unknown"]),
                    "narrative": paragraph(f"Actions taken by {country.name_en} towards GBF target {target.number}."),
                    "indicators": [
                        (
                            "indicator_value",
                            {
                                "indicator": f"Headline indicator for target {target.number}",
                                "value": Decimal(str(round(self.rng.uniform(5, 95), 1))),
                                "unit": "%",
                                "year": end.year,
                            },
                        )
                    ],
                }
                for target in targets
            ]
            classification = self.classification(country, topics=data.REPORT_SUBJECTS)
            classification["gbf_targets"] = targets
            classification["publication_date"] = end + datetime.timedelta(days=self.rng.randint(30, 400))
            title = f"{country.name_en}: {_ordinal(cycle)} national report"
            self.make(
                NationalReportPage,
                f"national-report-{cycle}-{country.code.lower()}",
                {
                    "title": f"{country.name_fr or country.name_en} : {_ordinal_fr(cycle)} rapport national",
                    "summary": f"Progrès accomplis par {country.name_fr or country.name_en} vers les cibles du Cadre mondial.",
                },
                title=title,
                summary=f"Progress by {country.name_en} towards the targets of the Global Biodiversity Framework.",
                reporting_period_start=start,
                reporting_period_end=end,
                sections=[ReportTargetSection(**section) for section in sections],
                **classification,
            )

    def decisions(self, count: int):
        for meeting, number, title_en, title_fr in self.context.progress(data.DECISIONS[:count], "Records: decisions"):
            paragraphs = [
                DecisionParagraph(
                    number=str(position + 1),
                    text=text.format(topic_lower=title_en.lower()),
                    paragraph_type=kind,
                    status=self.rng.choice(["active", "active", "implemented", "elapsed", "superseded", "retired"]),
                    actors=actors,
                )
                for position, (text, kind, actors) in enumerate(self.rng.sample(data.DECISION_PARAGRAPHS, 4))
            ]
            year = 2022 if meeting == "COP-15" else 2024
            classification = self.classification(targets=(1, 4), topics=data.DECISION_SUBJECTS.get(number, ()))
            classification["publication_date"] = datetime.date(
                year, 12 if year == 2022 else 11, 19 if year == 2022 else 1
            )
            classification["regions"] = []
            self.make(
                DecisionPage,
                f"decision-{number.replace('/', '-')}",
                {"title": f"Décision {number} : {title_fr}", "summary": f"Décision adoptée par la {meeting}."},
                title=f"Decision {number}: {title_en}",
                summary=f"Decision adopted by {meeting}.",
                meeting=meeting,
                number=number,
                paragraphs=paragraphs,
                **classification,
            )

    def organisations_(self, count: int):
        all_countries = self.vocabulary.all_countries
        specs = []
        for name, acronym, code, lat, lon, website in data.INTERNATIONAL_ORGANISATIONS:
            specs.append((name, name, acronym, "intergovernmental", all_countries.get(code), lat, lon, website))
        while len(specs) < count:
            country = self.vocabulary.country()
            kind, en, fr = self.rng.choice(data.ORGANISATION_KINDS)
            values = words(country, self.vocabulary.subjects[0])
            lat, lon = self.vocabulary.near(country)
            specs.append((en.format(**values), fr.format(**values), "", kind, country, lat, lon, ""))
        for name, name_fr, acronym, kind, country, lat, lon, website in self.context.progress(
            specs[:count], "Records: organisations"
        ):
            topics = data.ORGANISATION_SUBJECTS.get(acronym) or data.ORGANISATION_KIND_SUBJECTS.get(kind, ())
            classification = self.classification(country, targets=(0, 3), topics=topics)
            page = self.make(
                OrganisationPage,
                f"organisation-{slugify(name)}",
                {
                    "title": name_fr,
                    "summary": f"{name_fr} : organisation active dans la mise en œuvre du Cadre mondial.",
                }
                if name_fr != name
                else None,
                title=name,
                summary=f"{name} works on the implementation of the Global Biodiversity Framework.",
                acronym=acronym,
                organisation_type=kind,
                country=country,
                address=f"{data.PLACES[country.code][0]}, {country.name_en}"
                if country and country.code in data.PLACES
                else "",
                website=website or f"https://{slugify(name)[:40].strip('-')}.example.org/",
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                **classification,
            )
            self.organisations.append(page)

    def documents(self, count: int):
        for number in self.context.progress(range(count), "Records: documents"):
            country, subject = self.vocabulary.country(), self.rng.choice(self.vocabulary.subjects)
            en, fr, kind = self.rng.choice(data.DOCUMENT_TITLES)
            values = words(country, subject)
            title = en.format(**values)
            self.make(
                DocumentRecordPage,
                f"document-{slugify(title)[:60]}-{number}",
                {"title": fr.format(**values), "summary": f"Document sur « {values['subject_fr']} »."},
                title=title,
                summary=f"A {kind.replace('-', ' ')} on {values['subject']} prepared in {country.name_en}.",
                document_type=kind,
                authors=f"{self.rng.choice(data.GIVEN_NAMES)} {self.rng.choice(data.FAMILY_NAMES)}\n"
                f"National Biodiversity Agency of {country.name_en}",
                publisher=f"Government of {country.name_en}",
                pages=self.rng.randint(12, 240),
                body=[("paragraph", paragraph(f"This {kind.replace('-', ' ')} addresses {values['subject']}."))],
                **self.classification(country, subjects=[subject]),
            )

    def projects(self, count: int):
        for number in self.context.progress(range(count), "Records: projects"):
            country, subject = self.vocabulary.country(), self.rng.choice(self.vocabulary.subjects)
            en, fr = self.rng.choice(data.PROJECT_TITLES)
            values = words(country, subject)
            title = en.format(**values)
            start = self.vocabulary.date()
            end = start + datetime.timedelta(days=self.rng.randint(365, 1800))
            status = (
                "completed"
                if end < datetime.date(2026, 6, 1)
                else ("planned" if start > datetime.date(2026, 6, 1) else "ongoing")
            )
            lat, lon = self.vocabulary.near(country)
            self.make(
                ProjectPage,
                f"project-{slugify(title)[:60]}-{number}",
                {
                    "title": fr.format(**values),
                    "summary": f"Projet sur « {values['subject_fr']} » ({values['country_fr']}).",
                },
                title=title,
                summary=f"A project on {values['subject']} in {country.name_en}.",
                status=status,
                start_date=start,
                end_date=end,
                implementing_agencies=f"National Biodiversity Agency of {country.name_en}\nUNDP",
                funding_amount=Decimal(self.rng.randrange(50_000, 5_000_000, 10_000)),
                funding_currency=self.rng.choice(["USD", "EUR"]),
                funders=self.rng.choice(["Global Environment Facility", "Green Climate Fund", "European Union"]),
                latitude=lat,
                longitude=lon,
                **self.classification(country, subjects=[subject]),
            )

    def practices(self, count: int):
        for number in self.context.progress(range(count), "Records: good practices"):
            country, subject = self.vocabulary.country(), self.rng.choice(self.vocabulary.subjects)
            en, fr = self.rng.choice(data.PRACTICE_TITLES)
            values = words(country, subject)
            title = en.format(**values)
            self.make(
                GoodPracticePage,
                f"practice-{slugify(title)[:60]}-{number}",
                {
                    "title": fr.format(**values),
                    "summary": f"Étude de cas : « {values['subject_fr']} » ({values['country_fr']}).",
                    "challenge": paragraph(f"Le défi : « {values['subject_fr']} »."),
                    "approach": paragraph("Une approche participative avec les communautés locales."),
                },
                title=title,
                summary=f"A case study on {values['subject']} from {country.name_en}.",
                challenge=paragraph(f"Pressure on ecosystems made {values['subject']} a national priority."),
                approach=paragraph("Local communities, scientists and authorities designed the work together."),
                results=paragraph(f"Measurable gains within {self.rng.randint(2, 8)} years."),
                lessons=paragraph("Secure long-term funding and local ownership from the start."),
                **self.classification(country, subjects=[subject]),
            )

    def needs(self, count: int):
        for number in self.context.progress(range(count), "Records: needs"):
            country, subject = self.vocabulary.country(), self.rng.choice(self.vocabulary.subjects)
            kind = self.rng.choice(SupportKind.values)
            en, fr = self.rng.choice(data.NEED_TITLES)
            values = words(country, subject, kind=SupportKind(kind).label.lower(), kind_fr=data.SUPPORT_KINDS_FR[kind])
            title = en.format(**values)
            self.make(
                NeedPage,
                f"need-{slugify(title)[:60]}-{number}",
                {"title": fr.format(**values), "needed": paragraph(f"Appui recherché : « {values['subject_fr']} ».")},
                title=title,
                summary=f"{country.name_en} asks for {values['kind']} on {values['subject']}.",
                needed=paragraph(f"{country.name_en} needs {values['kind']} to make progress on {values['subject']}."),
                support_kind=kind,
                urgency=self.rng.choice(["low", "medium", "high"]),
                status=self.rng.choice(["open", "open", "matched", "closed"]),
                **self.classification(country, subjects=[subject]),
            )

    def offers(self, count: int):
        for number in self.context.progress(range(count), "Records: offers"):
            subject = self.rng.choice(self.vocabulary.subjects)
            organisation = self.rng.choice(self.organisations) if self.organisations else None
            provider = organisation.title if organisation else "Secretariat"
            kind = self.rng.choice(SupportKind.values)
            en, fr = self.rng.choice(data.OFFER_TITLES)
            country = organisation.country if organisation and organisation.country_id else self.vocabulary.country()
            values = words(
                country, subject, kind=SupportKind(kind).label, kind_fr=data.SUPPORT_KINDS_FR[kind], provider=provider
            )
            title = en.format(**values)
            classification = self.classification(None, subjects=[subject])
            classification["regions"] = self.rng.sample(self.vocabulary.regions, min(2, len(self.vocabulary.regions)))
            self.make(
                OfferPage,
                f"offer-{slugify(title)[:60]}-{number}",
                {
                    "title": fr.format(**values),
                    "description": paragraph(f"Appui proposé : « {values['subject_fr']} »."),
                },
                title=title,
                summary=f"{provider} offers {values['kind'].lower()} on {values['subject']}.",
                offer_kind=kind,
                provider=provider,
                provider_organisation=organisation,
                description=paragraph(f"{provider} can share {values['kind'].lower()} on {values['subject']}."),
                capacity=self.rng.choice(["Two training sessions a year", "20 person-days", "Up to five countries"]),
                **classification,
            )

    def experts(self, count: int):
        for number in self.context.progress(range(count), "Records: experts"):
            country = self.vocabulary.country()
            name = f"{data.GIVEN_NAMES[number % 20]} {data.FAMILY_NAMES[(number * 7 + 3) % 20]}"
            position, position_fr = self.rng.choice(data.POSITIONS)
            subjects = self.vocabulary.subjects_sample(1, 3)
            organisation = self.rng.choice(self.organisations) if self.organisations else None
            self.make(
                ExpertProfilePage,
                f"expert-{slugify(name)}-{number}",
                {
                    "title": name,
                    "position": position_fr,
                    "summary": f"{position_fr}, {country.name_fr or country.name_en}.",
                },
                title=name,
                summary=f"{position} based in {country.name_en}.",
                position=position,
                expertise="\n".join(subject.name_en for subject in subjects),
                country=country,
                organisation=organisation,
                email=f"{slugify(name)}.{number}@example.org",
                phone=f"+1 555 01{number:02d}",
                **self.classification(country, subjects=subjects),
            )


def _ordinal(number: int) -> str:
    return {6: "Sixth", 7: "Seventh"}.get(number, f"{number}th")


def _ordinal_fr(number: int) -> str:
    return {6: "sixième", 7: "septième"}.get(number, f"{number}e")


@register_demo(order=30, label="Records")
def build_records(context):
    index = RecordIndexPage.objects.filter(locale__language_code="en").first()
    if index is None:
        return
    builder = Builder(context, index, Vocabulary(random.Random(3030)))
    # The types written in batches (reports and decisions have child objects, and few pages: their
    # slugs repeat past the countries and decisions of the demo data).
    steps = [
        (builder.organisations_, 30, OrganisationPage),
        (builder.reports, 24, None),
        (builder.decisions, 16, None),
        (builder.documents, 30, DocumentRecordPage),
        (builder.projects, 25, ProjectPage),
        (builder.practices, 20, GoodPracticePage),
        (builder.needs, 25, NeedPage),
        (builder.offers, 20, OfferPage),
        (builder.experts, 25, ExpertProfilePage),
    ]
    for step, count, model in steps:
        # One transaction per type: on-commit work (search indexing) runs once per batch, not per page.
        with transaction.atomic():
            builder.batch = PageBatch(index, model) if model is not None else None
            step(context.count(count))
            if builder.batch is not None:
                builder.batch.flush()  # the next types refer to these pages (organisations)
            builder.batch = None
