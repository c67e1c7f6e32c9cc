"""Award cycles: the public page of each cycle (call, phases, categories, questionnaires, criteria)
and its results, which are shown only once the secretariat has published them.

A cycle is a Wagtail page, so that editors set it up in the admin and wagtail-localize translates
its categories, questions, criteria and scale descriptors (translatable child objects). The
results are plain models attached to the cycle's source page: they belong to every translation of
the cycle alike and are written by the award process, not edited as page content.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.blocks import BodyStreamBlock
from content_types.base.models import AccessControlledPage

from .blocks import QuestionStreamBlock, ScaleStreamBlock


class Phase(models.TextChoices):
    """Where a cycle stands, derived from its dates and whether its results are published."""

    UPCOMING = "upcoming", _("Announced")
    NOMINATION = "nomination", _("Call for nominations open")
    EVALUATION = "evaluation", _("Evaluation by the committee")
    DECISION = "decision", _("Decision by the committee")
    PUBLISHED = "published", _("Results published")


class Prize(models.TextChoices):
    GOLD = "gold", _("Gold")
    SILVER = "silver", _("Silver")
    BRONZE = "bronze", _("Bronze")
    CERTIFICATE = "certificate", _("Certificate of achievement")


PRIZE_ORDER = {prize.value: number for number, prize in enumerate(Prize)}


class Eligibility(models.TextChoices):
    ANY = "any", _("Every national CHM")
    ESTABLISHED_BEFORE = "before", _("National CHMs established before the date")
    ESTABLISHED_SINCE = "since", _("National CHMs established on or after the date")


class AwardCyclePage(RoutablePageMixin, AccessControlledPage, Page):
    """One award cycle: the call for nominations, its phases, what is evaluated and how; then its
    results, at ``results/``, once published."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("One or two sentences that say what the cycle recognises; shown in the list of cycles."),
    )
    meeting = models.CharField(
        _("meeting"),
        max_length=200,
        help_text=_("The meeting the cycle reports to, where the winners are announced, e.g. COP-17."),
    )
    decision = models.ForeignKey(
        "records.DecisionPage",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The decision that established the award, if it is in the portal."),
    )
    call_opens = models.DateField(_("call opens"), help_text=_("From this day, Parties may nominate."))
    nomination_deadline = models.DateField(
        _("nomination deadline"), help_text=_("The last day on which Parties may submit or edit a nomination.")
    )
    evaluation_deadline = models.DateField(
        _("evaluation deadline"), help_text=_("The last day on which the committee scores the nominations.")
    )
    announcement = models.DateField(
        _("announcement"), help_text=_("The day the winners are announced, usually at the meeting.")
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "A nomination is flagged for discussion when the highest and lowest score of the committee on "
            "a criterion differ by more than this many points (on the weighted total: this many points "
            "times the sum of the weights)."
        ),
    )
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("call for nominations"),
        blank=True,
        help_text=_("The call itself: who may nominate, how, and what the prizes recognise."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("meeting"), PageChooserPanel("decision", page_type="records.DecisionPage")],
            heading=_("Meeting"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("call_opens"), FieldPanel("nomination_deadline")]),
                FieldRowPanel([FieldPanel("evaluation_deadline"), FieldPanel("announcement")]),
                FieldPanel("disagreement_threshold"),
            ],
            heading=_("Phases"),
            help_text=_("The phase shown to visitors follows these dates until the results are published."),
        ),
        FieldPanel("body"),
        InlinePanel(
            "categories",
            heading=_("Categories and prizes"),
            label=_("Category"),
            min_num=1,
            help_text=_("Each category is ranked on its own and has its own prizes, e.g. existing and new CHMs."),
        ),
        InlinePanel(
            "questionnaires",
            heading=_("Questionnaires"),
            label=_("Questionnaire"),
            help_text=_("What nominating Parties answer, e.g. the status of the CHM, then its progress."),
        ),
        InlinePanel(
            "criteria",
            heading=_("Criteria"),
            label=_("Criterion"),
            min_num=1,
            help_text=_("What the committee scores, with the weight of each in the total and its scale."),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("meeting")]
    override_translatable_fields = [SynchronizedField("disagreement_threshold")]

    parent_page_types = ["home.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("award cycle")
        verbose_name_plural = _("award cycles")

    def clean(self):
        super().clean()
        dates = [
            ("call_opens", self.call_opens),
            ("nomination_deadline", self.nomination_deadline),
            ("evaluation_deadline", self.evaluation_deadline),
            ("announcement", self.announcement),
        ]
        for (_earlier_name, earlier), (later_name, later) in zip(dates, dates[1:], strict=False):
            if earlier and later and later < earlier:
                raise ValidationError(
                    {later_name: _("The phases follow each other: this date cannot come before the previous one.")}
                )

    # --- phases and results ---------------------------------------------------------------------
    def result(self):
        """The cycle's results (published or not), shared by every translation of the cycle."""
        if not hasattr(self, "_result"):
            self._result = (
                AwardResult.objects.filter(cycle__translation_key=self.translation_key).order_by("pk").first()
            )
        return self._result

    def published_result(self):
        result = self.result()
        return result if result is not None and result.is_published else None

    def phase(self, today: datetime.date | None = None) -> str:
        if self.published_result() is not None:
            return Phase.PUBLISHED
        today = today or timezone.localdate()
        if today < self.call_opens:
            return Phase.UPCOMING
        if today <= self.nomination_deadline:
            return Phase.NOMINATION
        if today <= self.evaluation_deadline:
            return Phase.EVALUATION
        return Phase.DECISION

    def phase_label(self) -> str:
        return Phase(self.phase()).label

    def is_archived(self, today: datetime.date | None = None) -> bool:
        """Past cycles: results published, or the announcement is over."""
        return self.phase(today) == Phase.PUBLISHED or (today or timezone.localdate()) > self.announcement

    def phase_dates(self):
        """(label, date, phase it starts) in order, for the timeline of the cycle page."""
        return [
            (_("Call for nominations opens"), self.call_opens, Phase.NOMINATION),
            (_("Nomination deadline"), self.nomination_deadline, Phase.EVALUATION),
            (_("Evaluation deadline"), self.evaluation_deadline, Phase.DECISION),
            (_("Announcement of the winners"), self.announcement, Phase.PUBLISHED),
        ]

    @cached_property
    def category_list(self) -> list:
        return list(self.categories.all())

    @cached_property
    def criterion_list(self) -> list:
        return list(self.criteria.all())

    def questionnaire_list(self) -> list:
        return list(self.questionnaires.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["phase"] = self.phase()
        context["categories"] = self.category_list
        context["criteria"] = self.criterion_list
        context["questionnaires"] = SimpleLazyObject(self.questionnaire_list)  # read only where shown
        return context

    @path("results/")
    def results(self, request):
        from .results import results_context

        result = self.published_result()
        if result is None:
            raise Http404(_("The results of this cycle are not published."))
        return self.render(
            request, context_overrides=results_context(self, result), template="awards/award_results_page.html"
        )


class CycleChild(TranslatableMixin, Orderable):
    """A translatable part of a cycle: each translation of the cycle has its own copy, with the
    same ``translation_key``, that wagtail-localize translates."""

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        abstract = True
        ordering = ["sort_order", "pk"]  # children added from code have no sort order


class AwardCategory(CycleChild):
    """A category of nominations, ranked on its own, with who may enter it and its prizes."""

    page = ParentalKey(AwardCyclePage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Existing national CHMs"))
    description = models.TextField(_("description"), blank=True)
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.ANY
    )
    eligibility_date = models.DateField(
        _("establishment date"),
        null=True,
        blank=True,
        help_text=_("The date the eligibility compares the national CHM's establishment with."),
    )
    gold = models.PositiveSmallIntegerField(_("gold prizes"), default=1)
    silver = models.PositiveSmallIntegerField(_("silver prizes"), default=1)
    bronze = models.PositiveSmallIntegerField(_("bronze prizes"), default=1)
    certificates = models.PositiveSmallIntegerField(
        _("certificates of achievement"),
        default=0,
        help_text=_("At most this many, on the committee's recommendation."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("eligibility"), FieldPanel("eligibility_date")]),
        FieldRowPanel([FieldPanel("gold"), FieldPanel("silver"), FieldPanel("bronze"), FieldPanel("certificates")]),
    ]
    override_translatable_fields = [SynchronizedField("eligibility")]

    class Meta(CycleChild.Meta):
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.eligibility != Eligibility.ANY and not self.eligibility_date:
            raise ValidationError({"eligibility_date": _("Give the date the establishment is compared with.")})

    def admits(self, established: datetime.date | None) -> bool:
        """Whether a national CHM established on ``established`` may enter this category."""
        if self.eligibility == Eligibility.ANY:
            return True
        if established is None:
            return False
        if self.eligibility == Eligibility.ESTABLISHED_BEFORE:
            return established < self.eligibility_date
        return established >= self.eligibility_date

    def prizes(self) -> list[tuple[str, str, int]]:
        """(prize, label, how many) for the prizes this category awards."""
        counts = {
            Prize.GOLD: self.gold,
            Prize.SILVER: self.silver,
            Prize.BRONZE: self.bronze,
            Prize.CERTIFICATE: self.certificates,
        }
        return [(prize.value, prize.label, counts[prize]) for prize in Prize if counts[prize]]


class AwardQuestionnaire(CycleChild):
    """A questionnaire nominating Parties fill in; a cycle may ask for more than one."""

    page = ParentalKey(AwardCyclePage, on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))

    panels = [FieldPanel("title"), FieldPanel("intro"), FieldPanel("questions")]

    class Meta(CycleChild.Meta):
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class AwardCriterion(CycleChild):
    """What the committee scores, on a scale whose every level says what it means."""

    page = ParentalKey(AwardCyclePage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The score is multiplied by this in the total."),
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    levels = StreamField(
        ScaleStreamBlock(),
        verbose_name=_("scale"),
        blank=True,
        help_text=_("One descriptor for every score from the lowest to the highest."),
    )
    required = models.BooleanField(_("required"), default=True, help_text=_("Every member must score it."))
    independent = models.BooleanField(
        _("independent"),
        default=False,
        help_text=_("Scored and shown, but kept out of the total (e.g. a virtual visit's impression)."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldPanel("levels"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("independent")]),
    ]

    class Meta(CycleChild.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.scale_min is None or self.scale_max is None:
            return
        if self.scale_max <= self.scale_min:
            raise ValidationError({"scale_max": _("The highest score must be above the lowest.")})
        scores = [level.value["score"] for level in self.levels or []]
        if scores and sorted(scores) != list(range(self.scale_min, self.scale_max + 1)):
            raise ValidationError(
                {
                    "levels": _("Give exactly one level for each score from %(low)s to %(high)s.")
                    % {"low": self.scale_min, "high": self.scale_max}
                }
            )

    def scale_levels(self) -> list[tuple[int, str]]:
        return sorted((level.value["score"], level.value["descriptor"]) for level in self.levels or [])


# --- results --------------------------------------------------------------------------------------
class AwardResult(models.Model):
    """The committee's decision for a cycle; nothing of it is public until it is published."""

    cycle = models.OneToOneField(
        AwardCyclePage,
        verbose_name=_("cycle"),
        on_delete=models.CASCADE,
        related_name="award_result",
        help_text=_("The cycle's page in its original language; its translations show the same results."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    justification_language = models.CharField(
        _("language of the justification"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        verbose_name = _("award result")
        verbose_name_plural = _("award results")

    def __str__(self) -> str:
        return str(self.cycle)

    def publish(self, when: datetime.datetime | None = None) -> None:
        """Make the results public; the shared cache forgets the cycle's pages in every language
        (and the Awards section that lists it) once the transaction commits."""
        from cms.frontend_purge import page_changed

        with transaction.atomic():
            self.is_published = True
            self.published_at = when or timezone.now()
            self.save(update_fields=["is_published", "published_at"])
            page_changed(self.cycle)

    @property
    def justification_text_language(self) -> str:
        return self.justification_language


class AwardEntry(models.Model):
    """A nomination as the results show it: its country, category, rank, total and prize (if any)."""

    result = models.ForeignKey(AwardResult, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(
        AwardCategory, verbose_name=_("category"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.ForeignKey(
        "vocabularies.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    national_chm_url = models.URLField(_("national CHM"), blank=True)
    prize = models.CharField(_("prize"), max_length=12, choices=Prize.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=9, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("result entry")
        verbose_name_plural = _("result entries")
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["result", "category", "country"], name="award_entry_once_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.country} ({self.get_prize_display() or '-'})"


class AwardEntryScore(models.Model):
    """The committee's mean score of an entry on a criterion, as published with the results."""

    entry = models.ForeignKey(AwardEntry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE, related_name="+")
    mean = models.DecimalField(_("mean score"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("published score")
        verbose_name_plural = _("published scores")
        constraints = [models.UniqueConstraint(fields=["entry", "criterion"], name="award_score_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.entry}: {self.criterion} {self.mean}"


class AwardJuryMember(models.Model):
    """A member of the cycle's committee, as the results name them."""

    result = models.ForeignKey(AwardResult, on_delete=models.CASCADE, related_name="jury")
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        "vocabularies.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["-is_chair", "sort_order", "name"]

    def __str__(self) -> str:
        return self.name
