"""The domain package knows nothing of Flask, HTTP or SQL."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
FORBIDDEN = {"flask", "flask_htmx", "sqlite_utils", "sqlite3", "psycopg", "werkzeug", "projections", "webapp", "iku"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_only_stdlib_and_eventsourcing(path):
    assert imported_roots(path) & FORBIDDEN == set()


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlite3\nfrom flask import Flask\n")
    assert imported_roots(sample) & FORBIDDEN == {"sqlite3", "flask"}
