"""Matchmaking's notification events, registered with the notifications app when it starts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.notifications.events import Link, register_event


class Event(models.TextChoices):
    PROPOSED = "match_proposed", _("Match proposed")
    ACCEPTED = "match_accepted", _("Match accepted by both sides")
    DECLINED = "match_declined", _("Match declined")
    WITHDRAWN = "match_withdrawn", _("Match proposal withdrawn")


MESSAGES = {
    Event.PROPOSED: _("A match was proposed: “%(title)s”. Accept or decline it for your side."),
    Event.ACCEPTED: _("Both sides accepted the match “%(title)s”; the records are now linked."),
    Event.DECLINED: _("The match “%(title)s” was declined."),
    Event.WITHDRAWN: _("The match proposal “%(title)s” was withdrawn."),
}


def proposal_link(proposal) -> Link:
    return Link(
        title=f"{proposal.need.title} ↔ {proposal.candidate.title}",
        viewname="cooperation:proposal",
        kwargs={"pk": proposal.pk},
    )


def parties(proposal, **context):
    """The need's owner and the provider (each once; inactive or unknown owners are skipped)."""
    from django.contrib.auth import get_user_model

    from .policy import owner_id

    ids = {owner_id(proposal.need), owner_id(proposal.candidate)} - {None}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).select_related("profile"))


def register_match_events() -> None:
    for event in Event:
        register_event(
            event.value, label=event.label, message=MESSAGES[event], recipients=parties, describe=proposal_link
        )
