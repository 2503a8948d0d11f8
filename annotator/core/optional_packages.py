"""How to install a package that only some features need, said so that the command works.

``annotator`` on PyPI is another project, so ``pip install 'annotator[spacy]'`` would install
that; the hint names the Python Annotator runs in and the package's own name instead."""

from __future__ import annotations

import shlex
import sys

SPACY = "spacy>=3.7,<4"  # the same range as pyproject.toml's "spacy" extra


def install_hint(requirement: str) -> str:
    """``/path/to/python -m pip install 'spacy>=3.7,<4'``, or what to do in a bundled build."""
    if getattr(sys, "frozen", False):
        return (
            f"this build of Annotator has no {requirement.split('>')[0].split('<')[0]}: "
            "install Annotator from its source (README, Quick start) to use it"
        )
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(requirement)}"
