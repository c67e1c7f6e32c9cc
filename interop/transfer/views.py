"""The import's admin pages: upload → dry-run report → confirm → summary.

Only editors (national or of the secretariat) and administrators reach them; everyone else,
signed in or not, is refused with a 403 on every URL. The uploaded file stays on the server between
the steps (``pending``), and the confirmation checks it again before anything is written.
"""

import csv
import io
from functools import wraps

import tablib
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from workflows.core.tasks import TransitionError

from . import pending
from .columns import importable_types, template_columns
from .export import FORMATS
from .forms import RecordImportForm
from .importer import Action, Mode, ReportChanged, check, may_import, may_publish_directly, write
from .reading import UnreadableFile, read_sheet


def import_access(view):
    """Editors and administrators only (a 403 for anyone else), in the person's admin language."""

    admin_view = require_admin_access(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return admin_view(request, *args, **kwargs)

    return guarded


def _type_links():
    links = []
    for code, model in importable_types().items():
        links.append(
            {
                "label": model._meta.verbose_name,
                "code": code,
                "csv": reverse("record_import:template", kwargs={"type_code": code, "extension": "csv"}),
                "xlsx": reverse("record_import:template", kwargs={"type_code": code, "extension": "xlsx"}),
            }
        )
    return links


@import_access
def upload(request):
    form = RecordImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = pending.keep(request.user, form.raw, form.cleaned_data["mode"], form.extension)
        return redirect("record_import:report", token=token)
    status = 400 if request.method == "POST" else 200
    context = {"page_title": _("Import records"), "form": form, "types": _type_links()}
    return TemplateResponse(request, "transfer/admin/import_upload.html", context, status=status)


def _file_problem(request, message, status=400):
    context = {"page_title": _("Import records"), "message": message, "upload_url": reverse("record_import:upload")}
    return TemplateResponse(request, "transfer/admin/import_problem.html", context, status=status)


def _load(request, token):
    stored = pending.load(request.user, token)
    if stored is None:
        raise Http404
    raw, mode, extension = stored
    return read_sheet(raw, extension), mode


def _report_response(request, token, report, mode, *, changed=False, status=200):
    context = {
        "page_title": _("Import records: check"),
        "report": report,
        "mode": mode,
        "mode_label": dict(Mode.CHOICES)[mode],
        "token": token,
        "changed": changed,
        "upload_url": reverse("record_import:upload"),
        "confirm_url": reverse("record_import:confirm", kwargs={"token": token}),
        "actions": {
            Action.CREATE: _("Would be created"),
            Action.UPDATE: _("Would be updated"),
            Action.UNCHANGED: _("Unchanged"),
            Action.SKIP: _("Skipped"),
        },
    }
    return TemplateResponse(request, "transfer/admin/import_report.html", context, status=status)


@import_access
def report(request, token):
    """The dry run: every row checked, nothing written."""
    try:
        sheet, mode = _load(request, token)
    except UnreadableFile as error:
        return _file_problem(request, str(error))
    result, _context = check(sheet, request.user, mode)
    if result.file_error:
        return _file_problem(request, result.file_error)
    return _report_response(request, token, result, mode)


@import_access
@require_POST
def confirm(request, token):
    try:
        sheet, mode = _load(request, token)
    except UnreadableFile as error:
        return _file_problem(request, str(error))
    if mode == Mode.PUBLISH and not may_publish_directly(request.user):
        return _file_problem(request, _("You may not publish records directly."), status=403)
    try:
        result, written = write(sheet, request.user, mode, request.POST.get("signature", ""))
    except UnreadableFile as error:
        return _file_problem(request, str(error))
    except ReportChanged as changed:
        return _report_response(request, token, changed.report, mode, changed=True, status=409)
    except TransitionError as error:  # a row the review refused after all: the whole import is undone
        return _file_problem(request, str(error), status=409)
    except (PermissionDenied, PermissionError):
        return _file_problem(request, _("You may not write these records; nothing was written."), status=403)
    pending.discard(request.user, token)
    rows = []
    for item in written:
        page = item.page
        if item.submission is not None:
            link = reverse("workspace:submission", kwargs={"pk": item.submission.pk})
        else:
            link = reverse("wagtailadmin_pages:edit", args=[page.pk])
        rows.append({"title": page.title, "identifier": page.identifier, "action": item.action, "link": link})
    context = {
        "page_title": _("Import records: done"),
        "report": result,
        "mode": mode,
        "rows": rows,
        "created": sum(1 for item in written if item.action == Action.CREATE),
        "updated": sum(1 for item in written if item.action == Action.UPDATE),
        "upload_url": reverse("record_import:upload"),
    }
    return TemplateResponse(request, "transfer/admin/import_summary.html", context)


@import_access
def template_file(request, type_code, extension):
    """An empty file with the columns of a record type (the export's, plus what the type needs)."""
    model = importable_types().get(type_code)
    if model is None or extension not in ("csv", "xlsx"):
        raise Http404
    columns = template_columns(model)
    if extension == "csv":
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerow(columns)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type=FORMATS["csv"])
    else:
        response = HttpResponse(tablib.Dataset(headers=columns).export("xlsx"), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="import-{type_code}.{extension}"'
    return response
