"""An uploaded import file kept on the server between the dry run and the confirmation.

The browser only ever holds a random token: the file itself (and the mode chosen with it) stays in
the media storage, under a name that carries its owner's id, so that nobody else's token opens it
and nothing the browser sends back is trusted. The file sits in the documents folder, where the
hourly upload sweep (``cms.uploads.tasks.delete_orphan_files``) removes it once abandoned; a
confirmed import removes it at once.
"""

import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cms.uploads.tasks import DOCUMENTS_FOLDER

from .importer import Mode

TOKEN = re.compile(r"^[0-9a-f]{32}$")
EXTENSIONS = ("csv", "xlsx")
MODES = (Mode.REVIEW, Mode.PUBLISH)


def _name(user, token: str, mode: str, extension: str) -> str:
    return f"{DOCUMENTS_FOLDER}/record-import-{user.pk}-{token}-{mode}.{extension}"


def keep(user, raw: bytes, mode: str, extension: str) -> str:
    """Store the file for ``user``; returns the token that names it."""
    token = secrets.token_hex(16)
    default_storage.save(_name(user, token, mode, extension), ContentFile(raw))
    return token


def _find(user, token: str):
    if not TOKEN.match(token or ""):
        return None
    for mode in MODES:
        for extension in EXTENSIONS:
            name = _name(user, token, mode, extension)
            if default_storage.exists(name):
                return name, mode, extension
    return None


def load(user, token: str):
    """(content, mode, extension) of ``user``'s file ``token``; None when there is none (or not theirs)."""
    found = _find(user, token)
    if found is None:
        return None
    name, mode, extension = found
    with default_storage.open(name, "rb") as stored:
        return stored.read(), mode, extension


def discard(user, token: str) -> None:
    found = _find(user, token)
    if found is not None:
        default_storage.delete(found[0])
