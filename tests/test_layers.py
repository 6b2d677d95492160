"""The house's layers: domain → projections → services → the two front doors (webapp, cli).

Each layer imports only the layers beneath it; the web never imports the command line, and the command line
reaches the web only through the application factory, in the `serve` command. Function-level imports count.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = {"domain", "projections", "services", "webapp", "cli"}

#: what each layer may import of the project (besides itself)
ALLOWED = {
    "domain": set(),
    "projections": {"domain"},
    "services": {"domain", "projections"},
    "webapp": {"domain", "projections", "services"},
    "cli": {"domain", "projections", "services"},
}
#: the one module of the command line that may import the web: the `serve` command
CLI_SERVE = ROOT / "cli" / "serve.py"


def project_imports(path: Path) -> set[str]:
    """The project packages `path` imports, at module or function level."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots & PROJECT


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_beneath_it(layer):
    crossings = {}
    for path in modules(layer):
        allowed = ALLOWED[layer] | {layer} | ({"webapp"} if path == CLI_SERVE else set())
        wrong = project_imports(path) - allowed
        if wrong:
            crossings[str(path.relative_to(ROOT))] = sorted(wrong)
    assert crossings == {}


def test_the_command_line_reaches_the_web_only_through_the_application_factory():
    tree = ast.parse(CLI_SERVE.read_text(encoding="utf-8"))
    names = {(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             for alias in node.names if node.module and node.module.split(".")[0] == "webapp"}
    assert names == {("webapp", "create_app")}


def test_every_layer_has_modules():
    assert all(modules(layer) for layer in ALLOWED)


def test_the_check_sees_a_crossing(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import cli.main\n\ndef late():\n    from webapp import create_app\n    import json\n")
    assert project_imports(sample) == {"cli", "webapp"}
