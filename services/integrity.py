"""The whole integrity check: the hash chain (and a seal), then every evidence file against its digest."""

from __future__ import annotations

from dataclasses import replace

from projections import chain, read
from services.evidence import EvidenceStore
from services.runtime import Runtime


def verify(runtime: Runtime, seal: chain.Seal | None = None) -> chain.Verification:
    result = chain.verify(runtime.log, runtime.db, seal)
    if not result.ok:
        return result
    store = EvidenceStore(runtime.data_dir)
    for row in read.activities.all_attachments(runtime.db):
        problem = store.matches(row["sha256"])
        if problem:
            return replace(result, finding=chain.Finding(row["position"], problem, row["sha256"]))
    return result
