"""A step the store committed while the read model could not follow is shown as stored, never as lost."""

from __future__ import annotations

from projections import read
from tests.webapp.conftest import soup


def test_a_stored_step_whose_view_lags_says_stored_and_not_to_enter_it_again(operator, runtime, full_disk):
    before = runtime.follower.head()
    response = operator.post("/kegiatan/AG-2020-0003/catat", data={"kind": "held", "occurred_at": "2020-03-10T09:00"})
    assert response.status_code == 202
    text = soup(response).get_text(" ")
    assert "sudah tersimpan" in text and "Jangan dicatat ulang" in text and "database or disk is full" in text
    assert runtime.follower.head() == before + 1
    full_disk["on"] = False
    assert read.activities.activity(runtime.fresh(), "AG-2020-0003")["status"] == "held"


def test_with_htmx_the_message_lands_in_the_live_region(operator, full_disk):
    response = operator.post("/kegiatan/AG-2020-0003/catat", headers={"HX-Request": "true"},
                             data={"kind": "held", "occurred_at": "2020-03-10T09:00", "konteks": "agenda"})
    assert response.status_code == 202 and response.headers["HX-Retarget"] == "#flash"
    assert "sudah tersimpan" in response.get_data(as_text=True)
