"""Suggested spans: built-in detectors, user patterns and a learned model, all pure Python.

:func:`annotator.core.suggest.engine.suggest` runs them over one text and returns
:class:`~annotator.core.suggest.types.Suggestion` records (code points, end exclusive).
"""
