"""Mutation testing of the rule modules: change the code one small step at a time and see the tests notice.

    python -m tests.mutation                 # every rule module ([tool.mutmut] only_mutate in pyproject.toml)
    python -m tests.mutation --changed       # only the rule modules this working tree changes (before a commit)
    python -m tests.mutation domain/times.py # one module
    python -m tests.mutation --record        # … and write the scores into tests/MUTATION.md

Runs mutmut, then scores each module: killed ÷ (mutants − those judged equivalent), where a surviving
mutant, or one no test reaches, counts against the score. Equivalent mutants are listed in tests/MUTATION.md
by their change (the line before and after), not by mutmut's number, which moves when the code does.
Exit status 1 when a module scores below the bar (90%).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "MUTATION.md"
BAR = 90.0
KILLED = {1, 3, 24, -24, 36, 152, 255}  # a failing test, pytest's internal error, or a timeout
EQUIVALENT = re.compile(r"^- `(?P<function>[^`]+)`: `(?P<before>[^`]*)` → `(?P<after>[^`]*)` — (?P<reason>.+)$")
MUTANT_NAME = re.compile(r"^(?P<module>.+?)\.x(?P<function>[_ǁ].+)__mutmut_\d+$")
TABLE_START, TABLE_END = "<!-- scores -->", "<!-- /scores -->"


def rule_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def changed_modules() -> list[str]:
    """The rule modules the working tree changes against HEAD (tracked or new)."""
    names = subprocess.run(["git", "diff", "--name-only", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    names += subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [module for module in rule_modules() if module in names]


@dataclass(frozen=True)
class Change:
    """What one mutant changes: the function and its lines before and after."""

    function: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"`{self.function}`: `{self.before}` → `{self.after}`"


@dataclass
class Score:
    module: str
    killed: int = 0
    equivalent: int = 0
    survivors: list[tuple[str, Change]] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.killed + len(self.survivors)

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


def equivalents() -> dict[Change, str]:
    """The mutants judged equivalent, with why (from tests/MUTATION.md)."""
    found = {}
    for line in RECORD.read_text(encoding="utf-8").splitlines() if RECORD.exists() else []:
        match = EQUIVALENT.match(line.strip())
        if match:
            found[Change(match["function"], match["before"], match["after"])] = match["reason"]
    return found


def change_of(name: str) -> Change:
    """The change mutant `name` makes, read from mutmut's copy of the module."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name).splitlines()
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    parts = MUTANT_NAME.match(name)
    function = parts["function"].lstrip("_ǁ").replace("ǁ", ".")
    return Change(f"{parts['module']}.{function}", " / ".join(removed), " / ".join(added))


def clear_copies() -> None:
    """Empty mutants/ but for each module's verdicts (*.meta): mutmut copies a source file there only when it
    is absent, so a copy left from an earlier run would hide a change; the verdicts of unchanged functions
    are reused (mutmut compares each function's hash)."""
    folder = ROOT / "mutants"
    if not folder.exists():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path.suffix != ".meta":
            path.unlink()


def run_mutmut(modules: list[str], children: int) -> None:
    clear_copies()
    patterns = [module.removesuffix(".py").replace("/", ".") + ".*" for module in modules]
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *patterns],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit("mutmut failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-40:]))


def score(module: str, known: dict[Change, str]) -> Score:
    meta = json.loads((ROOT / "mutants" / f"{module}.meta").read_text())
    result = Score(module)
    for name, code in sorted(meta["exit_code_by_key"].items()):
        if code in KILLED:
            result.killed += 1
            continue
        change = change_of(name)
        if change in known:
            result.equivalent += 1
        else:
            result.survivors.append((name, change))
    return result


def table(scores: list[Score]) -> str:
    lines = ["| module | mutants | killed | equivalent | survived | score |", "|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.module} | {s.counted + s.equivalent} | {s.killed} | {s.equivalent} | "
                     f"{len(s.survivors)} | {s.percent:.1f}% |")
    return "\n".join(lines)


def table_rows(table_text: str) -> dict[str, str]:
    """The recorded rows of the scores table, by module."""
    rows = {}
    for line in table_text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in rule_modules():
            rows[cells[0]] = line.strip()
    return rows


def record(scores: list[Score]) -> None:
    """Write the scores of the modules just run into tests/MUTATION.md, keeping the other modules' rows."""
    text = RECORD.read_text(encoding="utf-8")
    before, _, rest = text.partition(TABLE_START)
    recorded, _, after = rest.partition(TABLE_END)
    rows = table_rows(recorded)
    rows.update(table_rows(table(scores)))
    header = table([]).splitlines()
    lines = header + [rows[module] for module in rule_modules() if module in rows]
    body = "\n".join(lines)
    RECORD.write_text(f"{before}{TABLE_START}\n{body}\n{TABLE_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="rule modules to mutate (default: all of them)")
    parser.add_argument("--changed", action="store_true", help="only the rule modules the working tree changes")
    parser.add_argument("--record", action="store_true", help="write the scores into tests/MUTATION.md")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--no-run", action="store_true", help="score the last run again (after editing the list)")
    args = parser.parse_args(argv)
    modules = args.modules or (changed_modules() if args.changed else rule_modules())
    if not modules:
        print("no rule module changed")
        return 0
    if not args.no_run:
        run_mutmut(modules, args.children)
    known = equivalents()
    scores = [score(module, known) for module in modules]
    print(table(scores))
    for s in scores:
        for name, change in s.survivors:
            print(f"survived {name}: {change}")
    if args.record:
        record(scores)
    return 0 if all(s.percent >= BAR for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
