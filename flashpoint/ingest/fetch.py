"""Fetching URLs politely and safely: timeouts, caps, robots.txt, no private addresses.

    fetch(url, options) -> Fetched(url, final_url, data, content_type)

Every redirect hop is checked again (scheme, address, robots.txt), so a public page
cannot bounce the fetcher onto 127.0.0.1 or the cloud metadata address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit
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


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only globally routable addresses: an allowlist, so shared (100.64.0.0/10, where cloud metadata
    services live), benchmark, documentation and IETF ranges are refused along with private ones."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve_checked(url: str, allow_private: bool) -> str:
    """The one address the request will connect to, checked: resolved once, so that a second lookup
    (DNS rebinding) can never send the request elsewhere."""
    host = urlsplit(url).hostname
    if not host:
        raise FetchError("URL has no host")
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private:
        refused = next((a for a in addresses if not is_public(a)), None)
        if refused is not None:
            raise FetchError(f"host {host!r} resolves to a non-public address ({refused}); "
                             "use --allow-private to fetch it")
    return str(addresses[0])


def pinned(url: str, address: str) -> tuple[str, dict, dict]:
    """The URL with its host replaced by the checked address, the Host header and the TLS name
    (certificates are still verified against the host name)."""
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    return (urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
            {"Host": host_header}, {"sni_hostname": parts.hostname})


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

    def allowed_by_robots(self, url: str, address: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = self._load_robots(root, address)
        parser = self._robots[root]
        return parser is None or parser.can_fetch(self.options.user_agent, url)

    def _load_robots(self, root: str, address: str) -> RobotFileParser | None:
        target, headers, extensions = pinned(root + "/robots.txt", address)
        try:
            response = self._client.get(target, headers=headers, extensions=extensions)
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
            address = resolve_checked(current, self.options.allow_private)
            if self.options.respect_robots and not self.allowed_by_robots(current, address):
                raise FetchError(f"robots.txt disallows {current}")
            target, headers, extensions = pinned(current, address)
            try:
                with self._client.stream("GET", target, headers=headers, extensions=extensions) as response:
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
