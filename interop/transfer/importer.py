"""Import of records from a table: a dry run that validates every row, then the same rows written at once.

Every row goes through the workspace's own record form (required fields, choices, dates, the Records
section of its language), with the vocabularies read once for the whole file and handed to the form
as terms already found by their codes. Nothing is written by :func:`check`; :func:`write` checks the
file again and writes what it found valid in one transaction: drafts submitted to the editors'
screening through the review services, or pages published through Wagtail (with their aliases in
every language and their search entries), as the editor chose and the access authority allows.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content_types.base.translations import ensure_aliases_in_bulk
from content_types.records.models import RecordIndexPage, RecordPage
from content_types.vocabularies.models import Country
from workflows.access import Access, may_page, permission_tester, uses_admin
from workflows.core.people import is_secretariat_editor, national_editor_country_id
from workflows.review import services as review
from workflows.review.record_forms import record_form_class, type_slug

from .columns import (
    CODE_COLUMNS,
    COUNTRY_FIELD,
    EXTRA_SHARED_COLUMNS,
    FORM_FIELD_COLUMNS,
    PROTECTED_COLUMNS,
    READ_ONLY_COLUMNS,
    SHARED_COLUMNS,
    importable_own_fields,
    importable_types,
    known_columns,
    split_codes,
)
from .reading import Sheet, UnreadableFile

REQUIRED_COLUMNS = ("type", "title", "language")


class Mode:
    REVIEW = "review"
    PUBLISH = "publish"
    CHOICES = [
        (REVIEW, gettext_lazy("Submit each record for review: drafts go to the editors' screening")),
        (PUBLISH, gettext_lazy("Publish each record directly, in every language of the portal")),
    ]


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"


# --- who may import -----------------------------------------------------------------------------


def may_import(user) -> bool:
    """Editors (national or of the secretariat) and administrators, through the admin."""
    if not uses_admin(user):
        return False
    return is_secretariat_editor(user) or national_editor_country_id(user) is not None


def default_record_index():
    index = review.record_index_for(settings.LANGUAGE_CODE)
    return index or RecordIndexPage.objects.order_by("depth", "pk").first()


def may_publish_directly(user) -> bool:
    """Whether the user may publish new records in the Records section, as the admin would let it."""
    index = default_record_index()
    return index is not None and may_import(user) and permission_tester(user, index).can_publish_subpage()


# --- the form a row goes through ----------------------------------------------------------------


class _HeldValue(forms.Widget):
    """Reads the value a row already resolved (terms found by their codes) from the form's data."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class ResolvedTermsField(forms.Field):
    """A vocabulary field whose terms the import found by their codes, once for the whole file.

    It keeps the record form's label, requirement and messages, and answers as the model choice
    field it replaces would (a list of terms, or one term), without a query per row.
    """

    widget = _HeldValue

    def __init__(self, original: forms.Field, many: bool):
        super().__init__(required=original.required, label=original.label, help_text=original.help_text)
        self.error_messages = dict(original.error_messages)
        self.many = many

    def clean(self, value):
        if self.many:
            value = list(value or [])
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return value if value else ([] if self.many else None)

    @staticmethod
    def _keys(value) -> set:
        """The terms' ids, whether given as terms (a row, an instance's values, a queryset) or as ids."""
        if value is None or isinstance(value, str) and not value:
            return set()
        items = value if hasattr(value, "__iter__") and not isinstance(value, str) else [value]
        return {getattr(item, "pk", item) for item in items if item not in (None, "")}

    def has_changed(self, initial, data):
        return self._keys(initial) != self._keys(data)


def import_form_class(model, cache: dict):
    if model not in cache:
        base = record_form_class(model)

        class ImportRecordForm(base):
            def __init__(self, *args, context, kept=None, **kwargs):
                self.import_context = context
                super().__init__(*args, **kwargs)
                for name in [*FORM_FIELD_COLUMNS, COUNTRY_FIELD]:
                    if name in self.fields:
                        self.fields[name] = ResolvedTermsField(self.fields[name], many=name != COUNTRY_FIELD)
                if kept is not None:  # an update changes only the columns the file has
                    for name in list(self.fields):
                        if name not in kept and name != "language":
                            del self.fields[name]

            def clean_language(self):
                code = self.cleaned_data.get("language") or self.get_initial_for_field(
                    self.fields["language"], "language"
                )
                index = self.import_context.indexes.get(code)
                if index is None:
                    return super().clean_language()  # says the section is missing, in the form's words
                self.parent = index
                return code

            def clean(self):
                if self.instance.pk is None and not self.instance.slug:
                    self.instance.slug = "import"  # the real one is chosen when the row is written
                return super().clean()

        ImportRecordForm.__name__ = f"Import{model.__name__}Form"
        cache[model] = ImportRecordForm
    return cache[model]


# --- the report -----------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    number: int
    title: str = ""
    identifier: str = ""
    type_code: str = ""
    action: str = Action.SKIP
    errors: list = field(default_factory=list)  # (column, message)
    form: object = None
    page: object = None

    def error(self, column: str, message) -> None:
        self.errors.append((column, str(message)))


@dataclass
class Report:
    rows: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    file_error: str = ""

    def count(self, *actions) -> int:
        return sum(1 for row in self.rows if row.action in actions)

    @property
    def created(self) -> int:
        return self.count(Action.CREATE)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATE)

    @property
    def skipped(self) -> int:
        return self.count(Action.SKIP, Action.UNCHANGED)

    @property
    def writable(self) -> int:
        return self.created + self.updated

    @property
    def problems(self) -> list:
        """(row, column, message) of every row error, in row order."""
        return [(row.number, column, message) for row in self.rows for column, message in row.errors]

    def signature(self) -> str:
        """What the person confirmed: which rows would be written and how (compared again at confirm)."""
        parts = [f"{row.number}:{row.action}" for row in self.rows if row.action in (Action.CREATE, Action.UPDATE)]
        return ",".join(parts) or "-"


# --- what is read once per file -------------------------------------------------------------------


@dataclass
class Context:
    user: object
    mode: str
    country: object = None  # a national editor's country: the only one it imports for
    terms: dict = field(default_factory=dict)  # column -> {code: term}
    countries: dict = field(default_factory=dict)
    indexes: dict = field(default_factory=dict)  # language code -> Records section
    existing: dict = field(default_factory=dict)  # identifier -> [record pages]
    form_classes: dict = field(default_factory=dict)

    @classmethod
    def load(cls, user, mode, identifiers) -> "Context":
        country_id = national_editor_country_id(user)
        context = cls(user=user, mode=mode)
        for column, (_name, vocabulary, _case) in CODE_COLUMNS.items():
            context.terms[column] = {term.code: term for term in vocabulary.objects.all()}
        context.countries = context.terms["countries"]
        if country_id is not None:
            context.country = next((c for c in context.countries.values() if c.pk == country_id), None)
            if context.country is None:
                context.country = Country.objects.get(pk=country_id)
        for index in RecordIndexPage.objects.select_related("locale").order_by("-depth", "-pk"):
            context.indexes[index.locale.language_code] = index  # the shallowest, as record_index_for
        if identifiers:
            pages = RecordPage.objects.filter(identifier__in=identifiers).select_related("locale")
            for page in pages.order_by("pk"):
                context.existing.setdefault(page.identifier, []).append(page)
        return context


# --- the dry run ----------------------------------------------------------------------------------


def header_problem(header: list[str]) -> str:
    known = known_columns()
    lowered = [name.lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in lowered]
    unknown = [name for name in header if name and name.lower() not in known]
    if missing and len(unknown) == len([name for name in header if name]):
        return _(
            "The first line does not name the columns. Start the file with the template's header line: %(columns)s."
        ) % {"columns": ",".join(REQUIRED_COLUMNS)}
    if unknown:
        return _("Unknown columns: %(columns)s. Use the columns of the template of the record type.") % {
            "columns": ", ".join(f"“{name}”" for name in unknown)
        }
    if missing:
        return _("Missing columns: %(columns)s.") % {"columns": ", ".join(f"“{name}”" for name in missing)}
    duplicated = sorted({name for name in lowered if name and lowered.count(name) > 1})
    if duplicated:
        return _("Columns named twice: %(columns)s.") % {"columns": ", ".join(f"“{name}”" for name in duplicated)}
    return ""


def check(sheet: Sheet, user, mode: str) -> tuple[Report, Context | None]:
    """Validate every row as the record form would; write nothing."""
    report = Report()
    problem = header_problem(sheet.header)
    if problem:
        report.file_error = problem
        return report, None
    header = [name.lower() for name in sheet.header]
    for name in header:
        if name in PROTECTED_COLUMNS:
            report.warnings.append(
                _("The column “%(column)s” cannot be set by an import; its values were ignored.") % {"column": name}
            )
    records = []
    for number, values in sheet.rows:
        cells = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header) if name}
        records.append((number, cells))
    identifiers = {cells.get("identifier", "") for _n, cells in records} - {""}
    context = Context.load(user, mode, identifiers)
    seen_identifiers: dict[str, int] = {}
    for number, cells in records:
        outcome = RowOutcome(number=number, title=cells.get("title", ""), identifier=cells.get("identifier", ""))
        _check_row(outcome, cells, header, context, seen_identifiers)
        report.rows.append(outcome)
    return report, context


def _check_row(outcome: RowOutcome, cells: dict, header: list[str], context: Context, seen: dict) -> None:
    types = importable_types()
    code = cells.get("type", "").lower()
    model = types.get(code)
    outcome.type_code = code
    if model is None:
        outcome.error(
            "type",
            _("“%(value)s” is not a record type that can be imported; use one of: %(types)s.")
            % {"value": cells.get("type", ""), "types": ", ".join(types)},
        )
        return
    if not cells.get("language"):
        outcome.error("language", _("Give the language the record is written in (e.g. en, fr)."))
    page = None
    if outcome.identifier:
        if outcome.identifier in seen:
            outcome.error(
                "identifier",
                _("This identifier is already on row %(row)s; a record is imported once per file.")
                % {"row": seen[outcome.identifier]},
            )
            return
        seen[outcome.identifier] = outcome.number
        page = _record_to_update(outcome, cells, model, context)
        if page is None:
            return
    if outcome.errors:
        return
    data, kept = _form_data(outcome, cells, header, model, context, page)
    if outcome.errors:
        return
    form_class = import_form_class(model, context.form_classes)
    if page is not None:
        instance = page.get_latest_revision_as_object()
    else:
        instance = model()
        index = context.indexes.get(str(data.get("language", "")))
        if index is not None:  # its locale, known already: not looked up again for each row
            instance.locale = index.locale
    form = form_class(
        data,
        {},
        instance=instance,
        user=context.user,
        submitting=True,
        language_editable=page is None,
        context=context,
        kept=kept if page is not None else None,
    )
    if not form.is_valid():
        for name, messages in form.errors.items():
            column = "" if name == "__all__" else FORM_FIELD_COLUMNS.get(name, name)
            for message in messages:
                outcome.error(column, message)
        return
    outcome.form = form
    outcome.page = page
    if page is None:
        outcome.action = Action.CREATE
    else:
        outcome.action = Action.UPDATE if form.has_changed() else Action.UNCHANGED


def _record_to_update(outcome, cells, model, context: Context):
    """The record a row's identifier names, in the row's language, if this user may change it."""
    family = context.existing.get(outcome.identifier)
    if not family:
        outcome.error(
            "identifier",
            _(
                "No record has this identifier. Identifiers are given by the portal: leave the cell empty to "
                "create a new record."
            ),
        )
        return None
    language = cells.get("language", "").lower()
    written = [page for page in family if page.alias_of_id is None and page.locale.language_code == language]
    if not written:
        outcome.error(
            "language",
            _("This record has no version written in “%(language)s”; translations are made in the admin.")
            % {"language": cells.get("language", "")},
        )
        return None
    page = written[0]
    if page.source_portal:
        outcome.error(
            "identifier",
            _("This record was harvested from %(portal)s and is read-only here; correct it there.")
            % {"portal": page.source_portal},
        )
        return None
    if type_slug(page.specific_class) != type_slug(model):
        outcome.error(
            "type",
            _("This record is of type “%(type)s”; its type cannot be changed.")
            % {"type": type_slug(page.specific_class)},
        )
        return None
    if context.mode != Mode.PUBLISH:
        outcome.error(
            "identifier",
            _(
                "An existing record is changed by an import only when publishing directly; remove the identifier "
                "to submit a new record, or change this one in the admin."
            ),
        )
        return None
    if not may_page(context.user, Access.CHANGE, page):
        outcome.error("identifier", _("You may not change this record (it is under review, or not of your country)."))
        return None
    return page.specific


def _form_data(outcome, cells, header, model, context: Context, page):
    """The form's data from the row's cells; the columns an update changes (``kept``)."""
    own = importable_own_fields(model)
    settable = [*SHARED_COLUMNS, *EXTRA_SHARED_COLUMNS, *CODE_COLUMNS, *own]
    present = [name for name in header if name in settable and name not in READ_ONLY_COLUMNS]
    data: dict = {}
    if page is None:
        for name in own:
            model_field = model._meta.get_field(name)
            if model_field.has_default():
                data[name] = model_field.get_default()
        data["publication_date"] = RecordPage._meta.get_field("publication_date").get_default().isoformat()
        data["licence"] = RecordPage._meta.get_field("licence").get_default()
    kept = set()
    for name in present:
        value = cells.get(name, "")
        if page is None and value == "" and name in data:
            continue  # an empty cell takes the type's default, as a form left as it is would
        if name in CODE_COLUMNS:
            form_name, _vocabulary, case = CODE_COLUMNS[name]
            data[form_name] = _terms(outcome, name, value, case, context)
            kept.add(form_name)
        elif name == COUNTRY_FIELD:
            data[name] = _country(outcome, value, context)
            kept.add(name)
        else:
            data[name] = value
            kept.add(name)
    if context.country is not None:
        countries = data.get("countries")
        if not countries and page is None:
            data["countries"] = [context.country]
        if COUNTRY_FIELD in own and not data.get(COUNTRY_FIELD) and page is None:
            data[COUNTRY_FIELD] = context.country
    return data, kept


def _not_yours(outcome, column, code, context: Context) -> None:
    outcome.error(
        column,
        _("Country not yours: you import records for %(country)s only, not for “%(code)s”.")
        % {"country": context.country.code, "code": code},
    )


def _terms(outcome, column, value, case, context: Context) -> list:
    codes = [case(code) if code.isascii() else code for code in split_codes(value)]
    found = context.terms[column]
    unknown = [code for code in codes if code not in found]
    if unknown:
        outcome.error(column, _("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)})
    terms = [found[code] for code in codes if code in found]
    if column == "countries" and context.country is not None:
        for term in terms:
            if term.pk != context.country.pk:
                _not_yours(outcome, column, term.code, context)
    return terms


def _country(outcome, value, context: Context):
    if not value:
        return None
    code = value.upper() if value.isascii() else value
    country = context.countries.get(code)
    if country is None:
        outcome.error(COUNTRY_FIELD, _("Unknown code: %(codes)s.") % {"codes": value})
        return None
    if context.country is not None and country.pk != context.country.pk:
        _not_yours(outcome, COUNTRY_FIELD, country.code, context)
    return country


# --- writing --------------------------------------------------------------------------------------


class ReportChanged(Exception):
    """The file no longer checks as it did when the person confirmed (records changed meanwhile)."""

    def __init__(self, report):
        super().__init__("report changed")
        self.report = report


@dataclass
class Written:
    page: object
    action: str
    submission: object = None


def _free_slug(parent, title: str, taken: dict) -> str:
    slugs = taken.get(parent.pk)
    if slugs is None:
        slugs = taken[parent.pk] = set(parent.get_children().values_list("slug", flat=True))
    base = slugify(title, allow_unicode=True)[:70] or "record"
    candidate, suffix = base, 1
    while candidate in slugs:
        suffix += 1
        candidate = f"{base}-{suffix}"
    slugs.add(candidate)
    return candidate


def write(sheet: Sheet, user, mode: str, signature: str, progress=None) -> tuple[Report, list[Written]]:
    """Check the file again and, if it checks as confirmed, write its valid rows: all of them or none.

    ``progress(done, total)`` is called after each row written (a command's progress bar)."""
    if mode == Mode.PUBLISH and not may_publish_directly(user):
        raise PermissionError
    report, context = check(sheet, user, mode)
    if report.file_error:
        raise UnreadableFile(report.file_error)
    if report.signature() != signature:
        raise ReportChanged(report)
    written: list[Written] = []
    taken: dict = {}
    total = report.writable
    with transaction.atomic():
        for outcome in report.rows:
            if outcome.action not in (Action.CREATE, Action.UPDATE):
                continue
            try:
                if outcome.action == Action.CREATE:
                    written.append(_create(outcome.form, user, mode, taken))
                else:
                    written.append(_update(outcome.form, user))
            except Exception as error:
                error.import_row = outcome.number  # the row that failed, for the job's report
                raise
            if progress is not None:
                progress(len(written), total)
        published = [item.page for item in written if item.submission is None]
        if published:
            ensure_aliases_in_bulk(published)
    return report, written


def _create(form, user, mode, taken) -> Written:
    page = form.save_to_instance()
    parent = form.parent
    page.slug = _free_slug(parent, page.title, taken)
    if mode == Mode.REVIEW:
        submission = review.create_draft(page, parent, user)
        review.submit(submission.pk, user)
        return Written(page=page, action=Action.CREATE, submission=submission)
    page.locale_id = parent.locale_id
    page.owner = user
    page.live = False
    page.has_unpublished_changes = True
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return Written(page=page, action=Action.CREATE)


def _update(form, user) -> Written:
    page = form.save_to_instance()
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    return Written(page=page, action=Action.UPDATE)
