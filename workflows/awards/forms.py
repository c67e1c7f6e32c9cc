"""The forms of the award process: a nomination with the cycle's questions, a score sheet, a visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content_types.awards.blocks import AnswerKind
from content_types.awards.models import Prize


def question_fields(cycle):
    """(field name, form field) for every question of the cycle's questionnaires, in order."""
    fields = []
    for questionnaire in cycle.questionnaire_list():
        for number, block in enumerate(questionnaire.questions):
            question = block.value
            name = f"q-{questionnaire.pk}-{number}"
            options = {"label": question["text"], "help_text": question.get("help") or "", "required": False}
            kind = question.get("kind")
            if kind == AnswerKind.CHOICE:
                choices = [("", "—")] + [(choice, choice) for choice in question.get("choices") or [] if choice]
                field = forms.ChoiceField(choices=choices, **options)
            elif kind == AnswerKind.YES_NO:
                field = forms.ChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **options)
            elif kind == AnswerKind.URL:
                field = forms.URLField(max_length=500, assume_scheme="https", **options)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **options)
            field.answer_required = bool(question.get("required"))
            fields.append((name, field))
    return fields


class NominationForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, label=_("Category"))
    website = forms.URLField(label=_("National CHM website"), max_length=500, assume_scheme="https")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["category"].queryset = cycle.categories.all()
        for name, field in question_fields(cycle):
            self.fields[name] = field

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name.startswith("q-") and value}

    def check_complete(self) -> bool:
        """Before a submission: every required question is answered."""
        complete = True
        for name, field in self.fields.items():
            if getattr(field, "answer_required", False) and not self.cleaned_data.get(name):
                self.add_error(name, _("Answer this question before you submit."))
                complete = False
        return complete


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[("accept", _("Accept")), ("correct", _("Ask for a correction")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment or reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ScoreSheetForm(forms.Form):
    """A score and a comment for every criterion of the cycle."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = scores or {}
        for criterion in criteria:
            choices = [("", "—")] + [
                (str(value), f"{value} – {descriptor}" if descriptor else str(value))
                for value, descriptor in self._levels(criterion)
            ]
            own = scores.get(criterion.pk)
            self.fields[f"score-{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=None if own is None else own.value,
            )
            self.fields[f"comment-{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                initial="" if own is None else own.comment,
            )

    @staticmethod
    def _levels(criterion):
        descriptors = dict(criterion.scale_levels())
        return [(value, descriptors.get(value, "")) for value in range(criterion.scale_min, criterion.scale_max + 1)]


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the virtual visit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pages_visited = forms.CharField(
        label=_("Pages looked at"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    screenshot = forms.ImageField(label=_("Screenshot"), required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"note-{criterion.pk}"] = forms.CharField(
                label=_("Visit notes on “%(criterion)s”") % {"criterion": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("What the conflict is"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DecisionForm(forms.Form):
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            nomination = row.nomination
            self.fields[f"prize-{nomination.pk}"] = forms.ChoiceField(
                label=str(nomination), choices=[("", _("No prize"))] + list(Prize.choices), required=False
            )
            self.fields[f"feedback-{nomination.pk}"] = forms.CharField(
                label=_("Feedback to %(country)s") % {"country": nomination.country},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=nomination.feedback,
            )

    def prizes(self) -> dict:
        return {
            row.nomination: self.cleaned_data[f"prize-{row.nomination.pk}"]
            for row in self.rows
            if self.cleaned_data.get(f"prize-{row.nomination.pk}")
        }

    def feedback(self) -> dict:
        return {row.nomination.pk: self.cleaned_data.get(f"feedback-{row.nomination.pk}", "") for row in self.rows}
