"""Fetching one publication link, bounded and safe: only http(s), never a private address (checked before every
connection, redirects included, and the connection pinned to the checked address), a deadline, a body size limit
and a pause between two requests to the same host. Every network outcome is a `FetchResult`, never an exception.

`status`, `final_url` and `content_type` always describe the last response received: when a redirect leads to a
refused or failed hop, they are the redirect's (so `status` is 0 only when no response came at all), and the
refused hop still counts in `redirects`. A `Fetcher` keeps connection pools and is meant for one thread.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import math
import re
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, LocationValueError, NewConnectionError, SSLError

ERRORS = ("private_address", "unsupported_scheme", "invalid_url", "dns", "timeout", "connection",
          "too_many_redirects", "redirect_loop", "too_large", "tls")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
#: how much of a body that is not kept (a redirect's, an error page's) is read to reuse the connection
DRAIN_LIMIT = 256 * 1024
ACCEPT = "text/html,image/*;q=0.9,*/*;q=0.5"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_NAME = re.compile(r"[a-z0-9_.-]+")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NETWORK_ERRORS = (HTTPError, http.client.HTTPException, OSError)
try:
    import certifi

    _CA_CERTS: str | None = certifi.where()
except ImportError:  # the system's trust store (urllib3 loads the default certificates)
    _CA_CERTS = None


class LinkCheckSettingError(ValueError):
    """A link-check setting of the environment that cannot be used."""

    def __init__(self, name: str, value: str, expected: str = "a valid value") -> None:
        self.name, self.value = name, value
        super().__init__(f"{name}={value!r} is not valid: expected {expected}")


@dataclass(frozen=True)
class FetchPolicy:
    """How a link is fetched: `timeout` bounds the connection and each read, `deadline` the whole fetch, redirects
    included; `host_interval` is the least time between the starts of two requests to one host."""

    timeout: float = 10.0
    deadline: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    allow_private: bool = False
    host_interval: float = 1.0
    user_agent: str = "iku-humas-linkcheck/1.0 (+arsip bukti publikasi Bagian Humas dan Protokol)"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FetchPolicy:
        """The policy the IKU_LINKCHECK_* variables set; an unset or empty variable keeps the default."""
        raw = {name: env.get(name, "").strip() for name in _SETTINGS}
        values = {field: parse(name, raw[name]) for name, (field, parse) in _SETTINGS.items() if raw[name]}
        return cls(**values)


def _number(name: str, value: str, *, positive: bool) -> float:
    expected = "a number above 0" if positive else "a number, 0 or more"
    try:
        number = float(value)
    except ValueError:
        raise LinkCheckSettingError(name, value, expected) from None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise LinkCheckSettingError(name, value, expected)
    return number


def _count(name: str, value: str) -> int:
    if not value.isdigit():
        raise LinkCheckSettingError(name, value, "a whole number, 0 or more")
    return int(value)


def _flag(name: str, value: str) -> bool:
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise LinkCheckSettingError(name, value, "1/true/yes or 0/false/no")


_SETTINGS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "IKU_LINKCHECK_TIMEOUT": ("timeout", lambda name, value: _number(name, value, positive=True)),
    "IKU_LINKCHECK_MAX_MB": ("max_bytes", lambda name, value: max(1, int(_number(name, value, positive=True) * 2**20))),
    "IKU_LINKCHECK_MAX_REDIRECTS": ("max_redirects", _count),
    "IKU_LINKCHECK_HOST_INTERVAL": ("host_interval", lambda name, value: _number(name, value, positive=False)),
    "IKU_LINKCHECK_ALLOW_PRIVATE": ("allow_private", _flag),
}


@dataclass(frozen=True)
class FetchResult:
    """What one fetch found (see the module's docstring for a failure after a redirect); `body` only for a 2xx
    response read whole, `sha256` of that body."""

    url: str
    status: int
    error: str
    final_url: str
    content_type: str
    sha256: str
    body: bytes | None
    redirects: int

    @property
    def live(self) -> bool:
        return 200 <= self.status < 300 and self.error in ("", "too_large")


def is_link(reference: str) -> bool:
    """Whether a publication reference is a URL the checker fetches: http:// or https:// (any letter case) with a host."""
    try:
        parts = urlsplit(reference.strip())
        return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
    except ValueError:
        return False


def is_public_address(address: str) -> bool:
    """Whether an IP address may be fetched: not private, loopback, link-local, multicast, reserved, unspecified or
    shared, nor an IPv6 address embedding such an IPv4 address (mapped, 6to4; NAT64's 64:ff9b::/96 is reserved)."""
    ip = ipaddress.ip_address(address)
    checked: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        checked += [embedded for embedded in (ip.ipv4_mapped, ip.sixtofour) if embedded is not None]
    return not any(each.is_private or each.is_loopback or each.is_link_local or each.is_multicast or each.is_reserved
                   or each.is_unspecified or (each.version == 4 and each in _SHARED) for each in checked)


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses for a TCP connection, as the system resolves them, in its order of preference."""
    return list(dict.fromkeys(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


class _Stop(Exception):
    """A fetch ends with one of the ERRORS."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class _Target(NamedTuple):
    scheme: str
    host: str  # ASCII, lower-case; an IPv6 address without brackets
    port: int
    authority: str  # the Host header
    path: str  # the request target, percent-encoded

    @property
    def key(self) -> str:
        return f"{self.scheme}://{self.authority}{self.path}"


class _Last(NamedTuple):
    status: int
    url: str
    content_type: str


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme and scheme not in _DEFAULT_PORTS:
            raise _Stop("unsupported_scheme")
        port = _DEFAULT_PORTS.get(scheme) if parts.port is None else parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):  # a bad port or bracket, a host that is no name
        raise _Stop("invalid_url") from None
    if not scheme or not host or port is None or not 0 < port < 65536:
        raise _Stop("invalid_url")
    if ":" in host:
        if not _is_ip(host):
            raise _Stop("invalid_url")
        authority = f"[{host}]"
    elif not _HOST_NAME.fullmatch(host):
        raise _Stop("invalid_url")
    else:
        authority = host
    authority += "" if port == _DEFAULT_PORTS[scheme] else f":{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, host, port, authority, quote(path, safe="!#$%&'()*+,/:;=?@[]~"))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _chain_key(url: str) -> str:
    try:
        return _target(url).key
    except _Stop:
        return url


def _media_type(response: urllib3.BaseHTTPResponse) -> str:
    return str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()


def _content_length(response: urllib3.BaseHTTPResponse) -> int | None:
    value = str(response.headers.get("Content-Length", "")).strip()
    return int(value) if value.isdigit() else None


def _error_code(error: BaseException) -> str:
    causes = [error, getattr(error, "reason", None), *error.args]
    if any(isinstance(cause, SSLError | ssl.SSLError) for cause in causes):
        return "tls"
    if isinstance(error, LocationValueError):
        return "invalid_url"
    if any(isinstance(cause, NewConnectionError) for cause in causes):
        return "connection"
    if any(isinstance(cause, urllib3.exceptions.TimeoutError | TimeoutError) for cause in causes):
        return "timeout"
    return "connection"


class Fetcher:
    """Fetches links under one policy, keeping a connection pool per pinned address and the start of the last
    request to each host; close it (or use it as a context manager) to close the connections."""

    def __init__(self, policy: FetchPolicy, resolver: Callable[[str, int], list[str]] | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 is_allowed: Callable[[str], bool] = is_public_address) -> None:
        """`resolver(host, port)` returns the host's IP addresses (default: the system's); `is_allowed(ip)` says
        whether an address may be connected to when the policy does not allow private addresses."""
        self.policy = policy
        self._resolver = resolver or system_resolver
        self._sleep, self._clock, self._is_allowed = sleep, clock, is_allowed
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._last_start: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def fetch(self, url: str) -> FetchResult:
        start, current, redirects = self._clock(), url, 0
        seen: set[str] = set()
        last: _Last | None = None
        while True:
            try:
                target = _target(current)
                response = self._request(target, start)
            except _Stop as stop:
                return self._bodiless(url, stop.error, last, redirects)
            last = _Last(response.status, current, _media_type(response))
            location = response.headers.get("Location")
            if response.status not in REDIRECTS or not location:
                return self._finish(url, response, last, redirects, start)
            self._discard(response, start)
            seen.add(target.key)
            try:
                current = urljoin(current, location.strip())
            except ValueError:
                return self._bodiless(url, "invalid_url", last, redirects + 1)
            if _chain_key(current) in seen:
                return self._bodiless(url, "redirect_loop", last, redirects)
            if redirects >= self.policy.max_redirects:
                return self._bodiless(url, "too_many_redirects", last, redirects)
            redirects += 1

    def _remaining(self, start: float) -> float:
        remaining = self.policy.deadline - (self._clock() - start)
        if remaining <= 0:
            raise _Stop("timeout")
        return remaining

    def _addresses(self, target: _Target) -> list[str]:
        try:
            found = [target.host] if _is_ip(target.host) else self._resolver(target.host, target.port)
            addresses = [str(ipaddress.ip_address(address)) for address in found]
        except (OSError, UnicodeError, ValueError):  # no such name, or a resolver answer that is no address
            raise _Stop("dns") from None
        if not addresses:
            raise _Stop("dns")
        if not self.policy.allow_private and not all(self._is_allowed(address) for address in addresses):
            raise _Stop("private_address")
        return addresses

    def _pace(self, host: str) -> None:
        last = self._last_start.get(host)
        if last is not None:
            wait = self.policy.host_interval - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_start[host] = self._clock()

    def _pool(self, target: _Target, ip: str) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, ip, target.port, target.host)
        if key not in self._pools:
            timeout = urllib3.Timeout(connect=self.policy.timeout, read=self.policy.timeout)
            if target.scheme == "https":
                self._pools[key] = urllib3.HTTPSConnectionPool(
                    ip, target.port, timeout=timeout, maxsize=1, retries=False, server_hostname=target.host,
                    assert_hostname=target.host, cert_reqs="CERT_REQUIRED", ca_certs=_CA_CERTS)
            else:
                self._pools[key] = urllib3.HTTPConnectionPool(ip, target.port, timeout=timeout, maxsize=1,
                                                              retries=False)
        return self._pools[key]

    def _request(self, target: _Target, start: float) -> urllib3.BaseHTTPResponse:
        """The response of a GET to the first address of the target that accepts a connection."""
        addresses = self._addresses(target)
        self._pace(target.host)
        headers = {"Host": target.authority, "User-Agent": self.policy.user_agent, "Accept": ACCEPT,
                   "Accept-Encoding": "identity"}
        for index, ip in enumerate(addresses):
            wait = min(self.policy.timeout, self._remaining(start))
            try:
                return self._pool(target, ip).urlopen(
                    "GET", target.path, headers=headers, retries=False, redirect=False, assert_same_host=False,
                    preload_content=False, decode_content=False, timeout=urllib3.Timeout(connect=wait, read=wait))
            except _NETWORK_ERRORS as error:
                code = _error_code(error)
                if code != "connection" or index == len(addresses) - 1:
                    raise _Stop(code) from None
        raise AssertionError("unreachable: at least one address")

    def _finish(self, url: str, response: urllib3.BaseHTTPResponse, last: _Last, redirects: int,
                start: float) -> FetchResult:
        """The result of the last response: its body read and hashed when it is a 2xx within the size limit."""
        if not 200 <= last.status < 300:
            self._discard(response, start)
            return self._bodiless(url, "", last, redirects)
        digest, parts, size = hashlib.sha256(), list[bytes](), 0
        try:
            length = _content_length(response)
            if length is not None and length > self.policy.max_bytes:
                raise _Stop("too_large")
            read = getattr(response, "read1", response.read)  # one receive a call, so the deadline holds
            while self._remaining(start) and (chunk := read(CHUNK, decode_content=False)):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise _Stop("too_large")
                digest.update(chunk)
                parts.append(chunk)
        except (_Stop, *_NETWORK_ERRORS) as error:
            response.close()
            response.release_conn()
            return self._bodiless(url, error.error if isinstance(error, _Stop) else _error_code(error), last, redirects)
        response.release_conn()
        return FetchResult(url, last.status, "", last.url, last.content_type, digest.hexdigest(), b"".join(parts),
                           redirects)

    def _discard(self, response: urllib3.BaseHTTPResponse, start: float) -> None:
        """Reads a body that is not kept, up to DRAIN_LIMIT, so the connection serves again; else closes it."""
        length, size = _content_length(response), 0
        limit = min(DRAIN_LIMIT, self.policy.max_bytes)
        read = getattr(response, "read1", response.read)
        try:
            while (length is None or length <= limit) and size <= limit:
                self._remaining(start)
                chunk = read(CHUNK, decode_content=False)
                if not chunk:
                    response.release_conn()
                    return
                size += len(chunk)
        except (_Stop, *_NETWORK_ERRORS):
            pass
        response.close()
        response.release_conn()

    @staticmethod
    def _bodiless(url: str, error: str, last: _Last | None, redirects: int) -> FetchResult:
        if last is None:
            return FetchResult(url, 0, error, "", "", "", None, redirects)
        return FetchResult(url, last.status, error, last.url, last.content_type, "", None, redirects)
