"""The committee's score sheet: one row per nomination, member and criterion, then the aggregates,
as CSV and as an XLSX workbook (openpyxl)."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .models import Score
from .ranking import evaluation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value: str) -> str:
    """A member's comment as a cell that a spreadsheet never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value):
    return None if value is None else round(float(value), 3)


def sheet_rows(cycle) -> tuple[list, list, list, list]:
    """(score header, score rows, ranking header, ranking rows) of the cycle's score sheet."""
    view = evaluation(cycle)
    nominations = [row.nomination.pk for row in view.rows]
    score_header = [_("Category"), _("Country"), _("Member"), _("Criterion"), _("Score"), _("Comment")]
    scores = [
        [
            str(score.nomination.category),
            str(score.nomination.country),
            str(score.member),
            score.criterion.name,
            score.value,
            _text(score.comment),
        ]
        for score in Score.objects.filter(nomination__in=nominations)
        .select_related("nomination__category", "nomination__country", "member__user", "criterion")
        .order_by("nomination__category__sort_order", "nomination__country__code", "member_id", "criterion__sort_order")
    ]
    ranking_header = [
        _("Category"),
        _("Rank"),
        _("Country"),
        _("Weighted total"),
        _("Weighted total (z-scores)"),
        _("Scores received"),
        _("Scores expected"),
        _("Tie"),
        _("Disagreement"),
    ]
    ranking_header += [_("Mean: %(criterion)s") % {"criterion": criterion.name} for criterion in view.criteria]
    ranking = []
    for row in view.rows:
        ranking.append(
            [
                str(row.nomination.category),
                row.rank,
                str(row.nomination.country),
                _number(row.total),
                _number(row.normalised.total),
                row.result.received,
                row.result.expected,
                _("yes") if row.tied else "",
                _("yes") if row.flagged else "",
            ]
            + [_number(row.result.criteria[criterion.pk].summary.mean) for criterion in view.criteria]
        )
    return score_header, scores, ranking_header, ranking


def _filename(cycle, extension):
    return f'attachment; filename="{cycle.slug}-score-sheet.{extension}"'


def score_sheet_csv(cycle) -> HttpResponse:
    score_header, scores, ranking_header, ranking = sheet_rows(cycle)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ranking_header)
    writer.writerows(ranking)
    writer.writerow([])
    writer.writerow(score_header)
    writer.writerows(scores)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(cycle, "csv")
    return response


def score_sheet_xlsx(cycle) -> HttpResponse:
    from openpyxl import Workbook

    score_header, scores, ranking_header, ranking = sheet_rows(cycle)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    sheet.append(ranking_header)
    for row in ranking:
        sheet.append(row)
    detail = workbook.create_sheet(_("Scores")[:31])
    detail.append(score_header)
    for row in scores:
        detail.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _filename(cycle, "xlsx")
    return response
