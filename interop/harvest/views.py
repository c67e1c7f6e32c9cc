"""The status page of a harvest source in the Wagtail admin: last run, counts by outcome, errors."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import HarvestObject, HarvestSource

RECENT_RUNS = 10
ERRORS_SHOWN = 50


def source_status(request, pk):
    if not request.user.has_perm("harvest.view_harvestsource"):
        raise PermissionDenied
    source = get_object_or_404(HarvestSource, pk=pk)
    runs = list(source.runs.all()[:RECENT_RUNS])
    last = runs[0] if runs else None
    errors = (
        HarvestObject.objects.filter(run__source=source, outcome=HarvestObject.Outcome.FAILED)
        .select_related("run")
        .order_by("-at")[:ERRORS_SHOWN]
    )
    context = {
        "source": source,
        "page_title": _("Harvest status: %(source)s") % {"source": source.name},
        "last_run": last,
        "last_counts": [(HarvestObject.Outcome(o).label, n) for o, n in last.outcome_counts().items()] if last else [],
        "runs": runs,
        "errors": errors,
        "copies": source.records.count(),
    }
    return TemplateResponse(request, "harvest/admin/source_status.html", context)
