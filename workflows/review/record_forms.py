"""The workspace's record forms: one validated ModelForm per submittable record type.

Each form carries the fields every record shares (title, summary, classification, date, licence),
the type's own fields, and the attachments. Rich text is typed as plain paragraphs (the public site
has no rich-text editor) and stored escaped. Files are checked before any is stored; once checked
and within the count they are kept even when another field fails, so that nothing typed or uploaded
is lost on a validation error (the hourly sweep removes those nobody comes back for).
"""

import html
import re

from django import forms
from django.conf import settings
from django.db import models
from django.utils.html import escape, strip_tags
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language, get_language_info, get_supported_language_variant, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField

from cms.forms import PortalFormMixin, TypeaheadSelectMultiple
from content_types.base.codes import page_type_code

from .documents import staged_documents, store_upload
from .uploads import (
    MAX_ATTACHMENTS,
    allowed_extensions,
    max_upload_size,
    validate_attachment,
    validate_attachment_count,
)

SHARED_FIELDS = ["title", "summary", "publication_date", "licence"]
CLASSIFICATION_FIELDS = ["countries", "regions", "gbf_targets", "subjects", "languages"]
# Filled in by the portal (identifier, type, provenance) or edited in the admin (body, inline rows).
NOT_IN_WORKSPACE = {"identifier", "record_type", "source_portal", "source_url", "harvested_at", "body"}


def submittable_types() -> list:
    from content_types.records.models import record_types

    return record_types()


def type_slug(model) -> str:
    return page_type_code(model)


def model_for_slug(slug: str):
    for model in submittable_types():
        if type_slug(model) == slug:
            return model
    return None


def own_fields(model) -> list[str]:
    """The type's own editable fields (not those of ``RecordPage`` or ``Page``), in declaration order."""
    names = []
    for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
        if field.auto_created or not field.editable or field.primary_key or field.name in NOT_IN_WORKSPACE:
            continue
        if isinstance(field, (StreamField, models.OneToOneField)):
            continue
        names.append(field.name)
    return names


def form_fields(model) -> list[str]:
    return [*SHARED_FIELDS, *own_fields(model), *CLASSIFICATION_FIELDS]


def missing_to_submit(page) -> list[str]:
    """Labels of what ``page`` needs before it is submitted and lacks (a need's GBF targets).

    A draft may be saved without them: the form asks for them only when the person submits, and
    the submission service checks them again whatever the way it is submitted.
    """
    model = type(page)
    return [
        capfirst(model._meta.get_field(name).verbose_name)
        for name in getattr(model, "required_classifications", ())
        if not list(getattr(page, name).all())
    ]


def html_to_text(value: str) -> str:
    """Rich text as the plain paragraphs a person types (blank line between paragraphs)."""
    if not value:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", str(value))
    paragraphs = re.split(r"</(?:p|h[1-6]|li)>", text)
    return "\n\n".join(html.unescape(strip_tags(p)).strip() for p in paragraphs if strip_tags(p).strip())


def text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>{}</p>".format(escape(p).replace("\n", "<br/>")) for p in paragraphs)


class ParagraphsField(forms.CharField):
    """A rich-text model field typed as plain paragraphs; stored as escaped ``<p>`` HTML."""

    widget = forms.Textarea(attrs={"rows": 8})

    def clean(self, value):
        value = super().clean(value)
        return text_to_html(value) if value else ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``RecordForm.clean_new_attachments``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [uploaded for uploaded in files if uploaded]


def _values(data, name) -> list:
    """Every value of ``name`` in a QueryDict, MultiValueDict or plain dict (forms built in code)."""
    if not data:
        return []
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return list(value) if isinstance(value, (list, tuple)) else [value]


def interface_language() -> str:
    """The language of the interface the person is using (the request's), as one of the portal's."""
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class LanguageSelect(forms.Select):
    """The portal's languages, each named in itself and marked with its own ``lang`` and ``dir``."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"].update(lang=value, dir="rtl" if get_language_info(value)["bidi"] else "ltr")
        return option


class RecordForm(PortalFormMixin, forms.ModelForm):
    """Shared behaviour of the per-type forms built by :func:`record_form_class`.

    ``submitting`` is true when the person saves and submits: only then are the fields a draft may
    lack (``required_classifications`` of the type) required.
    """

    language = forms.ChoiceField(
        label=_("Language of the record"),
        choices=settings.LANGUAGES,
        required=False,  # the select always sends one; a form built in code without it keeps the default
        widget=LanguageSelect,
    )
    new_attachments = MultipleFileField(
        label=_("Add attachments"), required=False, widget=MultipleFileInput(attrs={"multiple": True})
    )

    def __init__(self, *args, user=None, language_editable=True, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.parent = None  # the Records section of the chosen language, once the form is clean
        self.staged = []
        self._set_up_language(language_editable)
        extensions = ", ".join(allowed_extensions())
        self.fields["new_attachments"].help_text = _(
            "Up to %(count)s files of %(size)s MB each: %(extensions)s. Their content is checked, not just their name."
        ) % {"count": MAX_ATTACHMENTS, "size": max_upload_size() // (1024 * 1024), "extensions": extensions}
        self.current_attachments = list(self.instance.attachments.all()) if self._has_attachments() else []
        self.fields["remove_documents"] = forms.TypedMultipleChoiceField(
            label=_("Remove attachments"),
            required=False,
            coerce=int,
            choices=[(a.document_id, a.display_title) for a in self.current_attachments],
            widget=forms.CheckboxSelectMultiple,
        )
        for name, field in self.fields.items():
            model_field = self._model_field(name)
            if isinstance(model_field, RichTextField):
                self.fields[name] = ParagraphsField(
                    label=field.label,
                    required=field.required,
                    help_text=_("Separate paragraphs with an empty line."),
                )
                self.initial[name] = html_to_text(self.initial.get(name, ""))
            elif isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            elif isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = TypeaheadSelectMultiple(choices=field.choices)
            if isinstance(model_field, models.ForeignKey) and hasattr(model_field.related_model, "live"):
                field.queryset = model_field.related_model.objects.live().order_by("title")
        required = getattr(self._meta.model, "required_classifications", ())
        self.required_to_submit = tuple(name for name in required if name in self.fields)
        for name in self.required_to_submit:
            field = self.fields[name]
            field.required = submitting
            field.error_messages["required"] = _("Choose at least one value for “%(field)s”.") % {"field": field.label}
        if self.is_bound:
            self.staged = staged_documents(user, _values(self.data, "staged_documents")) if user else []

    def _set_up_language(self, editable: bool) -> None:
        """The language the record is written in decides its Records section (and so its locale)."""
        field = self.fields["language"]
        if self.instance.pk is None:
            self.initial.setdefault("language", interface_language())
        else:
            self.initial["language"] = self.instance.locale.language_code
        if editable:
            field.help_text = _(
                "The language you write the record in. Once published it is shown in every language of the "
                "portal, in this one until it is translated."
            )
        else:
            field.disabled = True
            field.help_text = _(
                "A record keeps its language once it has been submitted; the editors can add translations."
            )
        self.order_fields(["language"])

    @property
    def moved_to(self):
        """The Records section an existing draft moves to when its language was changed, else None."""
        if self.instance.pk is None or self.parent is None:
            return None
        return self.parent if self.parent.locale_id != self.instance.locale_id else None

    def clean_language(self):
        from .services import record_index_for

        code = self.cleaned_data.get("language") or self.get_initial_for_field(self.fields["language"], "language")
        index = record_index_for(code)
        if index is None:
            raise forms.ValidationError(
                _("The portal has no Records section in this language yet; choose another language.")
            )
        self.parent = index
        return code

    def content_fields(self):
        skip = {*CLASSIFICATION_FIELDS, "new_attachments", "remove_documents"}
        return [self[name] for name in self.fields if name not in skip]

    def classification_fields(self):
        return [self[name] for name in CLASSIFICATION_FIELDS if name in self.fields]

    def _model_field(self, name):
        try:
            return self._meta.model._meta.get_field(name)
        except Exception:  # form-only fields
            return None

    def _has_attachments(self) -> bool:
        return hasattr(self.instance, "attachments")

    def clean_new_attachments(self):
        """The new files, each checked; none is stored here (see :meth:`clean`)."""
        files = _values(self.files, "new_attachments")
        validate_attachment_count(len(files))  # too many at once: none is looked at, none is kept
        errors = []
        for uploaded in files:
            try:
                validate_attachment(uploaded)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        cleaned_data = super().clean()
        removed = set(cleaned_data.get("remove_documents") or [])
        kept = [a for a in self.current_attachments if a.document_id not in removed]
        new = cleaned_data.get("new_attachments") or []
        total = len(kept) + len(self.staged) + len(new)
        if total > MAX_ATTACHMENTS:
            self.add_error(
                "new_attachments",
                ngettext(
                    "A record may have %(max)s attachment at most; remove some first.",
                    "A record may have %(max)s attachments at most; remove some first.",
                    MAX_ATTACHMENTS,
                )
                % {"max": MAX_ATTACHMENTS},
            )
        elif new:
            # Checked and within the count: stored now, and offered again should another field fail.
            self.staged.extend(store_upload(uploaded, self.user) for uploaded in new)
        title = cleaned_data.get("title")
        if title and self.instance.pk is None and not self.instance.slug and self.parent is not None:
            self.instance.slug = self._free_slug(title)
        return cleaned_data

    def _free_slug(self, title: str) -> str:
        """A slug from the title that no sibling uses (Wagtail only de-duplicates once the page has a path)."""
        base = slugify(title, allow_unicode=True)[:70] or type_slug(self._meta.model)
        taken = set(self.parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
        candidate, suffix = base, 1
        while candidate in taken:
            suffix += 1
            candidate = f"{base}-{suffix}"
        return candidate

    def save_to_instance(self):
        """The page with the form's values, relations and attachments set in memory (nothing saved yet)."""
        from content_types.records.models import RecordAttachment

        page = self.save(commit=False)
        self.save_m2m()
        removed = set(self.cleaned_data.get("remove_documents") or [])
        kept = [a for a in self.current_attachments if a.document_id not in removed]
        kept_ids = {a.document_id for a in kept}
        added = [RecordAttachment(document=doc) for doc in self.staged if doc.pk not in kept_ids]
        rows = [*kept, *added]
        for position, row in enumerate(rows):
            row.sort_order = position
        page.attachments = rows
        return page


def record_form_class(model) -> type[RecordForm]:
    """A ModelForm for ``model`` with the shared fields, its own fields and its attachments."""
    return forms.modelform_factory(model, form=RecordForm, fields=form_fields(model))


def record_details(page) -> list[tuple[str, object]]:
    """(label, value) of every field the workspace form shows, for reviewers and editors to read."""
    from django.utils.safestring import mark_safe
    from wagtail.rich_text import expand_db_html

    model = type(page)
    language = dict(settings.LANGUAGE_NAMES_IN_ENGLISH).get(page.locale.language_code, page.locale.language_code)
    rows = [(_("Language of the record"), language)]
    for name in form_fields(model):
        if name == "title":
            continue
        field = model._meta.get_field(name)
        if field.many_to_many:
            value = ", ".join(str(item) for item in getattr(page, name).all())
        elif field.choices:
            value = getattr(page, f"get_{name}_display")()
        elif isinstance(field, RichTextField):
            value = mark_safe(expand_db_html(getattr(page, name) or ""))  # Wagtail-sanitised, our own escaped
        else:
            value = getattr(page, name)
        if value not in (None, ""):
            rows.append((field.verbose_name, value))
    return rows
