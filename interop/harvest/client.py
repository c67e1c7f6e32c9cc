"""HTTP to a peer portal's open API: timeouts, retries with back-off, JSON or a clear error."""

from urllib.parse import urlencode

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class PeerError(Exception):
    """The peer did not answer usefully (after retries): the run stops at its saved cursor."""


class PeerClient:
    """``token``: the token the peer issued to this portal (an API client there), so that the harvest is
    counted as that client, at the clients' rate, instead of under the anonymous per-address limit."""

    def __init__(
        self, base_url: str, timeout: float | None = None, retries: int | None = None, token: str | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or settings.HARVEST_HTTP_TIMEOUT
        retry = Retry(
            total=settings.HARVEST_HTTP_RETRIES if retries is None else retries,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
        )
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "CHM-Portal-harvester/1"})
        if token:
            self.session.headers["Authorization"] = f"Token {token}"
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=4)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str, allow_missing: bool = False) -> dict | None:
        try:
            response = self.session.get(url, timeout=(min(self.timeout, 10), self.timeout))
        except requests.RequestException as error:
            raise PeerError(f"{url}: {error.__class__.__name__}: {error}") from error
        if allow_missing and response.status_code in (404, 410):
            return None
        if response.status_code != 200:
            raise PeerError(f"{url}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise PeerError(f"{url}: not JSON") from error

    def changes_url(self, since: str | None, page_size: int = 100) -> str:
        query = {"page_size": page_size}
        if since:
            query["since"] = since
        return f"{self.base_url}/api/v1/changes/?{urlencode(query)}"

    def record(self, identifier: str, language: str | None = None) -> dict | None:
        url = f"{self.base_url}/api/v1/records/{identifier}/"
        if language:
            url += "?" + urlencode({"language": language})
        return self.get(url, allow_missing=True)

    def records(self, identifiers: list[str], language: str) -> list[dict] | None:
        """The records among ``identifiers`` that the peer publishes, with their text in ``language``,
        in one request (up to 100); None when the peer does not filter by identifier (an older
        version answering its whole list), so that the caller asks for each record instead."""
        wanted = set(identifiers)
        query = [("identifier", identifier) for identifier in identifiers]
        query += [("lang", language), ("page_size", max(len(identifiers), 1))]
        url = f"{self.base_url}/api/v1/records/?{urlencode(query)}"
        found: list[dict] = []
        while url:
            page = self.get(url)
            results = page.get("results") or []
            if any(item.get("identifier") not in wanted for item in results):
                return None
            found.extend(results)
            url = page.get("next")
        return found
