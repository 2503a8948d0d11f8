"""Annotator: a desktop app for annotating articles."""

#: The version of pyproject.toml, stated again here so that ``annotator --version`` (and every
#: start) needs no package-metadata lookup; tests/test_packaging.py checks that the two agree.
__version__ = "0.1.0"
