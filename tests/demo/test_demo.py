"""The demo shows the whole product: a year of activities with targets, a signatory and evidence files."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.periods import parse_period
from domain.times import UTC, now
from projections import chain, read
from services import reports
from services.demo import build_demo
from services.evidence import EvidenceStore
from services.runtime import Runtime

END = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "data"
    summary = build_demo(data, end=END)
    runtime = Runtime(data, database_url="")
    yield summary, runtime
    runtime.close()


def test_the_demo_year_has_targets_so_capaian_and_predikat_show(demo):
    _, runtime = demo
    report = reports.report(runtime.fresh(), parse_period("2026"), now(), "id", stated=False)
    for row in report["indicators"]:
        assert row["target"] is not None and row["capaian"] is not None and row["predikat"], row


def test_the_demo_profile_names_a_signatory_with_a_nip_and_a_logo(demo):
    _, runtime = demo
    profile = read.targets.profile(runtime.fresh())
    assert profile["penandatangan_nama"] and profile["penandatangan_nip"].isdigit()
    assert len(profile["penandatangan_nip"]) == 18
    assert EvidenceStore(runtime.data_dir).matches(profile["logo"]) is None


def test_the_demo_attaches_photos_and_letters_that_verify(demo):
    summary, runtime = demo
    assert summary["by_kind"]["attached"] >= 10
    kinds = {path.read_bytes()[:4] for path in EvidenceStore(runtime.data_dir).files()}
    assert b"%PDF" in kinds and b"\xff\xd8\xff\xe0" in kinds and b"\x89PNG" in kinds
    assert chain.verify(runtime.log, runtime.fresh()).ok


def test_the_demo_records_nothing_in_the_future_or_out_of_order(demo):
    _, runtime = demo
    db = runtime.fresh()
    recorded = [row[0] for row in db.execute("SELECT recorded_at FROM events ORDER BY position")]
    assert recorded == sorted(recorded)
    assert recorded[-1] <= END.isoformat().replace("+00:00", ".000000Z")
