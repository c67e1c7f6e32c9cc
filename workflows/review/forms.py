"""The forms of the review's human steps: screening, naming reviewers, reviewing, deciding, withdrawing."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.forms import PortalFormMixin
from workflows.core.people import REVIEWER_GROUP

from .models import Decision, Recommendation, ScreeningDecision

DEFAULT_REVIEW_DAYS = 21
MAX_REVIEWERS = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScreeningForm(PortalFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ScreeningDecision.Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the submitter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when you return or reject the submission: say what to change, or why."),
    )

    def clean(self):
        cleaned_data = super().clean()
        needs_comment = cleaned_data.get("outcome") in (
            ScreeningDecision.Outcome.RETURN,
            ScreeningDecision.Outcome.REJECT,
        )
        if needs_comment and not (cleaned_data.get("comment") or "").strip():
            self.add_error("comment", _("Tell the submitter what to change, or why the submission is rejected."))
        return cleaned_data


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.get_username()
        country = getattr(getattr(user, "profile", None), "country", None)
        return f"{name} ({country})" if country else name


class AssignReviewersForm(PortalFormMixin, forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each reviewer gets a task of its own; the reviews run in parallel."),
    )
    due_date = forms.DateField(label=_("Reviews due on"), widget=DateInput())
    anonymous_reviewers = forms.BooleanField(
        label=_("Hide the reviewers' names from the submitter"), required=False, initial=True
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        queryset = (
            User.objects.filter(groups__name=REVIEWER_GROUP, is_active=True)
            .select_related("profile__country")
            .order_by("last_name", "first_name", "username")
            .distinct()
        )
        if submission is not None:
            queryset = queryset.exclude(pk=submission.submitter_id)
            previous = list(
                submission.assignments.filter(round=submission.round, cancelled_at__isnull=True).values_list(
                    "reviewer_id", flat=True
                )
            )
            if previous and "reviewers" not in self.initial:
                self.initial["reviewers"] = previous
            self.initial.setdefault("anonymous_reviewers", submission.anonymous_reviewers)
        self.fields["reviewers"].queryset = queryset
        self.initial.setdefault("due_date", timezone.localdate() + datetime.timedelta(days=DEFAULT_REVIEW_DAYS))

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) > MAX_REVIEWERS:
            raise forms.ValidationError(_("Name %(max)s reviewers at most.") % {"max": MAX_REVIEWERS})
        return reviewers

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("Choose a due date after today."))
        return due


class ReviewForm(PortalFormMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    comments_to_submitter = forms.CharField(
        label=_("Comments to the submitter"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The submitter reads these after the editor's decision."),
    )
    confidential_comments = forms.CharField(
        label=_("Confidential comments to the editor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only editors read these."),
    )


class DecisionForm(PortalFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment to the submitter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required when you request revisions or reject."),
    )
    revision_due = forms.DateField(
        label=_("Revisions due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional; only used when you request revisions."),
    )

    def clean(self):
        cleaned_data = super().clean()
        outcome = cleaned_data.get("outcome")
        if (
            outcome in (Decision.Outcome.REVISE, Decision.Outcome.REJECT)
            and not (cleaned_data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Tell the submitter what to revise, or why the submission is rejected."))
        due = cleaned_data.get("revision_due")
        if due and due <= timezone.localdate():
            self.add_error("revision_due", _("Choose a due date after today."))
        return cleaned_data


class CommentForm(PortalFormMixin, forms.Form):
    """An optional note that goes into the history (withdrawal, resubmission)."""

    comment = forms.CharField(
        label=_("Note for the editors (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
