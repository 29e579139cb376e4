"""newstrace: who did what to whom, who says so, and who is held responsible — with a source for every item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newstrace import _startup

__version__ = "0.1.0"
_startup.install()

if TYPE_CHECKING:
    from newstrace.model import Analysis

_PIPELINE = None


def analyze(text: str, published: str | None = None) -> Analysis:
    """Analyse one article text (the model is loaded on the first call and kept)."""
    global _PIPELINE
    if _PIPELINE is None:
        from newstrace.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE.analyze(text, published=published)
