"""A harvested record, as the Wagtail admin shows it: locked for everyone, corrected at its source."""

from django.utils.translation import gettext as _
from wagtail.locks import BaseLock


def harvested_lock(page):
    """The lock source registered on ``RecordPage``: harvested copies (and their translations) are read-only."""
    return HarvestedLock(page) if getattr(page, "source_portal", "") else None


def refusal_message(page) -> str:
    return _("Harvested from %(source)s: this copy is read-only here; correct the record on its source portal.") % {
        "source": page.source_portal
    }


class HarvestedLock(BaseLock):
    """Binds everyone, superusers included: the next harvest would overwrite any local change."""

    def for_user(self, user):
        return True

    def get_locked_by(self, user):
        return _("Harvested from %(source)s") % {"source": self.object.source_portal}

    def get_description(self, user):
        return refusal_message(self.object)

    def get_message(self, user):
        return refusal_message(self.object)
