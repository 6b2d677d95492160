"""Fetching a publication link: statuses, digests, redirects, limits, and the refusal of private addresses.

Real servers listen only on 127.0.0.1; an autouse guard refuses (and records) any connection to another address,
so no test can send traffic elsewhere whatever the code under test does.
"""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.linkfetch import (
    ERRORS,
    Fetcher,
    FetchPolicy,
    FetchResult,
    LinkCheckSettingError,
    is_link,
    is_public_address,
)
from tests.linkcheck.sites import HTML, LOCAL, PNG, FakeClock, Route, no_resolver, redirect, resolver, respond, sha


def fetch(url: str, policy: FetchPolicy = LOCAL, **options: object) -> FetchResult:
    with Fetcher(policy, **options) as fetcher:  # type: ignore[arg-type]
        return fetcher.fetch(url)


# --- responses ---------------------------------------------------------------------------------------------------


def test_an_html_page_is_live_with_its_digest_and_body(site):
    site.routes["/berita"] = respond(200, HTML, "Text/HTML; charset=utf-8")
    url = site.url("/berita")
    result = fetch(url)
    assert result == FetchResult(url, 200, "", url, "text/html", sha(HTML), HTML, 0)
    assert result.live


def test_an_image_is_live_with_its_media_type(site):
    site.routes["/foto.png"] = respond(200, PNG, "image/png")
    url = site.url("/foto.png")
    assert fetch(url) == FetchResult(url, 200, "", url, "image/png", sha(PNG), PNG, 0)


@pytest.mark.parametrize("status", [404, 410, 500])
def test_an_error_status_is_recorded_without_body_or_digest(site, status):
    site.routes["/hilang"] = respond(status, b"<p>hilang</p>")
    url = site.url("/hilang")
    result = fetch(url)
    assert result == FetchResult(url, status, "", url, "text/html", "", None, 0)
    assert not result.live


def test_a_changed_page_gives_a_different_digest(site):
    site.routes["/berita"] = respond(200, b"versi pertama")
    first = fetch(site.url("/berita"))
    site.routes["/berita"] = respond(200, b"versi kedua")
    second = fetch(site.url("/berita"))
    assert (first.sha256, second.sha256) == (sha(b"versi pertama"), sha(b"versi kedua"))


def test_the_user_agent_and_accept_headers_are_the_policys(site):
    site.routes["/berita"] = respond(200, HTML)
    fetch(site.url("/berita"))
    [(path, headers)] = site.requests
    assert (path, headers["User-Agent"], headers["Accept"]) == ("/berita", LOCAL.user_agent,
                                                                 "text/html,image/*;q=0.9,*/*;q=0.5")
    assert headers["Host"] == f"127.0.0.1:{site.port}"


def test_https_to_a_plain_http_server_is_a_tls_error(site):
    assert fetch(f"https://127.0.0.1:{site.port}/") == FetchResult(f"https://127.0.0.1:{site.port}/", 0, "tls", "", "",
                                                                   "", None, 0)


# --- redirects ---------------------------------------------------------------------------------------------------


def test_a_redirect_chain_is_followed_to_the_last_response(site):
    site.routes.update({"/a": redirect(302, site.url("/b")), "/b": redirect(301, "/c"), "/c": respond(200, HTML)})
    url = site.url("/a")
    assert fetch(url) == FetchResult(url, 200, "", site.url("/c"), "text/html", sha(HTML), HTML, 2)
    assert [path for path, _ in site.requests] == ["/a", "/b", "/c"]


def test_a_relative_location_is_resolved_against_the_current_url(site):
    site.routes.update({"/arsip/2024/lama": redirect(307, "baru?hal=2"), "/arsip/2024/baru?hal=2": respond(200, HTML)})
    url = site.url("/arsip/2024/lama")
    assert fetch(url) == FetchResult(url, 200, "", site.url("/arsip/2024/baru?hal=2"), "text/html", sha(HTML), HTML, 1)


def test_a_redirect_loop_is_stopped(site):
    site.routes.update({"/a": redirect(302, "/b"), "/b": redirect(302, "/a")})
    url = site.url("/a")
    assert fetch(url) == FetchResult(url, 302, "redirect_loop", site.url("/b"), "text/html", "", None, 1)
    assert [path for path, _ in site.requests] == ["/a", "/b"]


def test_redirects_up_to_the_limit_are_followed_and_one_more_is_too_many(site):
    policy = FetchPolicy(allow_private=True, host_interval=0.0, max_redirects=2)
    site.routes.update({f"/r{n}": redirect(302, f"/r{n + 1}") for n in range(3)})
    site.routes["/r3"] = respond(200, HTML)
    assert fetch(site.url("/r1"), policy) == FetchResult(site.url("/r1"), 200, "", site.url("/r3"), "text/html",
                                                         sha(HTML), HTML, 2)
    url = site.url("/r0")
    assert fetch(url, policy) == FetchResult(url, 302, "too_many_redirects", site.url("/r2"), "text/html", "", None, 2)


def test_a_redirect_to_a_file_url_is_refused(site, connections):
    site.routes["/unduh"] = redirect(302, "file:///etc/passwd")
    url = site.url("/unduh")
    assert fetch(url) == FetchResult(url, 302, "unsupported_scheme", url, "text/html", "", None, 1)
    assert connections == [("127.0.0.1", site.port)]


@pytest.mark.parametrize("location", ["http://10.0.0.7/admin", "http://intranet.example/admin"])
def test_a_redirect_to_a_private_address_is_refused_before_connecting(site, connections, location):
    """The first hop's name resolves to 127.0.0.1, which this test alone counts as public; the redirect's target
    (a literal private address, or a name resolving to one) is refused, and only 127.0.0.1 was ever connected to."""
    site.routes["/pindah"] = redirect(302, location)
    names = resolver({"public.example": ["127.0.0.1"], "intranet.example": ["10.1.2.3"]})
    url = site.url("/pindah", host="public.example")
    result = fetch(url, FetchPolicy(host_interval=0.0), resolver=names, is_allowed=lambda ip: ip == "127.0.0.1")
    assert result == FetchResult(url, 302, "private_address", url, "text/html", "", None, 1)
    assert connections == [("127.0.0.1", site.port)]
    assert site.requests[0][1]["Host"] == f"public.example:{site.port}"


# --- limits --------------------------------------------------------------------------------------------------------


def test_a_slow_server_times_out(site):
    site.routes["/lambat"] = lambda handler: site.release.wait(5)
    url = site.url("/lambat")
    began = time.monotonic()
    assert fetch(url, FetchPolicy(allow_private=True, host_interval=0.0, timeout=0.5)) == FetchResult(
        url, 0, "timeout", "", "", "", None, 0)
    assert time.monotonic() - began < 2


@pytest.mark.parametrize("path, status", [("/pindah", 302), ("/besar", 200)])
def test_the_deadline_bounds_the_whole_fetch(site, path, status):
    """The fake clock passes the deadline while the server answers: the fetch stops at its next check."""
    clock = FakeClock()

    def slowly(route: Route) -> Route:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            clock.now += 31
            route(handler)

        return answer

    site.routes.update({"/pindah": slowly(redirect(302, "/besar")), "/besar": slowly(respond(200, HTML * 2000))})
    url = site.url(path)
    assert fetch(url, LOCAL, clock=clock, sleep=clock.sleep) == FetchResult(
        url, status, "timeout", url, "text/html", "", None, 1 if status == 302 else 0)


def test_a_body_over_the_limit_with_a_content_length_is_not_read(site):
    site.routes["/besar"] = respond(200, b"x" * 2000)
    url = site.url("/besar")
    result = fetch(url, FetchPolicy(allow_private=True, host_interval=0.0, max_bytes=1000))
    assert result == FetchResult(url, 200, "too_large", url, "text/html", "", None, 0)
    assert result.live


def chunked(pieces: list[bytes]) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for piece in [*pieces, b""]:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))

    return route


def test_a_streamed_body_is_stopped_once_it_passes_the_limit(site):
    policy = FetchPolicy(allow_private=True, host_interval=0.0, max_bytes=1000)
    site.routes.update({"/aliran": chunked([b"a" * 600] * 3), "/kecil": chunked([b"b" * 400, b"c" * 600])})
    url = site.url("/aliran")
    assert fetch(url, policy) == FetchResult(url, 200, "too_large", url, "text/html", "", None, 0)
    small = b"b" * 400 + b"c" * 600
    assert fetch(site.url("/kecil"), policy) == FetchResult(site.url("/kecil"), 200, "", site.url("/kecil"),
                                                            "text/html", sha(small), small, 0)


def test_requests_to_one_host_are_paced_and_other_hosts_are_not(site):
    clock = FakeClock()
    names = resolver({"a.example": ["127.0.0.1"], "b.example": ["127.0.0.1"]})
    site.routes["/"] = respond(200, HTML)
    policy = FetchPolicy(allow_private=True, host_interval=5.0)
    with Fetcher(policy, resolver=names, clock=clock, sleep=clock.sleep) as fetcher:
        assert fetcher.fetch(site.url("/", host="a.example")).live
        assert fetcher.fetch(site.url("/", host="a.example")).live
        assert clock.sleeps == [5.0]
        clock.now += 2
        assert fetcher.fetch(site.url("/", host="b.example")).live
        assert fetcher.fetch(site.url("/", host="a.example")).live
        assert clock.sleeps == [5.0, 3.0]


# --- refusals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)",
                                 "mailto:humas@example.go.id", "FTP://127.0.0.1/x"])
def test_a_scheme_other_than_http_is_refused(url, connections):
    assert fetch(url, resolver=no_resolver) == FetchResult(url, 0, "unsupported_scheme", "", "", "", None, 0)
    assert connections == []


@pytest.mark.parametrize("url", ["http://", "http://[::1", "http://127.0.0.1:99999/", "http://127.0.0.1:0/",
                                 "www.example.com/berita", "", "http://exa mple.com/", "https://[not-an-ip]/"])
def test_an_invalid_url_is_refused(url, connections):
    assert fetch(url, resolver=no_resolver) == FetchResult(url, 0, "invalid_url", "", "", "", None, 0)
    assert connections == []


def test_a_refused_connection_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    assert fetch(url) == FetchResult(url, 0, "connection", "", "", "", None, 0)


def test_an_unknown_name_is_a_dns_error(connections):
    url = "http://tidak-ada.example/berita"
    assert fetch(url, resolver=resolver({})) == FetchResult(url, 0, "dns", "", "", "", None, 0)
    assert connections == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_the_local_machine_is_refused_without_a_request(site, connections, host):
    site.routes["/"] = respond(200, HTML)
    url = f"http://{host}:{site.port}/"
    assert fetch(url, FetchPolicy()) == FetchResult(url, 0, "private_address", "", "", "", None, 0)
    assert (connections, site.requests) == ([], [])


@pytest.mark.parametrize("url, table", [
    ("http://169.254.169.254/latest/meta-data/", {}),
    ("http://intranet.example/", {"intranet.example": ["10.1.2.3"]}),
    ("http://campur.example/", {"campur.example": ["93.184.216.34", "192.168.1.5"]}),
    ("https://cgnat.example/", {"cgnat.example": ["100.64.0.9"]}),
])
def test_a_private_address_is_refused_before_connecting(connections, url, table):
    assert fetch(url, FetchPolicy(), resolver=resolver(table)) == FetchResult(url, 0, "private_address", "", "", "",
                                                                              None, 0)
    assert connections == []


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:4700:4700::1111", True), ("10.0.0.1", False), ("172.16.5.4", False),
    ("192.168.1.1", False), ("127.0.0.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("224.0.0.1", False), ("240.0.0.1", False), ("0.0.0.0", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:10.0.0.1", False), ("2002:a00:1::", False),
    ("64:ff9b::a00:1", False), ("2002:5db8:d822::", True),
])
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def _unresolvable(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, host)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.builds("{}://{}".format, st.sampled_from(["http", "HTTPS", "ftp", ""]), st.text())))
def test_fetch_never_raises_for_any_text(url):
    """The autouse guard refuses any connection the fetch might still attempt (a literal public address)."""
    with Fetcher(FetchPolicy(host_interval=0.0), resolver=_unresolvable) as fetcher:
        result = fetcher.fetch(url)
    assert result.error in ERRORS and result.status == 0 and result.body is None


# --- links and settings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reference, link", [
    ("https://pemkot.example.go.id/berita/1", True), ("HTTP://Pemkot.Example/", True), (" http://a.example ", True),
    ("http://", False), ("ftp://a.example/x", False), ("www.example.com", False), ("Surat No. 12/2024", False),
    ("http://[::1", False), ("", False),
])
def test_is_link(reference, link):
    assert is_link(reference) is link


def test_the_policy_defaults_when_nothing_is_set():
    assert FetchPolicy.from_env({}) == FetchPolicy() == FetchPolicy(10.0, 30.0, 5, 5 * 1024 * 1024, False, 1.0)
    assert FetchPolicy.from_env({"IKU_LINKCHECK_TIMEOUT": " "}) == FetchPolicy()


def test_each_setting_is_read_from_the_environment():
    env = {"IKU_LINKCHECK_TIMEOUT": "2.5", "IKU_LINKCHECK_MAX_MB": "0.5", "IKU_LINKCHECK_MAX_REDIRECTS": "0",
           "IKU_LINKCHECK_HOST_INTERVAL": "0", "IKU_LINKCHECK_ALLOW_PRIVATE": "Yes"}
    assert FetchPolicy.from_env(env) == FetchPolicy(timeout=2.5, max_bytes=512 * 1024, max_redirects=0,
                                                    host_interval=0.0, allow_private=True)
    for value, allowed in [("1", True), ("true", True), ("0", False), ("no", False)]:
        assert FetchPolicy.from_env({"IKU_LINKCHECK_ALLOW_PRIVATE": value}).allow_private is allowed


@pytest.mark.parametrize("name, value", [
    ("IKU_LINKCHECK_TIMEOUT", "-1"), ("IKU_LINKCHECK_TIMEOUT", "0"), ("IKU_LINKCHECK_TIMEOUT", "sepuluh"),
    ("IKU_LINKCHECK_TIMEOUT", "nan"), ("IKU_LINKCHECK_MAX_MB", "-2"), ("IKU_LINKCHECK_MAX_MB", "5MB"),
    ("IKU_LINKCHECK_MAX_REDIRECTS", "-1"), ("IKU_LINKCHECK_MAX_REDIRECTS", "2.5"),
    ("IKU_LINKCHECK_HOST_INTERVAL", "-0.5"), ("IKU_LINKCHECK_HOST_INTERVAL", "inf"),
    ("IKU_LINKCHECK_ALLOW_PRIVATE", "maybe"),
])
def test_a_malformed_setting_is_refused_by_name(name, value):
    with pytest.raises(LinkCheckSettingError) as refused:
        FetchPolicy.from_env({name: value})
    assert isinstance(refused.value, ValueError)
    assert (refused.value.name, refused.value.value) == (name, value)
    assert name in str(refused.value) and repr(value) in str(refused.value)
