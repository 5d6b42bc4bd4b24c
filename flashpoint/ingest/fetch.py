"""Fetching URLs politely and safely: timeouts, caps, robots.txt, no private addresses.

    fetch(url, options) -> Fetched(url, final_url, data, content_type)

Every redirect hop is checked again (scheme, address, robots.txt), so a public page
cannot bounce the fetcher onto 127.0.0.1 or the cloud metadata address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from flashpoint import __version__

USER_AGENT = f"flashpoint/{__version__} (+https://github.com/flashpoint-news/flashpoint; news event coder)"


@dataclass(frozen=True)
class FetchOptions:
    """How URLs are fetched.

    FetchOptions()                        # defaults: 20 s, 10 MB, 5 redirects, robots.txt
    FetchOptions(allow_private=True)      # also 127.0.0.1 and LAN hosts (tests, intranets)
    FetchOptions(max_bytes=2_000_000)     # refuse pages larger than 2 MB
    """

    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    respect_robots: bool = True
    allow_private: bool = False
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A URL could not be fetched; the message says why."""


@dataclass
class Fetched:
    url: str
    final_url: str
    data: bytes
    content_type: str


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'no scheme'!r}")


def check_address(url: str, allow_private: bool) -> None:
    """Refuse hosts that resolve to private, loopback, link-local or reserved addresses."""
    host = urlsplit(url).hostname
    if not host:
        raise FetchError("URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified):
            raise FetchError(
                f"host {host!r} resolves to a non-public address ({address}); "
                "use --allow-private to fetch it"
            )


class Fetcher:
    """One HTTP client for a run, with a robots.txt cache per host."""

    def __init__(self, options: FetchOptions | None = None):
        self.options = options or FetchOptions()
        self._robots: dict[str, RobotFileParser | None] = {}
        self._client = httpx.Client(
            timeout=self.options.timeout,
            follow_redirects=False,
            headers={"User-Agent": self.options.user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = self._load_robots(root)
        parser = self._robots[root]
        return parser is None or parser.can_fetch(self.options.user_agent, url)

    def _load_robots(self, root: str) -> RobotFileParser | None:
        try:
            response = self._client.get(root + "/robots.txt")
        except httpx.HTTPError:
            return None
        if response.status_code in (401, 403):
            parser = RobotFileParser()
            parser.disallow_all = True
            return parser
        if response.status_code >= 400:
            return None
        parser = RobotFileParser()
        parser.parse(response.text[:500_000].splitlines())
        return parser

    def fetch(self, url: str) -> Fetched:
        """GET a URL, following redirects one hop at a time; raises FetchError."""
        current = url
        for _ in range(self.options.max_redirects + 1):
            check_scheme(current)
            check_address(current, self.options.allow_private)
            if self.options.respect_robots and not self.allowed_by_robots(current):
                raise FetchError(f"robots.txt disallows {current}")
            try:
                with self._client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without a Location from {current}")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} from {current}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > self.options.max_bytes:
                        raise FetchError(
                            f"{current} is {declared:,} bytes, over the cap of {self.options.max_bytes:,}"
                        )
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data.extend(chunk)
                        if len(data) > self.options.max_bytes:
                            raise FetchError(f"{current} is over the cap of {self.options.max_bytes:,} bytes")
                    return Fetched(url, current, bytes(data), response.headers.get("content-type", ""))
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {self.options.timeout:g} s fetching {current}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current}: {exc}") from None
        raise FetchError(f"more than {self.options.max_redirects} redirects from {url}")
