"""The diversity signal's two measures equal their definitions with Python's `re`, for any text.

`distinct_2` and `vocabulary_overlap` cut ASCII text with byte operations for speed (issue 17);
these properties hold them to the regex definitions in their docstrings, written out here.
"""

from __future__ import annotations

import itertools
import random
import re

from hypothesis import given
from hypothesis import strategies as st

from estimators.dataset.diversity import (
    _STOPWORD_TEXT,
    DISTINCT_WINDOW_BIGRAMS,
    OVERLAP_PAIRS,
    distinct_2,
    vocabulary_overlap,
)

# Mostly the characters where ASCII and Unicode rules meet: letters, digits, underscore,
# punctuation, ASCII and Unicode spaces, accented and combining letters, other scripts' digits.
_EDGES = "aZ_09 .,'\t\n\x0b\x1c\x85\xa0é\u0301ßİΣς٣Ⅻ—’東😀"
texts = st.text(alphabet=st.sampled_from(_EDGES) | st.characters(exclude_categories=("Cs",)))
STOPWORDS = set(_STOPWORD_TEXT.split())


def reference_distinct_2(replies: list[str]) -> tuple[float | None, int]:
    bigrams = [
        pair
        for reply in replies
        for pair in itertools.pairwise(re.findall(r"\w+", reply.casefold()))
    ]
    if not bigrams:
        return None, 0
    size = DISTINCT_WINDOW_BIGRAMS
    windows = [bigrams[i : i + size] for i in range(0, len(bigrams), size)]
    if len(windows) > 1 and len(windows[-1]) < size:
        windows.pop()
    ratios = [len(set(window)) / len(window) for window in windows]
    return sum(ratios) / len(ratios), len(bigrams)


@given(st.lists(texts, max_size=20))
def test_distinct_2_pairs_the_words_of_the_regex_w_plus(replies: list[str]) -> None:
    assert distinct_2(replies) == reference_distinct_2(replies)


def test_distinct_2_windows_a_long_text_like_the_regex() -> None:
    rng = random.Random(0)
    replies = [
        " ".join(rng.choices(["a", "b", "c", "déjà", "vu_2", "x.y"], k=900)) for _ in range(9)
    ]
    assert distinct_2(replies) == reference_distinct_2(replies)


@given(st.lists(texts, max_size=12), st.integers(0, 2**32))
def test_vocabulary_overlap_is_the_jaccard_of_regex_content_words(
    pieces: list[str], seed: int
) -> None:
    # Words from a small pool so that sets overlap; the stopwords must be left out.
    pool = ["Kettle", "kettle", "toaster", "naïve", "THAT", "this", "café", "Straße", "ab_cdef"]
    rng = random.Random(seed)
    docs = [" ".join(rng.choices(pool, k=rng.randint(0, 8))) + piece for piece in pieces]

    def words(text: str) -> frozenset[str]:
        found = re.findall(r"[^\W\d_]{4,}", text.casefold())
        return frozenset(w for w in found if w not in STOPWORDS)

    sets = [s for s in map(words, docs) if s]
    expected = None
    if len(sets) >= 2:
        pairs = [(a, b) for a in range(len(sets)) for b in range(a + 1, len(sets))]
        assert len(pairs) <= OVERLAP_PAIRS  # every pair is used: no sampling to mirror
        expected = sum(len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for a, b in pairs) / len(
            pairs
        )
    assert vocabulary_overlap(docs, random.Random(seed)) == expected
