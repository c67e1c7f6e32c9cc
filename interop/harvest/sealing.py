"""Encryption at rest of the API tokens this portal sends to its peers (``HarvestSource.api_token``).

A token must be readable again (it is sent to the peer), so it cannot be hashed like the tokens this
portal issues: it is sealed. The key comes from ``HARVEST_TOKEN_KEY`` when set, else from ``SECRET_KEY``;
a token sealed under a key listed in ``HARVEST_TOKEN_KEY_FALLBACKS`` (else ``SECRET_KEY_FALLBACKS``) still
opens, so that a key can be rotated, and is sealed again under the current key when it is next saved.

The construction uses only the standard library: a random 128-bit nonce, HMAC-SHA256 in counter mode as
the key stream (XOR), then HMAC-SHA256 over the version, nonce and ciphertext (encrypt-then-MAC, checked
in constant time before anything is decrypted). The two keys are derived from the secret by HMAC with
distinct labels. A sealed value reads ``sealed:v1:<url-safe base64>``.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

PREFIX = "sealed:v1:"
NONCE_BYTES = 16
TAG_BYTES = 32


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


def _keys(secret: str) -> tuple[bytes, bytes]:
    root = secret.encode()
    return (
        hmac.new(root, b"chm-portal harvest token: encryption", hashlib.sha256).digest(),
        hmac.new(root, b"chm-portal harvest token: authentication", hashlib.sha256).digest(),
    )


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest() for counter in range(blocks)
    )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _tag(key: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    return hmac.new(key, PREFIX.encode() + nonce + ciphertext, hashlib.sha256).digest()


def is_sealed(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(plain: str) -> str:
    """``plain`` sealed under the current key ("" stays "": no token)."""
    if not plain:
        return ""
    encryption, authentication = _keys(_secrets()[0])
    nonce = secrets.token_bytes(NONCE_BYTES)
    data = plain.encode()
    ciphertext = _xor(data, _stream(encryption, nonce, len(data)))
    raw = nonce + ciphertext + _tag(authentication, nonce, ciphertext)
    return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unseal(value: str) -> str:
    """The token ``value`` seals; :class:`SealError` when it cannot be opened with any key."""
    if not value:
        return ""
    if not is_sealed(value):
        raise SealError("Not a sealed value.")
    body = value[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:
        raise SealError("Not a sealed value.") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealError("Not a sealed value.")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    for secret in _secrets():
        encryption, authentication = _keys(secret)
        if hmac.compare_digest(tag, _tag(authentication, nonce, ciphertext)):
            try:
                return _xor(ciphertext, _stream(encryption, nonce, len(ciphertext))).decode()
            except UnicodeDecodeError as error:
                raise SealError("Not a sealed value.") from error
    raise SealError("Sealed under a key this portal does not have.")
