"""Our cross-document event coreference on gold mentions (ECB+, NewsWCL50), built from the parts
``newstrace link`` uses: the trigger classes of ``data/event_lemmas.tsv``, the MiniLM sentence
encoder and the average-linkage clustering that refuses to chain.

Gold mentions come without our typed records (no PLOVER type, actors or dates), so documents are
first grouped into sub-topics by TF-IDF similarity (what blocking by date and actors does in the
store), then mentions of one group are linked when their triggers fall in one class; verbs of saying
link across documents only when their sentences are near-identical (every outlet quotes its own
speakers). ``within_topic`` restricts document grouping to gold topics; otherwise the whole corpus is
clustered at once, as a user's store would be.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from newstrace.clustering import average_link
from newstrace.evaluation.readers import CorefDoc
from newstrace.link import is_reporting, trigger_class

DOC_THRESHOLD = 0.12
MENTION_THRESHOLD = 0.5
REPORTING_SIMILARITY = 0.7
# function words that make unrelated documents look alike
_STOP_WORDS = ("the a an of to in and or for on at by with from as is was were be been are that this it its he she they "
               "his her their said says say has have had not but will would who which what when where")
_STOP = frozenset(_STOP_WORDS.split(" "))


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9][a-z0-9'-]+", text.lower()) if w not in _STOP and len(w) > 2]


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit-length TF-IDF rows (sublinear term frequency) over content words."""
    counts = [Counter(_content_words(t)) for t in texts]
    df = Counter(w for c in counts for w in c)
    vocab = {w: i for i, w in enumerate(df)}
    matrix = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    n = len(texts)
    for row, c in enumerate(counts):
        for word, count in c.items():
            matrix[row, vocab[word]] = (1 + math.log(count)) * math.log(n / df[word])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


def document_groups(docs: Sequence[CorefDoc], within_topic: bool, threshold: float = DOC_THRESHOLD) -> list[int]:
    """A sub-topic label per document: average-linkage clusters of TF-IDF similarity."""
    vectors = tfidf_vectors([d.text for d in docs])
    similarity = vectors @ vectors.T
    pairs = [(i, j, float(similarity[i, j])) for i in range(len(docs)) for j in range(i + 1, len(docs))
             if not within_topic or docs[i].topic == docs[j].topic]
    return average_link(len(docs), pairs, threshold)


def mention_sentences(doc: CorefDoc) -> dict[str, str]:
    """The sentence text of each gold mention of a document."""
    spans: dict[int, tuple[int, int]] = {}
    for (start, end), sentence in zip(doc.word_offsets, doc.word_sentence, strict=True):
        first, last = spans.get(sentence, (start, end))
        spans[sentence] = (min(first, start), max(last, end))
    out = {}
    for m in doc.mentions:
        start, end = spans[doc.word_sentence[m.tokens[0]]] if m.tokens else (m.start, m.end)
        out[m.mention_id] = doc.text[start:end]
    return out


def cluster_event_mentions(docs: Sequence[CorefDoc], lemmas: dict[str, str], within_topic: bool = False,
                           vectors: dict[str, np.ndarray] | None = None) -> list[list[str]]:
    """Clusters of gold mention ids. ``lemmas`` gives each mention's head lemma; ``vectors`` its sentence
    embedding (computed here when not given)."""
    if vectors is None:
        vectors = sentence_vectors(docs)
    groups = document_groups(docs, within_topic)
    mentions = [(g, d_index, m) for d_index, (doc, g) in enumerate(zip(docs, groups, strict=True)) for m in doc.mentions]
    by_group: dict[int, list[int]] = {}
    for k, (g, _, _) in enumerate(mentions):
        by_group.setdefault(g, []).append(k)
    classes = [trigger_class(lemmas.get(m.mention_id, m.text)) for _, _, m in mentions]
    pairs = []
    for members in by_group.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if classes[a] != classes[b]:
                    continue
                if is_reporting(classes[a]) and mentions[a][1] != mentions[b][1]:
                    va, vb = vectors[mentions[a][2].mention_id], vectors[mentions[b][2].mention_id]
                    if float(va @ vb) < REPORTING_SIMILARITY:
                        continue
                pairs.append((a, b, 1.0))
    labels = average_link(len(mentions), pairs, MENTION_THRESHOLD)
    clusters: dict[int, list[str]] = {}
    for k, label in enumerate(labels):
        clusters.setdefault(label, []).append(mentions[k][2].mention_id)
    return list(clusters.values())


def sentence_vectors(docs: Sequence[CorefDoc]) -> dict[str, np.ndarray]:
    """The MiniLM embedding of each mention's sentence (each distinct sentence is encoded once)."""
    from newstrace.embed import encode

    sentences = {mid: s for doc in docs for mid, s in mention_sentences(doc).items()}
    distinct = sorted(set(sentences.values()))
    encoded = dict(zip(distinct, encode(distinct), strict=True))
    return {mid: encoded[s] for mid, s in sentences.items()}
