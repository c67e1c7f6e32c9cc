"""Encryption at rest of the API tokens this portal sends to its peers (``HarvestSource.api_token``).

A token must be readable again (it is sent to the peer), so it cannot be hashed like the tokens this
portal issues: it is sealed. The key comes from ``HARVEST_TOKEN_KEY`` when set, else from ``SECRET_KEY``;
a token sealed under a key listed in ``HARVEST_TOKEN_KEY_FALLBACKS`` (else ``SECRET_KEY_FALLBACKS``) still
opens, so that a key can be rotated, and is sealed again under the current key when it is next saved.

Sealing is Fernet from the maintained ``cryptography`` library (AES-128-CBC with HMAC-SHA256,
encrypt-then-MAC, a random IV per value; ``MultiFernet`` tries the current key, then the former ones).
Each Fernet key is derived from its secret by HMAC-SHA256 with a label of its own, so the secret itself
is never the key. A sealed value reads ``sealed:v1:<Fernet token>``.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "sealed:v1:"


class SealError(ValueError):
    """The value is not sealed, was altered, or was sealed under a key this portal no longer has."""


def _secrets() -> list[str]:
    current = getattr(settings, "HARVEST_TOKEN_KEY", "") or settings.SECRET_KEY
    fallbacks = getattr(settings, "HARVEST_TOKEN_KEY_FALLBACKS", None)
    if not fallbacks:
        fallbacks = [] if getattr(settings, "HARVEST_TOKEN_KEY", "") else list(settings.SECRET_KEY_FALLBACKS)
    if not current:
        raise SealError("No key to seal tokens with: set SECRET_KEY (or HARVEST_TOKEN_KEY).")
    return [current, *fallbacks]


def _fernet(secret: str) -> Fernet:
    derived = hmac.new(secret.encode(), b"chm-portal harvest token", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(secret) for secret in _secrets()])


def is_sealed(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(plain: str) -> str:
    """``plain`` sealed under the current key ("" stays "": no token)."""
    if not plain:
        return ""
    return PREFIX + _keys().encrypt(plain.encode()).decode()


def unseal(value: str) -> str:
    """The token ``value`` seals; :class:`SealError` when it cannot be opened with any key."""
    if not value:
        return ""
    if not is_sealed(value):
        raise SealError("Not a sealed value.")
    try:
        return _keys().decrypt(value[len(PREFIX) :].encode()).decode()
    except (InvalidToken, UnicodeDecodeError) as error:
        raise SealError("Sealed under a key this portal does not have, or altered.") from error
