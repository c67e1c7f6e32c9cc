"""The events people are told about, registered by the apps that raise them.

Each event has a label, a sentence for the in-site list, two e-mail templates
(``<template>_subject.txt`` and ``_body.txt``, all translatable), who is told by default, and how a
notification names and links the object it is about. An app registers its events once (in its
``AppConfig.ready``) and raises them with :func:`raise_event`, without knowing how people are told.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


class EventConflict(ImproperlyConfigured):
    """Two registrations of one event key that say different things."""


@dataclass(frozen=True)
class Link:
    """What a notification is about: the title shown and the page it opens (a URL name and its kwargs)."""

    title: str
    viewname: str = ""
    kwargs: dict | None = None


@dataclass(frozen=True)
class EventType:
    key: str
    label: str | Promise
    message: str | Promise  # "%(title)s" is the object's title
    template: str  # e-mail templates: f"{template}_subject.txt" and f"{template}_body.txt"
    recipients: Callable[..., Iterable] | None = None  # (obj, **context) -> the people told by default
    describe: Callable[[object], Link] | None = None  # obj -> its Link

    def render_message(self, title: str) -> str:
        return str(self.message) % {"title": title}


_events: dict[str, EventType] = {}


def register_event(
    key: str,
    *,
    label,
    message,
    template: str | None = None,
    recipients: Callable[..., Iterable] | None = None,
    describe: Callable[[object], Link] | None = None,
) -> EventType:
    """Make an event known; registering the very same event again (a reloaded app) changes nothing."""
    key = str(key)
    event = EventType(
        key=key,
        label=label,
        message=message,
        template=template or f"notifications/email/{key}",
        recipients=recipients,
        describe=describe,
    )
    existing = _events.get(key)
    if existing is not None and existing != event:
        raise EventConflict(f"The notification event {key!r} is already registered differently")
    _events[key] = event
    return event


def unregister_event(key: str) -> None:
    _events.pop(str(key), None)


def get_event(key: str) -> EventType | None:
    return _events.get(str(key))


def registered_events() -> list[EventType]:
    return list(_events.values())


def event_choices() -> list[tuple[str, str]]:
    """The ``Notification.event`` choices: every registered event (read when a form or label needs it)."""
    return [(event.key, event.label) for event in _events.values()]


def message(key: str, title: str) -> str:
    """The in-site sentence of an event in the active language; an unknown event shows the title."""
    event = get_event(key)
    return event.render_message(title) if event is not None else title


def email_template(key: str) -> str:
    event = get_event(key)
    return event.template if event is not None else f"notifications/email/{key}"


def raise_event(key: str, obj, *, actor=None, recipients=None, link: Link | None = None, extra=None, **context):
    """Tell the people concerned that ``key`` happened to ``obj``; the created notifications.

    ``recipients`` replaces the event's default resolver, which is otherwise called as
    ``recipients(obj, **context)``. ``extra`` holds the strings the message needs (empty ones are
    dropped). Notifications and their e-mails are written in the caller's transaction.
    """
    from .services import notify

    event = get_event(key)
    if event is None:
        raise LookupError(f"No notification event {key!r} is registered")
    if recipients is None:
        if event.recipients is None:
            raise ImproperlyConfigured(f"The event {key!r} has no default recipients: pass them")
        recipients = event.recipients(obj, **context)
    if link is None:
        link = event.describe(obj) if event.describe is not None else Link(title=str(obj))
    return notify(
        recipients,
        event.key,
        title=link.title,
        viewname=link.viewname,
        kwargs=link.kwargs,
        actor=actor,
        extra={name: str(value) for name, value in (extra or {}).items() if value not in (None, "")},
    )


def __getattr__(name):
    """``Event`` was the review's list of events when it was the only flow; it lives with the review now."""
    if name == "Event":
        from workflows.review.events import Event

        return Event
    raise AttributeError(name)
