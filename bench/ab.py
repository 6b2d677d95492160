"""`python -m bench.ab OLD_CHECKOUT FILE.csv …`: `iku import` of the same files by an older checkout and by this
one, alternating, each in a fresh process on the same machine: events/s and peak memory side by side.

OLD_CHECKOUT is a directory holding another version of this project (`git worktree add /tmp/old COMMIT`);
its import is run as that version's bench ran it (`read_into` and one commit before #20). Traffic: none.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench.measure import IMPORT, run_child

#: the import as the commit before #20 ran it: the whole file read and held, one commit at the end
OLD_IMPORT = """
import sys, time
from pathlib import Path
from services import csvimport
from services.runtime import Runtime
started = time.perf_counter()
runtime = Runtime(Path(sys.argv[1]), database_url="")
batch = runtime.batch()
result = csvimport.read_into(batch, Path(sys.argv[2]).read_bytes(), "bench")
assert result.ok, [e.message() for e in result.errors[:3]]
runtime.commit(batch)
RESULT = {"events": sum(result.by_kind.values()), "seconds": time.perf_counter() - started}
"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("old", type=Path, help="a checkout of the older version")
    parser.add_argument("files", type=Path, nargs="+", help="CSV files of the import contract")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print("| file | before | after | ratio |\n|---|---|---|---|")
    for path in args.files:
        for _ in range(args.rounds):
            results = []
            for code, cwd in ((OLD_IMPORT, args.old), (IMPORT, Path.cwd())):
                with tempfile.TemporaryDirectory(prefix="iku-ab-") as tmp:
                    results.append(run_child(code, str(Path(tmp) / "data"), str(path.resolve()), cwd=cwd))
                    shutil.rmtree(tmp, ignore_errors=True)
            (old, new) = ((r["events"] / r["seconds"], r["peak_mib"]) for r in results)
            print(f"| {path.name} | {old[0]:,.0f} events/s, {old[1]:.0f} MiB | {new[0]:,.0f} events/s, "
                  f"{new[1]:.0f} MiB | {new[0] / old[0]:.2f}× |")


if __name__ == "__main__":
    main()
