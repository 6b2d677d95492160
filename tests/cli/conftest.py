"""Fixtures of the command-line tests."""

import pytest
from click.testing import CliRunner

from cli.main import cli


@pytest.fixture
def iku(tmp_path):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), *args])

    return run
