from django import forms, template

from ..panel import panel_context

register = template.Library()

TEXT_FIELDS = ("title", "summary")


@register.inclusion_tag("suggest/panel.html")
def suggestions_panel(form):
    """The suggestions panel of a record form: it reads the title, the summary and every text area,
    and fills the form's GBF targets and subjects. Nothing when the form has neither."""
    if "gbf_targets" not in form.fields and "subjects" not in form.fields:
        return {"endpoint": None}
    sources = [
        form[name].auto_id
        for name, field in form.fields.items()
        if name in TEXT_FIELDS or isinstance(field.widget, forms.Textarea)
    ]
    return panel_context(
        sources=sources,
        targets=form["gbf_targets"].auto_id if "gbf_targets" in form.fields else "",
        subjects=form["subjects"].auto_id if "subjects" in form.fields else "",
        language=form["language"].auto_id if "language" in form.fields else "",
    )
