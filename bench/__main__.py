"""`python -m bench --events N`: how fast, against the ceiling, in one run on this machine.

Prints a Markdown table; every speed has its ceiling (or peer) from the same run beside it and the ratio,
because the machines here are shared and noisy. Traffic goes only to 127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.history import write_csv
from bench.measure import import_and_rebuild, report_latency, web_load


def cpu_name() -> str:
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(events: int, seed: int, samples: int, web: bool, requests: int, naive_limit: float) -> str:
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="iku-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        made = write_csv(workdir / "history.csv", events, seed)
        generated = time.perf_counter() - started
        speeds = import_and_rebuild(workdir, workdir / "history.csv")
        reports = report_latency(workdir, seed, samples, naive_limit)
        load = web_load(workdir, 8, requests, 60.0) if web else None

    def rate(result: dict) -> float:
        return result["events"] / result["seconds"]

    lines += [
        f"### {made['rows']:,} events ({made['activities']:,} activities, seed {seed})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {cpu_name()} · {sys.version.split()[0]} · "
        f"history generated in {generated:.1f} s",
        "",
        "| measurement | iku-humas | ceiling / peer | ratio | target |",
        "|---|---|---|---|---|",
    ]
    imp, imp_c = rate(speeds["import"]), rate(speeds["import_ceiling"])
    reb, reb_c = rate(speeds["rebuild"]), rate(speeds["rebuild_ceiling"])
    lines.append(f"| bulk import (events/s) | {imp:,.0f} | {imp_c:,.0f} (executemany, one transaction) | "
                 f"{imp / imp_c:.0%} of ceiling | ≥ 3× the import before #20 (A/B in RESULTS.md) |")
    plain = rate(speeds["rebuild_plain"])
    lines.append(f"| `iku rebuild` (events/s) | {reb:,.0f} | {reb_c:,.0f} (decode + executemany) | "
                 f"{reb / reb_c:.0%} of ceiling | ≥ 50% |")
    lines.append(f"| `iku rebuild` against the plain ceiling (events/s) | {reb:,.0f} | {plain:,.0f} (stored bytes, "
                 f"json.loads, executemany) | {reb / plain:.0%} of ceiling | ≥ 50% |")
    ceiling = reports["ceiling"]
    for name in ("current", "as_of"):
        p50, p95 = reports[name]
        lines.append(f"| report {name.replace('_', '-')} p50 / p95 (ms) | {p50:.2f} / {p95:.2f} | "
                     f"{ceiling[0]:.2f} / {ceiling[1]:.2f} (flat COUNT) | {p95 / ceiling[1]:.1f}× ceiling p95 | "
                     f"p95 ≤ 10 ms, ≤ 3× |")
    naive = reports["naive"]
    note = " (extrapolated)" if naive["extrapolated"] else ""
    lines.append(f"| report vs naive replay (ms) | {reports['current'][0]:.2f} | {naive['ms']:,.0f}{note} "
                 f"(every aggregate through the repository) | {naive['ms'] / reports['current'][0]:,.0f}× faster | "
                 f"≥ 100× |")
    if load:
        for name in ("indicator page", "audit-log page"):
            page = load[name]
            lines.append(f"| {name}, 8 clients: p50 / p95 (ms), req/s | {page['p50']:.1f} / {page['p95']:.1f}, "
                         f"{page['rps']:.0f} req/s ({page['requests']} requests, {page['errors']} errors) | – | – | "
                         f"{'p95 ≤ 50 ms' if name == 'indicator page' else '–'} |")
    per_event = speeds["import"]["peak_mib"] * 1024 / speeds["import"]["events"]
    lines.append(f"| `iku import` peak memory (MiB), per event | {speeds['import']['peak_mib']:.0f} MiB, "
                 f"{per_event:.2f} KiB/event | {speeds['import_ceiling']['peak_mib']:.0f} MiB (ceiling) | – | "
                 f"≤ 300 MiB at 1M, per event falling with N |")
    lines.append(f"| peak memory (MiB): import / rebuild{' / serve' if load else ''} | "
                 f"{speeds['import']['peak_mib']:.0f} / {speeds['rebuild']['peak_mib']:.0f}"
                 f"{(' / ' + format(load['peak_mib'], '.0f')) if load else ''} | "
                 f"{speeds['import_ceiling']['peak_mib']:.0f} / {speeds['rebuild_ceiling']['peak_mib']:.0f} "
                 f"(ceilings) | – | serve ≤ 200 MB |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000, help="size of the history (default 10,000)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--samples", type=int, default=200, help="random periods per report measurement")
    parser.add_argument("--requests", type=int, default=100, help="requests per web client (8 clients)")
    parser.add_argument("--naive-limit", type=float, default=60.0,
                        help="seconds the naive replay may run before it is extrapolated")
    parser.add_argument("--no-web", action="store_true", help="skip the web load")
    args = parser.parse_args()
    print(run(args.events, args.seed, args.samples, not args.no_web, args.requests, args.naive_limit))


if __name__ == "__main__":
    main()
