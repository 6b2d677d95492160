"""The mutation scorer (tests/mutation.py): equivalents are read by their change, a score leaves them out,
and recording one module keeps the other modules' rows."""

from tests import mutation
from tests.mutation import Change, Score


def test_equivalents_are_read_by_function_and_lines_with_their_reason(tmp_path, monkeypatch):
    record = tmp_path / "MUTATION.md"
    record.write_text("# x\n\n- `domain.a.f`: `x = 1` → `x = 2` — the same\n- not an entry\n", encoding="utf-8")
    monkeypatch.setattr(mutation, "RECORD", record)
    assert mutation.equivalents() == {Change("domain.a.f", "x = 1", "x = 2"): "the same"}


def test_a_score_counts_survivors_against_it_and_leaves_equivalents_out():
    score = Score("domain/a.py", killed=9, equivalent=3, survivors=[("m", Change("f", "a", "b"))])
    assert (score.counted, round(score.percent, 1)) == (10, 90.0)
    assert Score("domain/b.py").percent == 100.0


def test_recording_one_module_keeps_the_rows_of_the_others(tmp_path, monkeypatch):
    record = tmp_path / "MUTATION.md"
    monkeypatch.setattr(mutation, "RECORD", record)
    monkeypatch.setattr(mutation, "rule_modules", lambda: ["domain/a.py", "domain/b.py"])
    record.write_text("top\n<!-- scores -->\n<!-- /scores -->\nbottom\n", encoding="utf-8")
    mutation.record([Score("domain/b.py", killed=1)])
    mutation.record([Score("domain/a.py", killed=3, survivors=[("m", Change("f", "a", "b"))])])
    lines = record.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "top" and lines[-1] == "bottom"
    assert lines[4:6] == ["| domain/a.py | 4 | 3 | 0 | 1 | 75.0% |", "| domain/b.py | 1 | 1 | 0 | 0 | 100.0% |"]


def test_clearing_keeps_only_the_verdicts(tmp_path, monkeypatch):
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    (tmp_path / "mutants" / "domain").mkdir(parents=True)
    for name in ("domain/times.py", "domain/times.py.meta", "domain/errors.py", "mutmut-stats.json"):
        (tmp_path / "mutants" / name).write_text("x")
    (tmp_path / "mutants" / "webapp" / "static").mkdir(parents=True)
    mutation.clear_copies()
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "mutants", "mutants/domain", "mutants/domain/times.py.meta"]
