"""Every third-party module Annotator imports is declared in pyproject.toml, so that a fresh
install (``pip install .`` into a new venv, as .ci/run does) has it; one that is only pulled in
by another package today can vanish with that package's next release."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "annotator"
# Extras a feature of the app may use (imported lazily, with a message when missing); the dev
# extra is for the tests and does not count.
FEATURE_EXTRAS = ("spacy",)
# Modules that other packages need but do not declare (jusText, used by trafilatura, imports
# lxml.html.clean, which lxml 5.2 moved into lxml_html_clean and only lists as an extra).
NEEDED_BUT_NOT_IMPORTED = ("lxml_html_clean",)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?", requirement)
        assert match, requirement
        names.add(normalise(match[1]))
    return names


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = requirement_names(project["dependencies"])
    for extra in FEATURE_EXTRAS:
        names |= requirement_names(project["optional-dependencies"][extra])
    return names


def third_party_imports() -> dict[str, list[str]]:
    """Top-level module -> the files that import it (absolute imports outside annotator and
    the standard library)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top != "annotator" and top not in sys.stdlib_module_names:
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_imported_third_party_module_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    names = declared()
    imports = third_party_imports()
    assert {"PySide6", "sqlalchemy", "lxml", "trafilatura"} <= set(imports)  # the walk works
    missing = []
    for module in sorted({*imports, *NEEDED_BUT_NOT_IMPORTED}):
        providers = {normalise(d) for d in distributions.get(module, [])}
        assert providers, f"{module} is imported but not installed here"
        if not providers & names:
            where = ", ".join(sorted(set(imports.get(module, ["a dependency's import"]))))
            missing.append(f"{module} (from {' or '.join(sorted(providers))}) used by {where}")
    assert not missing, "not declared in pyproject.toml: " + "; ".join(missing)


def test_html_cleaning_is_importable() -> None:
    """What jusText imports at its top: without lxml_html_clean every HTML import fails."""
    import lxml.html.clean  # noqa: F401
