"""A text field kept encrypted in the database and plain in Python (see ``sealing``)."""

import logging

from django.db import models

from .sealing import SealError, seal, unseal

logger = logging.getLogger(__name__)


class SealedTextField(models.TextField):
    """Plain text in Python, sealed in its column. Each save seals with a fresh nonce, so that the column
    cannot be searched or compared (``filter(field=…)`` matches nothing). A value that no key opens (the
    key was changed without keeping the old one as a fallback) reads as empty, with a warning that
    names neither the value nor the key."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        try:
            return unseal(value)
        except SealError:
            logger.warning("A sealed %s could not be opened with the configured keys; it reads as empty.", self.name)
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value) if value else ""
