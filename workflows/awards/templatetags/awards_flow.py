from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pick(row, normalised):
    """The raw or the normalised aggregation of a ranking row."""
    return row.normalised if normalised else row.result


@register.filter
def decimal(value, places=2):
    if value is None:
        return "–"
    return number_format(round(float(value), places), decimal_pos=places)


@register.inclusion_tag("awards_flow/includes/cycle_links.html", takes_context=True)
def award_links(context, page):
    """On a public cycle page: the person's ways into that cycle's work (nothing for a visitor)."""
    from workflows.awards.participation import roles_in

    request = context.get("request")
    user = getattr(request, "user", None)
    roles = roles_in(user, page) if user is not None else None
    return {"roles": roles}
