"""Check the publications' links and keep a copy of each page: `iku links check` and the server's job.

Each valid publication whose reference is an http(s) link is fetched by services/linkfetch.py (bounded, and
refusing the office's own network unless IKU_LINKCHECK_ALLOW_PRIVATE=1). The answer is recorded as a
`link_checked` event on the activity; the first successful fetch of a link also keeps the page (HTML or an
image) in the evidence store as the publication's archive. A dead link changes no figure: the publication
happened, and the archive shows what it was.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.errors import NothingToCheckError
from domain.periods import Period
from domain.times import now
from projections import read
from services.evidence import EvidenceStore
from services.linkfetch import Fetcher, FetchPolicy, FetchResult, is_link
from services.runtime import Runtime

log = logging.getLogger(__name__)

#: the account name link checks are recorded under (the job's and, by default, the command's)
CHECKER = "pemeriksa-tautan"
#: what a page's copy may be: a web page or an image
ARCHIVED_TYPES = frozenset({"text/html", "application/xhtml+xml", "image/jpeg", "image/png", "image/webp",
                            "image/gif"})
_INTERVAL = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class IntervalSettingError(ValueError):
    """IKU_LINKCHECK_INTERVAL is not a number of seconds, or one with a unit (30m, 6h, 1d)."""

    def __init__(self, value: str) -> None:
        super().__init__(f"IKU_LINKCHECK_INTERVAL={value!r}: expected seconds, or a number with s/m/h/d (e.g. 6h)")


def interval_from(env: Mapping[str, str]) -> float | None:
    """The job's interval in seconds from IKU_LINKCHECK_INTERVAL (unset, empty or 0: no job)."""
    value = (env.get("IKU_LINKCHECK_INTERVAL") or "").strip()
    if not value:
        return None
    found = _INTERVAL.fullmatch(value)
    if found is None:
        raise IntervalSettingError(value)
    seconds = float(found.group(1)) * _UNIT[found.group(2).lower()]
    return seconds or None


@dataclass
class Summary:
    """What one run did: links checked, how many answered live or dead, copies kept, changed pages, and
    those skipped because their publication was withdrawn meanwhile."""

    checked: int = 0
    live: int = 0
    dead: int = 0
    archived: int = 0
    changed: int = 0
    skipped: int = 0
    dead_links: list[tuple[str, str, str]] = field(default_factory=list)  # reference, url, status or error


def check_links(
    runtime: Runtime, *, period: Period | None = None, since: timedelta | None = None,
    policy: FetchPolicy | None = None, actor: str = CHECKER, fetcher: Fetcher | None = None,
    progress: Callable[[int, int], None] | None = None, stop: threading.Event | None = None,
) -> Summary:
    """Fetch each link of a valid publication (of activities held in `period`; with `since`, only links not
    checked within that time) and record what answered. `progress(done, total)` is told after each link;
    `stop` ends the run between two links."""
    db = runtime.fresh()
    moment = now()
    targets = [t for t in read.evidence.links_to_check(db, period, moment - since if since else None)
               if is_link(t["url"])]
    archived = {key for key, state in read.evidence.link_states(db, sorted({t["activity_id"] for t in targets}))
                .items() if state["archive"] is not None}
    store = EvidenceStore(runtime.data_dir)
    summary = Summary()
    own = fetcher is None
    fetcher = fetcher or Fetcher(policy or FetchPolicy())
    try:
        for done, target in enumerate(targets, start=1):
            if stop is not None and stop.is_set():
                break
            result = fetcher.fetch(target["url"])
            keep = (target["activity_id"], target["url"]) not in archived
            if _record(runtime, target["reference"], result, store, keep, actor, summary):
                archived.add((target["activity_id"], target["url"]))
            if progress is not None:
                progress(done, len(targets))
    finally:
        if own:
            fetcher.close()
    return summary


def _record(runtime: Runtime, reference: str, result: FetchResult, store: EvidenceStore, keep: bool, actor: str,
            summary: Summary) -> bool:
    """Record one fetch; whether an archive was kept."""
    archive, size = "", 0
    if keep and result.body is not None and result.content_type in ARCHIVED_TYPES:
        archive, size = store.put_archive(result.body), len(result.body)
    batch = runtime.batch()
    try:
        batch.record_link_check(reference, url=result.url, checked_at=now(), status=result.status,
                                error=result.error, final_url=result.final_url, content_type=result.content_type,
                                sha256=result.sha256, archive_sha256=archive, archive_size=size, actor=actor)
        recorded = runtime.commit(batch)
    except NothingToCheckError:
        summary.skipped += 1  # withdrawn while it was being fetched
        return False
    summary.checked += 1
    if result.live:
        summary.live += 1
    else:
        summary.dead += 1
        summary.dead_links.append((reference, result.url, result.error or str(result.status)))
    found = read.evidence.checks_at(runtime.db, [recorded.last_position])
    kept = bool(found and found[0]["archive_sha256"])  # the log keeps only a link's first copy
    summary.changed += bool(found and found[0]["changed"])
    summary.archived += kept
    return kept


class LinkCheckJob:
    """The server's background run of `check_links` every `interval` seconds (each run checks the links not
    checked within the interval). A failed run is logged and tried again at the next interval."""

    def __init__(self, runtime: Runtime, interval: float, policy: FetchPolicy) -> None:
        self.runtime, self.interval, self.policy = runtime, interval, policy
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="iku-linkcheck", daemon=True)
        self.runs = 0
        self.last: Summary | None = None
        self.last_finished: datetime | None = None

    def start(self) -> LinkCheckJob:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.last = check_links(self.runtime, since=timedelta(seconds=self.interval), policy=self.policy,
                                        stop=self._stop)
                self.last_finished = now()
                log.info("link check: %s checked, %s dead, %s archived", self.last.checked, self.last.dead,
                         self.last.archived)
            except Exception:  # the server goes on; the next run tries again
                log.exception("link check run failed")
            self.runs += 1
            self._stop.wait(self.interval)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start_job(runtime: Runtime, env: Mapping[str, str]) -> LinkCheckJob | None:
    """The job when IKU_LINKCHECK_INTERVAL asks for one (None otherwise); a bad setting raises before the server
    starts (`IntervalSettingError`, `LinkCheckSettingError`)."""
    interval = interval_from(env)
    policy = FetchPolicy.from_env(env)
    if interval is None:
        return None
    return LinkCheckJob(runtime, interval, policy).start()
