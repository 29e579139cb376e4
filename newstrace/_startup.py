"""Keep PyTorch out of spaCy's import.

thinc (spaCy's machine-learning layer) imports torch at import time whenever it is installed, to
offer GPU and PyTorch layers. Our spaCy model never uses them, but the import alone costs seconds of
every cold start (``newstrace analyze`` on one article). torch is installed for the sentence encoder
of ``newstrace link`` only, so this finder makes *thinc's* probe for torch fail, while any other
``import torch`` (the encoder's) proceeds as usual.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class _TorchlessThinc(importlib.abc.MetaPathFinder):
    """Refuses ``import torch`` when the import comes from ``thinc.compat``; declines everything else."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "torch":
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_globals.get("__name__") == "thinc.compat":
                raise ModuleNotFoundError("newstrace: spaCy's pipeline does not use torch", name="torch")
            frame = frame.f_back
        return None


def install() -> None:
    """Install the finder once, unless thinc was imported already."""
    if "thinc.compat" in sys.modules or any(isinstance(f, _TorchlessThinc) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _TorchlessThinc())
