"""The client's network address, believing ``X-Forwarded-For`` only from the portal's own proxies.

Behind a reverse proxy every request arrives from the proxy's address, and the client's is in the
``X-Forwarded-For`` header the proxy adds. Any client can send that header too, so it is read only
when the connection comes from an address in ``TRUSTED_PROXIES``, and then from the right: each
trusted proxy appends the address it received the request from, so the first address from the right
that is not a trusted proxy is the client's; anything further left was written by the client itself.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip())


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent ``request`` (the connection's, unless a trusted proxy relayed it)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(_address(remote)):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed entry where our proxy writes: believe none of it
        if not is_trusted_proxy(address):
            return str(address)
    return str(_address(hops[0])) if hops else remote  # a request from the proxies themselves
