"""How every form of the public site renders: one field template (templates/forms/field.html).

Forms that mix in :class:`PortalFormMixin` mark their required fields (and those required only to
submit) before the first attempt, tie hints, character counts and errors to their field with
``aria-describedby``, show a length limit as a counter instead of cutting what is typed, and list
their errors in a summary that links to each field. ``TypeaheadSelectMultiple`` is a long
multi-select that cms/static/js/forms.js turns into a type-ahead; without JavaScript it stays a
plain list box.
"""

import json

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext, ngettext

# Counts whose plural categories cover every integer form of the six UN languages (Arabic's zero,
# one, two, few, many and other; Russian's one, few and many). The browser shows, for a count, the
# sample text whose Intl.PluralRules category is the count's own.
PLURAL_SAMPLES = (0, 1, 2, 3, 5, 11, 100)


def plural_samples(singular: str, plural: str) -> dict[int, str]:
    """``ngettext`` of each sample count, with ``%(count)s`` left for the browser to fill in."""
    return {count: ngettext(singular, plural, count) for count in PLURAL_SAMPLES}


def counter_messages() -> dict:
    return {
        "left": plural_samples("%(count)s character left", "%(count)s characters left"),
        "over": plural_samples("%(count)s character too many", "%(count)s characters too many"),
    }


def typeahead_messages() -> dict:
    return {
        "hint": gettext(
            "Type to find a term, choose it with the arrow keys and Enter. Backspace removes the last one."
        ),
        "noResults": gettext("Nothing matches “%(query)s”."),
        "remove": gettext("Remove %(item)s"),
        "added": gettext("%(item)s added."),
        "removed": gettext("%(item)s removed."),
    }


class PortalFormRenderer(TemplatesSetting):
    """Renders with the project's templates, so that templates/forms/ replaces Django's field template."""

    field_template_name = "forms/field.html"


class PortalBoundField(forms.BoundField):
    """A field as the shared template shows it: its requirement, its counter, its error link."""

    @property
    def requirement(self) -> str:
        """``submit`` when needed only to submit (a draft may lack it), ``required`` when always needed."""
        if self.name in getattr(self.form, "required_to_submit", ()):
            return "submit"
        return "required" if self.field.required else ""

    @property
    def max_length(self) -> int | None:
        """The limit a counter shows: on text inputs and text areas (the server checks every field)."""
        if not getattr(self.form, "character_counts", True) or not self.auto_id:
            return None
        if isinstance(self.field.widget, (forms.TextInput, forms.Textarea)):
            return getattr(self.field, "max_length", None)
        return None

    @property
    def count_hint(self) -> str:
        limit = self.max_length
        if not limit:
            return ""
        return ngettext(
            "You can enter up to %(count)s character.", "You can enter up to %(count)s characters.", limit
        ) % {"count": limit}

    @property
    def counter_messages(self) -> str:
        return json.dumps(counter_messages(), ensure_ascii=False)

    @property
    def summary_target(self) -> str:
        """The id the error summary links to: the field's control, or the first of a group's."""
        if self.field.widget.use_fieldset:
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def data(self):
        # Browsers send a text area's line breaks as CRLF but count each as one character:
        # normalise them so that the server's count is the one the person saw.
        value = super().data
        if isinstance(self.field.widget, forms.Textarea) and isinstance(value, str):
            return value.replace("\r\n", "\n")
        return value

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        if not self.auto_id or self.is_hidden:
            return ""
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}_helptext")
        if self.max_length:
            ids.append(f"{self.auto_id}_count_hint")
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        # A maxlength attribute cuts what is typed or pasted without a word: the counter shows the
        # limit instead, and the server refuses a longer value with a message.
        if "maxlength" in widget.attrs:
            attrs["maxlength"] = False
        if self.max_length:
            attrs["data-char-count"] = f"{self.auto_id}_count"
        if self.requirement == "submit":
            attrs["required"] = False  # a draft may be saved without it
        elif self.requirement == "required" and not attrs.get("required") and not self.use_fieldset:
            attrs["aria-required"] = "true"  # a select that always has a value gets no "required"
        if self.form.is_bound and self.form.errors:
            attrs["autofocus"] = False  # the error summary takes the focus
        return attrs


class PortalFormMixin:
    """Renders a form with the shared templates; list in ``required_to_submit`` the fields a draft may lack."""

    default_renderer = PortalFormRenderer
    bound_field_class = PortalBoundField
    required_to_submit: tuple[str, ...] = ()
    character_counts = True  # False where limits are not something a person writes up to (sign-in)

    def visible_requirements(self) -> set[str]:
        """The kinds of requirement the form's visible fields show (for the legend above the form)."""
        return {bound.requirement for bound in self.visible_fields()} - {""}

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(link target, field label, message) of every error; form-wide errors link to the first field."""
        visible = self.visible_fields()
        first = visible[0].summary_target if visible else ""
        items = [(first, "", str(error)) for error in self.non_field_errors()]
        for bound in self:
            target = bound.summary_target if not bound.is_hidden else first
            items.extend((target, str(bound.label or ""), str(error)) for error in bound.errors)
        return items


class TypeaheadSelectMultiple(forms.SelectMultiple):
    """A long multi-select (countries, languages, subjects, targets, regions) that becomes a type-ahead.

    cms/static/js/forms.js enhances every select with ``data-typeahead``; the attribute carries the
    widget's strings in the page's language. Without JavaScript the plain list box remains.
    """

    def __init__(self, attrs=None, choices=()):
        super().__init__({"size": 8, **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-typeahead"] = json.dumps(typeahead_messages(), ensure_ascii=False)
        return context
