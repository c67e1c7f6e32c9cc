"""The decision tracker: every paragraph of the published decisions with its type, status, actors and
the decision's GBF targets, filtered by meeting, status, actor and target, searched in the text (in
the page's language), with the status counts — in a fixed number of queries per page."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cms import content_version
from content_types.base.codes import shown_value, unknown_code_message
from content_types.base.languages import prime_text_languages
from content_types.base.listing import CodeChoiceField, requested_page
from content_types.records.models import DecisionPage, DecisionParagraph
from content_types.records.models.decisions import ParagraphStatus, ParagraphType
from content_types.vocabularies.models import GBFTarget
from search.text import clean_text, query_terms, text_search_config

from .countries import foreign_language
from .selectors import public_pages, term_label

PAGE_SIZE = 25
MAX_QUERY = 200
ACTOR_SEPARATOR = re.compile(r"\s*[;\n]\s*")


def split_actors(actors: str) -> list[str]:
    """ "Parties; Executive Secretary" → ["Parties", "Executive Secretary"]."""
    return [actor for actor in ACTOR_SEPARATOR.split(actors or "") if actor]


class TrackerForm(forms.Form):
    q = forms.CharField(label=_("Search the text"), required=False, max_length=MAX_QUERY)
    meeting = forms.ChoiceField(label=_("Meeting"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    target = CodeChoiceField(GBFTarget, label=_("GBF target"))

    def __init__(self, data, *, meetings, actors):
        super().__init__(data)
        self.fields["meeting"].choices = [("", _("All meetings")), *((meeting, meeting) for meeting in meetings)]
        self.fields["status"].choices = [("", _("All statuses")), *ParagraphStatus.choices]
        self.fields["actor"].choices = [("", _("All actors")), *((actor, actor) for actor in actors)]
        self.fields["target"].empty_label = _("All GBF targets")


def paragraphs_in(locale_id):
    """The paragraphs of the live, public decisions in this language (each decision once)."""
    return DecisionParagraph.objects.filter(page__in=public_pages(DecisionPage, locale_id).values("pk"))


class DecisionTracker:
    def __init__(self, request, locale_id):
        self.request = request
        self.locale_id = locale_id
        base = paragraphs_in(locale_id)
        self.base = base
        self.meetings, self.actors = content_version.cached(
            "insight-tracker-choices", (locale_id,), lambda: self.choices(base)
        )
        self.form = TrackerForm(request.GET, meetings=self.meetings, actors=self.actors)
        self.form.is_valid()
        self.filters = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        if "q" in self.filters:
            self.filters["q"] = clean_text(self.filters["q"])[:MAX_QUERY]
            if not self.filters["q"]:
                del self.filters["q"]
        self.messages = self._messages()
        self.page_messages: list[str] = []  # about the page number; kept with the cached results

    @staticmethod
    def choices(base) -> tuple[list[str], list[str]]:
        """The meetings and the actors (each once, whatever its case) the paragraphs name."""
        meetings = sorted(set(base.values_list("page__meeting", flat=True)))
        actors = {}
        for value in base.values_list("actors", flat=True).distinct():
            for actor in split_actors(value):
                actors.setdefault(actor.casefold(), actor)
        return meetings, sorted(actors.values(), key=str.casefold)

    def _messages(self) -> list[str]:
        messages = []
        for name in self.form.errors:
            raw = self.request.GET.get(name, "")
            if name == "target":
                messages.append(unknown_code_message(self.form.fields[name].label, raw))
            elif name == "q":
                messages.append(
                    gettext("The search text is longer than %(max)d characters; it was not applied.")
                    % {"max": MAX_QUERY}
                )
            else:
                messages.append(
                    gettext("“%(value)s” is not one of the values of %(field)s; that filter was not applied.")
                    % {"value": shown_value(raw), "field": str(self.form.fields[name].label).lower()}
                )
        return messages

    def condition(self, name, value) -> Q:
        if name == "meeting":
            return Q(page__meeting=value)
        if name == "status":
            return Q(status=value)
        if name == "actor":
            return Q(actors__iregex=r"(^|[;\n])\s*" + re.escape(value) + r"\s*($|[;\n])")
        if name == "target":
            return Q(page__gbf_targets=value)
        return Q(pk__in=self.matching_text(value))

    def matching_text(self, text: str):
        """Paragraphs whose text matches ``text``: full-text search with the analyser of the page's
        language (stems, so "restore" finds "restoration"), or the words as typed (Chinese, names).
        Without PostgreSQL (the embedded SQLite default), every word of it as typed, anywhere."""
        if connection.vendor != "postgresql":
            words = query_terms(text) or [text]
            return self.base.filter(*(Q(text__icontains=word) for word in words)).values("pk")
        config = text_search_config(get_language())
        vector = SearchVector("text", config=config)
        query = SearchQuery(text, config=config, search_type="websearch")
        return self.base.annotate(search=vector).filter(Q(search=query) | Q(text__icontains=text)).values("pk")

    def filtered(self, exclude: str | None = None):
        queryset = self.base
        for name, value in self.filters.items():
            if name != exclude:
                queryset = queryset.filter(pk__in=self.base.filter(self.condition(name, value)).values("pk"))
        return queryset

    def status_counts(self) -> list[dict]:
        """How many paragraphs each status holds under the other filters, with the link that picks it."""
        counts = dict(self.filtered(exclude="status").values_list("status").annotate(n=Count("pk")).order_by())
        return [
            {
                "status": value,
                "label": str(label),
                "count": counts.get(value, 0),
                "url": self.url_with(status=None if self.filters.get("status") == value else value),
                "selected": self.filters.get("status") == value,
            }
            for value, label in ParagraphStatus.choices
        ]

    def params(self) -> list[tuple[str, str]]:
        return [
            (name, str(getattr(self.filters[name], "code", self.filters[name])))
            for name in self.form.fields
            if name in self.filters
        ]

    def url_with(self, **changes) -> str:
        params = dict(self.params())
        for name, value in changes.items():
            params.pop(name, None)
            if value not in (None, ""):
                params[name] = value
        order = list(self.form.fields)
        pairs = sorted(params.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        return "?" + urlencode(pairs) if pairs else "?"

    def results(self) -> dict:
        """The page of paragraphs asked for, with their decisions and targets, as plain values."""
        ordered = self.filtered().order_by("page__meeting", "page__number", "page_id", "sort_order", "pk")
        paginator = Paginator(ordered, PAGE_SIZE)
        page = paginator.page(requested_page(self.request, paginator, self.page_messages))
        paragraphs = list(page.object_list)
        decisions = {
            decision.pk: decision
            for decision in DecisionPage.objects.filter(pk__in={paragraph.page_id for paragraph in paragraphs})
            .select_related("locale")
            .prefetch_related("gbf_targets")
        }
        prime_text_languages(decisions.values())
        types, statuses = dict(ParagraphType.choices), dict(ParagraphStatus.choices)
        rows = []
        for paragraph in paragraphs:
            decision = decisions.get(paragraph.page_id)
            if decision is None:
                continue
            rows.append(
                {
                    "number": paragraph.number,
                    "text": paragraph.text,
                    "text_lang": foreign_language(decision, f"paragraphs.{paragraph.translation_key}.text"),
                    "type": str(types.get(paragraph.paragraph_type, paragraph.paragraph_type)),
                    "status": paragraph.status,
                    "status_label": str(statuses.get(paragraph.status, paragraph.status)),
                    "actors": split_actors(paragraph.actors),
                    "decision": {
                        "title": decision.title,
                        "lang": foreign_language(decision),
                        "reference": decision.reference,
                        "url": decision.get_url(self.request) or "",
                    },
                    "targets": [
                        {**term_label(target), "label": str(target), "number": target.number}
                        for target in decision.gbf_targets.all()
                    ],
                }
            )
        return {
            "rows": rows,
            "count": paginator.count,
            "number": page.number,
            "num_pages": paginator.num_pages,
            "previous_url": self.url_with(page=str(page.number - 1) if page.number > 2 else None)
            if page.has_previous()
            else "",
            "next_url": self.url_with(page=str(page.number + 1)) if page.has_next() else "",
            "messages": self.page_messages,
        }

    def cache_parts(self) -> tuple:
        return (
            self.locale_id,
            get_language(),
            self.request.get_host(),
            tuple(self.params()),
            self.request.GET.get("page", ""),
        )
