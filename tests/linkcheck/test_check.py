"""Checking a year's publications in one run: what is recorded on each activity, the archive of the first
successful fetch, a changed page, dead links and since when, the refusal of private addresses, what is left
alone, the bundle and `iku verify`, the command and the server's job. Servers listen on 127.0.0.1 only."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.periods import parse_period
from domain.times import now, parse_instant
from projections import read
from services import bundle, integrity
from services.evidence import EvidenceStore
from services.linkcheck import IntervalSettingError, Summary, check_links, interval_from, start_job
from services.linkfetch import Fetcher, LinkCheckSettingError
from tests.conftest import assert_data_dir_sound, open_runtime, wait_until
from tests.linkcheck.sites import HTML, LOCAL, PNG, redirect, respond, sha

T = parse_instant


@pytest.fixture
def runtime(tmp_path):
    with open_runtime("sqlite", tmp_path / "data") as opened:
        yield opened


def published(runtime, reference: str, url: str, when: str = "2020-02-03T09:00") -> None:
    runtime.record("scheduled", reference, title=f"Kunjungan {reference}", leaders=["walikota"], location="Pasar",
                   occurred_at=T(when), actor="siti")
    runtime.record("held", reference, occurred_at=T(when), actor="siti")
    runtime.record("published", reference, occurred_at=T(when), channel="website", evidence_ref=url, actor="siti")


def state(runtime, reference: str, url: str) -> dict:
    db = runtime.fresh()
    aid = read.activities.activity(db, reference)["activity_id"]
    return read.evidence.link_states(db, [aid])[(aid, url)]


def test_one_run_records_every_link_and_archives_each_first_success(runtime, site):
    site.routes["/berita"] = respond(200, HTML)
    site.routes["/lama"] = redirect(301, "/foto.png")
    site.routes["/foto.png"] = respond(200, PNG, "image/png")
    site.routes["/hilang"] = respond(404, b"tidak ada")
    published(runtime, "AG-1", site.url("/berita"))
    published(runtime, "AG-2", site.url("/lama"))
    published(runtime, "AG-3", site.url("/hilang"))
    published(runtime, "AG-4", "ARSIP/2020/01")  # not a link: left alone
    published(runtime, "AG-5", "ftp://127.0.0.1/berita")  # not http(s): left alone
    summary = check_links(runtime, policy=LOCAL)
    assert summary == Summary(checked=3, live=2, dead=1, archived=2, changed=0, skipped=0,
                              dead_links=[("AG-3", site.url("/hilang"), "404")])
    assert sorted(path for path, _ in site.requests) == ["/berita", "/foto.png", "/hilang", "/lama"]
    page = state(runtime, "AG-1", site.url("/berita"))
    assert (page["live"], page["dead_since"], page["checks"]) == (True, None, 1)
    assert page["archive"] == {"sha256": sha(HTML), "size": len(HTML), "media_type": "text/html"}
    assert EvidenceStore(runtime.data_dir).path(sha(HTML)).read_bytes() == HTML
    image = state(runtime, "AG-2", site.url("/lama"))
    assert (image["last"]["final_url"], image["last"]["content_type"], image["archive"]["sha256"]) == (
        site.url("/foto.png"), "image/png", sha(PNG))
    dead = state(runtime, "AG-3", site.url("/hilang"))
    assert (dead["live"], dead["dead_since"], dead["archive"]) == (False, dead["last"]["checked_at"], None)
    trail = read.activities.trail(runtime.fresh(), "AG-1")
    check = [event for event in trail["events"] if event["kind"] == "link_checked"][0]
    assert (check["actor"], check["evidence_ref"], check["link_check"]["status"]) == (
        "pemeriksa-tautan", site.url("/berita"), 200)
    assert [a["kind"] for a in check["attachments"]] == [] and check["targets"] == [3]
    published_event = [event for event in trail["events"] if event["kind"] == "published"][0]
    assert [(a["kind"], a["name"]) for a in published_event["attachments"]] == [("archive", "127.0.0.1_berita.html")]
    assert integrity.verify(runtime).ok
    assert_data_dir_sound(runtime)


def test_later_runs_keep_no_second_copy_and_note_a_changed_page_and_since_when_it_is_dead(runtime, site):
    site.routes["/berita"] = respond(200, HTML)
    url = site.url("/berita")
    published(runtime, "AG-1", url)
    check_links(runtime, policy=LOCAL)
    assert check_links(runtime, policy=LOCAL) == Summary(checked=1, live=1, archived=0, changed=0)
    edited = HTML.replace(b"2 miliar", b"3 miliar")
    site.routes["/berita"] = respond(200, edited)
    assert check_links(runtime, policy=LOCAL) == Summary(checked=1, live=1, archived=0, changed=1)
    site.routes["/berita"] = respond(410, b"dihapus")
    check_links(runtime, policy=LOCAL)
    first_failure = state(runtime, "AG-1", url)["last"]["checked_at"]
    site.routes["/berita"] = respond(404, b"")
    check_links(runtime, policy=LOCAL)
    found = state(runtime, "AG-1", url)
    assert (found["live"], found["dead_since"], found["checks"], found["changed"]) == (False, first_failure, 5, True)
    assert found["archive"]["sha256"] == sha(HTML)  # the first copy stays the archive
    assert [row["sha256"] for row in runtime.fresh().query(
        "SELECT sha256 FROM link_checks ORDER BY position")] == [sha(HTML), sha(HTML), sha(edited), "", ""]
    assert len(EvidenceStore(runtime.data_dir).files()) == 1
    site.routes["/berita"] = respond(200, edited)
    check_links(runtime, policy=LOCAL)
    assert state(runtime, "AG-1", url)["dead_since"] is None  # live again


def test_private_addresses_are_refused_without_the_switch_and_the_refusal_is_recorded(runtime, site, connections):
    site.routes["/intranet"] = respond(200, HTML)
    published(runtime, "AG-1", site.url("/intranet"))
    published(runtime, "AG-2", site.url("/intranet", host="localhost"))
    summary = check_links(runtime)  # the default policy: no private address
    assert (summary.checked, summary.dead, summary.archived) == (2, 2, 0)
    assert site.requests == [] and connections == []
    for reference, host in (("AG-1", "127.0.0.1"), ("AG-2", "localhost")):
        last = state(runtime, reference, site.url("/intranet", host=host))["last"]
        assert (last["status"], last["error"]) == (0, "private_address")


def test_a_redirect_to_a_private_address_is_refused(runtime, site, connections):
    site.routes["/keluar"] = redirect(302, "http://10.0.0.7/admin")
    published(runtime, "AG-1", site.url("/keluar"))
    with Fetcher(LOCAL.__class__(host_interval=0.0), is_allowed=lambda ip: ip == "127.0.0.1") as fetcher:
        check_links(runtime, fetcher=fetcher)
    last = state(runtime, "AG-1", site.url("/keluar"))["last"]
    assert (last["status"], last["error"]) == (302, "private_address")
    assert {address for address, _ in connections} == {"127.0.0.1"}


def test_a_period_and_since_choose_the_links(runtime, site):
    site.routes["/a"] = respond(200, HTML)
    site.routes["/b"] = respond(200, PNG, "image/png")
    published(runtime, "AG-1", site.url("/a"), "2020-03-31T23:59")
    published(runtime, "AG-2", site.url("/b"), "2020-04-01T00:00")
    assert check_links(runtime, period=parse_period("2020-Q1"), policy=LOCAL).checked == 1
    assert [path for path, _ in site.requests] == ["/a"]
    assert check_links(runtime, since=timedelta(days=7), policy=LOCAL).checked == 1  # only the unchecked /b
    assert check_links(runtime, since=timedelta(days=7), policy=LOCAL).checked == 0
    assert check_links(runtime, since=timedelta(0), policy=LOCAL).checked == 2


def test_a_publication_withdrawn_while_its_link_is_fetched_is_skipped(runtime, site):
    site.routes["/a"] = respond(200, HTML)
    published(runtime, "AG-1", site.url("/a"))

    class Withdrawing(Fetcher):
        def fetch(self, url):
            runtime.record("withdrawn", "AG-1", withdrawn_kind="published", evidence_ref=url, reason="salah tautan",
                           occurred_at=now(), actor="kasubbag")
            return super().fetch(url)

    with Withdrawing(LOCAL) as fetcher:
        summary = check_links(runtime, fetcher=fetcher)
    assert (summary.checked, summary.skipped) == (0, 1)
    assert list(runtime.fresh().query("SELECT * FROM link_checks")) == []


def test_a_withdrawn_or_cancelled_publication_is_not_checked(runtime, site):
    published(runtime, "AG-1", site.url("/a"))
    runtime.record("withdrawn", "AG-1", withdrawn_kind="published", reason="salah", occurred_at=now(), actor="k")
    assert check_links(runtime, policy=LOCAL).checked == 0
    assert site.requests == []


def test_the_bundle_carries_the_archived_copy_and_each_check(runtime, site):
    site.routes["/berita"] = respond(200, HTML)
    url = site.url("/berita")
    published(runtime, "AG-1", url)
    check_links(runtime, policy=LOCAL)
    data = bundle.build(runtime.fresh(), parse_period("2020-Q1"), now(), log=runtime.log, store=EvidenceStore(runtime.data_dir))
    made = zipfile.ZipFile(io.BytesIO(data))
    name = f"evidence/{sha(HTML)[:16]}-127.0.0.1_berita.html"
    assert made.read(name) == HTML
    rows = list(csv.DictReader(io.StringIO(made.read("links.csv").decode())))
    assert [(r["reference"], r["url"], r["status"], r["error"], r["sha256"], r["changed"], r["archive"])
            for r in rows] == [("AG-1", url, "200", "", sha(HTML), "tidak", name)]
    assert json.loads(made.read("manifest.json"))["files"][name] == sha(HTML)
    assert bundle.check(data)[0] == []


def test_verify_names_an_archived_copy_that_was_altered(runtime, site):
    site.routes["/berita"] = respond(200, HTML)
    published(runtime, "AG-1", site.url("/berita"))
    check_links(runtime, policy=LOCAL)
    EvidenceStore(runtime.data_dir).path(sha(HTML)).write_bytes(b"<p>diubah</p>")
    result = integrity.verify(runtime)
    assert (result.finding.problem, result.finding.detail) == ("file_altered", sha(HTML))


def test_the_command_checks_lists_the_dead_and_refuses_a_bad_setting(runtime, site, monkeypatch):
    site.routes["/a"] = respond(200, HTML)
    published(runtime, "AG-1", site.url("/a"))
    published(runtime, "AG-2", site.url("/hilang"))
    data_dir = str(runtime.data_dir)
    runtime.close()
    monkeypatch.setenv("IKU_LINKCHECK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("IKU_LINKCHECK_HOST_INTERVAL", "0")
    result = CliRunner().invoke(cli, ["--data-dir", data_dir, "links", "check", "2020"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"mati: AG-2 {site.url('/hilang')} (404)",
        "2 tautan diperiksa: 1 hidup, 1 mati, 1 diarsipkan, 0 berubah, 0 dilewati (publikasinya ditarik)"]
    result = CliRunner().invoke(cli, ["--data-dir", data_dir, "--lang", "en", "links", "check", "--since", "1"])
    assert result.output.splitlines() == [
        "0 links checked: 0 live, 0 dead, 0 archived, 0 changed, 0 skipped (their publication was withdrawn)"]
    monkeypatch.setenv("IKU_LINKCHECK_TIMEOUT", "-3")
    result = CliRunner().invoke(cli, ["--data-dir", data_dir, "links", "check"])
    assert (result.exit_code, result.output.strip()) == (
        1, "iku: IKU_LINKCHECK_TIMEOUT='-3' is not valid: expected a number above 0")
    result = CliRunner().invoke(cli, ["--data-dir", data_dir, "trail", "AG-2"])
    assert f"{site.url('/hilang')} → tidak dapat dibuka (HTTP 404)" in result.output


@pytest.mark.parametrize(("value", "seconds"), [
    ("", None), ("0", None), ("90", 90.0), ("30m", 1800.0), ("6h", 21600.0), ("1d", 86400.0), (" 1.5 H ", 5400.0)])
def test_the_jobs_interval(value, seconds):
    assert interval_from({"IKU_LINKCHECK_INTERVAL": value}) == seconds


@pytest.mark.parametrize("value", ["sering", "-5", "5 w", "1h30m"])
def test_a_bad_interval_is_refused(value):
    with pytest.raises(IntervalSettingError):
        interval_from({"IKU_LINKCHECK_INTERVAL": value})


def test_the_servers_job_runs_at_its_interval_and_stops(runtime, site):
    site.routes["/a"] = respond(200, HTML)
    published(runtime, "AG-1", site.url("/a"))
    assert start_job(runtime, {}) is None
    with pytest.raises(LinkCheckSettingError):
        start_job(runtime, {"IKU_LINKCHECK_INTERVAL": "1h", "IKU_LINKCHECK_MAX_MB": "banyak"})
    job = start_job(runtime, {"IKU_LINKCHECK_INTERVAL": "0.2", "IKU_LINKCHECK_ALLOW_PRIVATE": "1",
                              "IKU_LINKCHECK_HOST_INTERVAL": "0"})
    try:
        assert wait_until(lambda: job.runs >= 2, 10)
    finally:
        job.stop()
    assert not job._thread.is_alive()
    assert job.last is not None and job.last_finished is not None
    assert runtime.fresh().execute("SELECT COUNT(*) FROM link_checks").fetchone()[0] >= 1
