"""Controlled vocabularies: GBF goals and targets, UN M49 regions, countries and Parties, subjects.

Each term has a stable ``code`` that the API, search and harvesting use, and a name in each of the
UN's six languages (English is required; the others fall back to it).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

NAME_LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


def language_column(language_code: str | None) -> str:
    """The column suffix for a Django language code (``zh-hans`` → ``zh``)."""
    base = (language_code or "en").split("-")[0].lower()
    return base if base in NAME_LANGUAGES else "en"


class TranslatedName(models.Model):
    """A name in the six UN languages; ``name`` answers in the active language."""

    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=255, blank=True)

    name_panels = [
        MultiFieldPanel(
            [FieldPanel(f"name_{code}") for code in NAME_LANGUAGES],
            heading=_("Names"),
            help_text=_("English is required; empty translations fall back to English."),
        )
    ]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_in(get_language())

    def name_in(self, language_code: str | None) -> str:
        return getattr(self, f"name_{language_column(language_code)}") or self.name_en

    @property
    def text_language(self) -> str:
        """The language ``name`` is in: the active one, or English when the term has no name in it."""
        language = get_language() or "en"
        return language if getattr(self, f"name_{language_column(language)}") else "en"


class GBFGoal(TranslatedName):
    """One of the four goals (A–D) of the Kunming-Montreal Global Biodiversity Framework."""

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[RegexValidator(r"^GBF-[A-D]$")])
    letter = models.CharField(_("letter"), max_length=1, unique=True)

    panels = [FieldPanel("code"), FieldPanel("letter"), *TranslatedName.name_panels]

    class Meta:
        ordering = ["letter"]
        verbose_name = _("GBF goal")
        verbose_name_plural = _("GBF goals")

    def __str__(self) -> str:
        return f"{self.letter}. {self.name}"


class GBFTarget(TranslatedName):
    """One of the 23 targets of the Global Biodiversity Framework, coded ``GBF-T1`` … ``GBF-T23``."""

    code = models.CharField(_("code"), max_length=10, unique=True, validators=[RegexValidator(r"^GBF-T\d{1,2}$")])
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    goal = models.ForeignKey(GBFGoal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="targets")

    panels = [FieldPanel("code"), FieldPanel("number"), FieldPanel("goal"), *TranslatedName.name_panels]

    class Meta:
        ordering = ["number"]
        verbose_name = _("GBF target")
        verbose_name_plural = _("GBF targets")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def short_label(self) -> str:
        return _("Target %(number)s") % {"number": self.number}


class Region(TranslatedName):
    """A UN M49 region, sub-region or intermediate region (``code`` is the M49 number)."""

    code = models.CharField(_("M49 code"), max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$")])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [FieldPanel("code"), FieldPanel("parent"), *TranslatedName.name_panels]

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def ancestors(self) -> list["Region"]:
        """This region and those containing it, nearest first (stops below World)."""
        chain, node = [], self
        while node is not None and node.code != "001":
            chain.append(node)
            node = node.parent
        return chain


class Country(TranslatedName):
    """A country or territory (ISO 3166-1), and whether it is a Party to the Convention."""

    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use two capital letters, e.g. FR."))],
    )
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, blank=True)
    m49 = models.CharField(_("M49 numeric code"), max_length=3, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countries",
        help_text=_("The most specific UN M49 region the country belongs to."),
    )
    is_party = models.BooleanField(_("Party to the Convention"), default=False)
    is_un_member = models.BooleanField(_("UN member state"), default=False)
    national_portal_url = models.URLField(
        _("national portal"),
        blank=True,
        help_text=_("The address of the country's national clearing-house, linked from its country profile."),
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("alpha3"),
        FieldPanel("m49"),
        FieldPanel("region"),
        FieldPanel("is_party"),
        FieldPanel("is_un_member"),
        FieldPanel("national_portal_url"),
        *TranslatedName.name_panels,
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def regions(self) -> list[Region]:
        return self.region.ancestors() if self.region_id else []


class Subject(TranslatedName):
    """A term of the subject thesaurus; ``broader`` builds the hierarchy."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^SUBJ-[A-Z0-9-]+$", _("Use SUBJ- followed by capitals, e.g. SUBJ-IAS."))],
    )
    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="narrower",
    )

    panels = [FieldPanel("code"), FieldPanel("broader"), *TranslatedName.name_panels]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Language(TranslatedName):
    """A language (ISO 639-1), for the languages a record or event is available in."""

    code = models.CharField(
        _("ISO 639-1 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[a-z]{2,3}$", _("Use the two-letter code in small letters, e.g. fr."))],
    )
    is_un_official = models.BooleanField(_("official UN language"), default=False)

    panels = [FieldPanel("code"), FieldPanel("is_un_official"), *TranslatedName.name_panels]

    class Meta:
        ordering = ["-is_un_official", "name_en"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
