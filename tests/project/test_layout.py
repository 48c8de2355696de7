"""The shape of the code: one app per domain, imports that flow one way, no app too big.

Each app may import only the apps below it (``LAYERS``) at module level, so no import circle
between apps can form. An import inside a function is how a circle is usually hidden, so
project code imported in a function must say why on its line (a page route calling the view of
an app above is the usual reason); ``AppConfig.ready`` and migrations are exempt, as Django asks.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Each app and the apps it may import (directly).
LAYERS = {
    "home": set(),
    "languages": {"home"},
    "teams": {"home", "languages"},
    "neighborhoods": {"home", "languages", "teams"},
    "works": {"home", "languages", "teams", "neighborhoods"},
    "budgets": {"home", "languages", "teams", "neighborhoods", "works"},
    "participation": {"home", "languages", "teams", "neighborhoods", "works", "budgets"},
}
_BELOW_TOP = set(LAYERS)
LAYERS |= dict.fromkeys(("opendata", "imports", "maps", "search"), _BELOW_TOP)
LAYERS["demo"] = set(LAYERS) - {"demo"}
LAYERS["portal"] = set(LAYERS)

#: No app above this share of the Python lines (migrations and tests left out).
MAX_SHARE = 0.35


def python_files(app):
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def project_imports(path):
    """(imported app, line number, inside a function?, the source line) for each project import."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name == "ready":
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    in_function.add(id(inner))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in LAYERS:
                found.append((app, node.lineno, id(node) in in_function, lines[node.lineno - 1]))
    return found


def test_every_app_is_placed_in_the_layers():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps | {"portal"} == set(LAYERS)


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_app_imports_only_the_apps_below_it(app):
    """At module level; a page route may call a view of an app above from inside the route."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {imported}"
        for path in python_files(app)
        for imported, line, in_function, _text in project_imports(path)
        if imported != app and imported not in LAYERS[app] and not in_function
    ]
    assert not wrong, f"{app} may import only {sorted(LAYERS[app])}; it imports:\n" + "\n".join(wrong)


def test_the_layers_have_no_circle():
    """Each app's allowed imports never lead back to it (so the rule above forbids every circle)."""

    def reaches(app, seen):
        for below in LAYERS[app]:
            if below == app or below in seen:
                return True
            if reaches(below, seen | {app}):
                return True
        return False

    assert not [app for app in LAYERS if reaches(app, {app})]


def test_project_code_imported_in_a_function_says_why():
    silent = [
        f"{path.relative_to(ROOT)}:{line}: {text.strip()}"
        for app in LAYERS
        for path in python_files(app)
        for _imported, line, in_function, text in project_imports(path)
        if in_function and "#" not in text
    ]
    assert not silent, "Import at module level, or say on the line why it must wait:\n" + "\n".join(silent)


def test_no_app_holds_more_than_a_third_of_the_code():
    lines = {app: sum(len(path.read_text().splitlines()) for path in python_files(app)) for app in LAYERS}
    total = sum(lines.values())
    too_big = {app: round(count / total, 2) for app, count in lines.items() if count / total > MAX_SHARE}
    assert not too_big, f"apps above {MAX_SHARE:.0%} of {total} lines: {too_big}"
