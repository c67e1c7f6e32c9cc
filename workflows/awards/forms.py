"""The forms of the award process: a nomination with the cycle's questions, a score sheet, a visit."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.uploads.validators import allowed_extensions, validate_upload, validate_upload_count
from content_types.awards.blocks import AnswerKind
from content_types.awards.models import Prize
from workflows.review.record_forms import MultipleFileField, MultipleFileInput

from .models import validate_screenshot

MAX_ATTACHMENTS = settings.UPLOAD_MAX_FILES


def max_attachment_size() -> int:
    return settings.WAGTAILDOCS_MAX_UPLOAD_SIZE


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

    new_attachments = MultipleFileField(
        label=_("Add attachments"), required=False, widget=MultipleFileInput(attrs={"multiple": True})
    )

    def __init__(self, *args, cycle, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["category"].queryset = cycle.categories.all()
        for name, field in question_fields(cycle):
            self.fields[name] = field
        self.current_attachments = list(attachments)
        self.fields["new_attachments"].help_text = _(
            "Up to %(count)s files of %(size)s MB each: %(extensions)s. Their content is checked, not just their name."
        ) % {
            "count": MAX_ATTACHMENTS,
            "size": max_attachment_size() // (1024 * 1024),
            "extensions": ", ".join(allowed_extensions()),
        }
        if self.current_attachments:
            self.fields["remove_attachments"] = forms.TypedMultipleChoiceField(
                label=_("Remove attachments"),
                required=False,
                coerce=int,
                choices=[(attachment.pk, str(attachment)) for attachment in self.current_attachments],
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_new_attachments(self):
        """Every file passes the portal's upload check (count, size, kind, content, bounded archives)."""
        files = self.cleaned_data.get("new_attachments") or []
        removed = set(self.data.getlist("remove_attachments")) if hasattr(self.data, "getlist") else set()
        kept = len([a for a in self.current_attachments if str(a.pk) not in removed])
        validate_upload_count(kept + len(files), MAX_ATTACHMENTS)
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded, max_size=max_attachment_size())
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def removed_attachments(self) -> list[int]:
        return list(self.cleaned_data.get("remove_attachments") or [])

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name.startswith("q-") and value}

    def new_files(self) -> list:
        return list(self.cleaned_data.get("new_attachments") or [])

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
    screenshot = forms.ImageField(
        label=_("Screenshot"),
        required=False,
        validators=[validate_screenshot],
        help_text=_("A picture of the page: PNG, JPEG or WebP."),
    )

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


class CommitteeForm(forms.Form):
    """The secretariat names the cycle's committee among the award committee group, and its chair."""

    members = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Members"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A member never assesses its own Party's nominations; aim for every UN region."),
    )
    chair = forms.ModelChoiceField(queryset=None, label=_("Chair"))

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from cms.accounts.roles import AWARD_COMMITTEE

        super().__init__(*args, **kwargs)
        people = (
            get_user_model()
            .objects.filter(groups__name=AWARD_COMMITTEE, is_active=True)
            .select_related("profile__country")
            .order_by("last_name", "first_name", "username")
            .distinct()
        )
        self.fields["members"].queryset = people
        self.fields["chair"].queryset = people
        self.fields["members"].label_from_instance = self.fields["chair"].label_from_instance = _person

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("chair") and cleaned.get("members") is not None and cleaned["chair"] not in cleaned["members"]:
            self.add_error("chair", _("The chair must be one of the members."))
        return cleaned


def _person(user) -> str:
    name = user.get_full_name() or user.get_username()
    country = getattr(getattr(user, "profile", None), "country", None)
    return f"{name} ({country})" if country else name
