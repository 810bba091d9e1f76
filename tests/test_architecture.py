"""The layering rules of DESIGN.md, checked on the source so that a shortcut fails the build."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "familyfeedback"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules_under(folder: str):
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_views_never_use_a_model_manager_directly():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "views" not in path.parts and path.name != "views.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_measures_import_nothing_of_django_or_ours():
    for path in modules_under("measures"):
        for module in imports_of(path):
            assert not module.startswith(("django", "familyfeedback")), (path, module)


def test_accounts_does_not_import_the_layers_above_it():
    for path in modules_under("accounts"):
        for module in imports_of(path):
            assert not module.startswith("familyfeedback.casework"), (path, module)


def test_casework_does_not_import_the_layers_above_it():
    for path in modules_under("casework"):
        for module in imports_of(path):
            assert not module.startswith(("familyfeedback.implementation",
                                          "familyfeedback.evaluation", "familyfeedback.demo")), (
                path, module)


def test_implementation_does_not_import_evaluation_or_the_demo():
    for path in modules_under("implementation"):
        for module in imports_of(path):
            assert not module.startswith(("familyfeedback.evaluation", "familyfeedback.demo")), (
                path, module)
