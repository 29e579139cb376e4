"""Shared fixtures: one real pipeline per test session, and the shared data beside the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.pipeline import Pipeline

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_c5d289f412430959.txt"
SEED_EXPECTED = SHARED / "seed" / "000_c5d289f412430959.expected.json"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


def require_shared(path: Path) -> Path:
    """Skip the calling test, with a message, where ../shared (or this file) is absent."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (tests that need ../shared skip without it)")
    return path


@pytest.fixture(scope="session")
def seed_analysis(pipeline: Pipeline):
    text = require_shared(SEED_TEXT).read_text(encoding="utf-8")
    return pipeline.analyze(text)


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads(require_shared(SEED_EXPECTED).read_text(encoding="utf-8"))
