"""Annotator: a desktop app for annotating articles."""

#: The one place the version is stated: pyproject.toml reads it from here (setuptools'
#: ``dynamic`` version), so ``annotator --version`` needs no package metadata lookup.
__version__ = "0.1.0"
