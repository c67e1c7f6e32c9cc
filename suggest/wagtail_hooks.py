"""The suggestions panel in the admin's page editor: placed after a record's summary, it reads the
title and summary and fills the Classification tab's GBF targets and subjects. On editors of pages
without those fields the script finds nothing to do and the panel stays hidden."""

from django.template.loader import render_to_string
from wagtail import hooks

from .panel import panel_context


@hooks.register("insert_editor_js")
def suggestions_panel_in_the_editor():
    context = panel_context(
        sources=["id_title", "id_summary"],
        targets="id_gbf_targets",
        subjects="id_subjects",
        placement="id_summary",
    )
    return render_to_string("suggest/panel.html", context)
