"""The import's admin pages: upload → dry-run report → confirm → the job's progress and summary.

Only editors (national or of the secretariat) and administrators reach them; everyone else,
signed in or not, is refused with a 403 on every URL. The uploaded file stays on the server between
the steps (``pending``); the confirmation starts a background job (``jobs``) that checks it again
before anything is written. A job is seen only by its own user and administrators (others get a 404).
"""

import csv
import io
from functools import wraps

import tablib
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from . import jobs, pending
from .columns import importable_types, template_columns
from .export import FORMATS
from .forms import RecordImportForm
from .importer import Action, Mode, check, may_import, may_publish_directly
from .models import ImportJob
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
    """Send the write to a background job (once per file: a second submit finds the first job)."""
    job = ImportJob.objects.filter(user=request.user, token=token).exclude(state=ImportJob.State.FAILED).first()
    if job is not None:
        return redirect("record_import:job", pk=job.pk)
    stored = pending.load(request.user, token)
    if stored is None:
        raise Http404
    _raw, mode, _extension = stored
    if mode == Mode.PUBLISH and not may_publish_directly(request.user):
        return _file_problem(request, _("You may not publish records directly."), status=403)
    job = jobs.enqueue(request.user, token, mode, request.POST.get("signature", ""))
    return redirect("record_import:job", pk=job.pk)


def _job_for(request, pk):
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not job.visible_to(request.user):
        raise Http404
    job.fail_if_stale()
    return job


def _progress_figures(job):
    done, total = job.progress()
    return {"state": job.state, "done": done, "total": total, "finished": job.finished}


@import_access
def job_page(request, pk):
    """A job's progress while it waits or runs (refreshed), then its summary or its failure."""
    job = _job_for(request, pk)
    rows = []
    for record in job.records:
        if record["submission"] is not None:
            link = reverse("workspace:submission", kwargs={"pk": record["submission"]})
        else:
            link = reverse("wagtailadmin_pages:edit", args=[record["page"]])
        rows.append({**record, "link": link})
    titles = {
        ImportJob.State.QUEUED: _("Import records: waiting to start"),
        ImportJob.State.RUNNING: _("Import records: writing"),
        ImportJob.State.DONE: _("Import records: done"),
        ImportJob.State.FAILED: _("Import records: nothing written"),
    }
    context = {
        "page_title": titles[job.state],
        "job": job,
        "figures": _progress_figures(job),
        "rows": rows,
        "problems": [(row, column, message) for row, column, message in job.errors],
        "progress_url": reverse("record_import:job_progress", kwargs={"pk": job.pk}),
        "report_url": reverse("record_import:report", kwargs={"token": job.token}),
        "upload_url": reverse("record_import:upload"),
        "inbox_url": reverse("workspace:tasks"),
    }
    return TemplateResponse(request, "transfer/admin/import_job.html", context)


@import_access
def job_progress(request, pk):
    """The figures the job page polls: state, rows written and rows to write."""
    job = _job_for(request, pk)
    response = JsonResponse(_progress_figures(job))
    response["Cache-Control"] = "no-store"
    return response


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
