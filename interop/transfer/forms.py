"""The first step of an import: the file and what to do with its records."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cms.uploads.validators import extension_of, validate_upload

from .importer import Mode, header_problem, may_publish_directly
from .reading import MAX_ROWS, UnreadableFile, read_sheet

IMPORT_EXTENSIONS = ["csv", "xlsx"]
IMPORT_MAX_SIZE = 10 * 1024 * 1024


class RecordImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    mode = forms.ChoiceField(label=_("What to do with the records"), widget=forms.RadioSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.sheet = None
        self.raw = b""
        self.fields["file"].help_text = _(
            "One record per row, at most %(rows)s rows and %(size)s; a CSV file in UTF-8 with commas between "
            "columns, or the first sheet of an XLSX workbook. The “type” column gives each row's record type; "
            "download the template of a type for its columns (an export of a listing can be imported as it is). "
            "Codes name the terms: countries (ISO, e.g. FR), regions (M49), targets (GBF-T3), subjects, "
            "languages, separated by “;”. The columns url, text_language, first_published_at and modified are "
            "ignored; “identifier” names an existing record to change (when publishing directly); state, owner "
            "and provenance cannot be set. Cells are stored as text, never evaluated."
        ) % {"rows": f"{MAX_ROWS:,}", "size": filesizeformat(IMPORT_MAX_SIZE)}
        choices = [(value, label) for value, label in Mode.CHOICES]
        if user is None or not may_publish_directly(user):
            choices = [(value, label) for value, label in choices if value != Mode.PUBLISH]
        self.fields["mode"].choices = choices
        self.fields["mode"].initial = Mode.REVIEW
        self.fields["mode"].error_messages["invalid_choice"] = _(
            "You may not publish records directly; choose to submit them for review."
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_upload(uploaded, max_size=IMPORT_MAX_SIZE, allowed=IMPORT_EXTENSIONS)
        uploaded.seek(0)
        self.raw = uploaded.read()
        try:
            self.sheet = read_sheet(self.raw, extension_of(uploaded.name))
        except UnreadableFile as error:
            raise forms.ValidationError(str(error), code="unreadable") from error
        problem = header_problem(self.sheet.header)
        if problem:
            raise forms.ValidationError(problem, code="header")
        return uploaded

    @property
    def extension(self) -> str:
        return extension_of(self.cleaned_data["file"].name)
