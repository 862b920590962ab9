"""How narrow a dataset is: the diversity signal behind `domain_breadth` (the forgetting risk).

Two measures on a bounded random sample of (user text, assistant reply) pairs: distinct-2 of the
replies (templating) and vocabulary overlap between examples (topic spread). `diversity_signal`
maps them to narrow / mixed / broad and documents how its thresholds were calibrated.
"""

from __future__ import annotations

import itertools
import random
import re
import string
from typing import Literal

from estimators.dataset.models import Diversity

_WORDS = re.compile(r"\w+")
_CONTENT_WORDS = re.compile(r"[^\W\d_]{4,}")
# Frequent English words of 4+ letters that say nothing about the topic.
_STOPWORD_TEXT = (
    "that this with from have will your they them their there which would about into when "
    "what been were also than then only some such more most other these those each must "
    "should could does done here just like make made many much over same very well where "
    "while whom whose upon shall being after before because please thank thanks sure help"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.encode().split())
NARROW_OVERLAP = 0.06
BROAD_OVERLAP = 0.035
TEMPLATED_DISTINCT_2 = 0.5
DISTINCT_WINDOW_BIGRAMS = 2_000
OVERLAP_PAIRS = 2_000
MIN_CONFIDENT_SAMPLE = 30
MIN_JUDGED_SAMPLE = 10


def _split_table(kept: str) -> bytes:
    """A `bytes.translate` table that turns every ASCII byte not in `kept` into a space."""
    return bytes(b if b >= 0x80 or chr(b) in kept else 0x20 for b in range(256))


# The ASCII characters `_WORDS` and `_CONTENT_WORDS` match; bytes of other characters are kept.
_WORD_TABLE = _split_table(string.ascii_letters + string.digits + "_")
_LETTER_TABLE = _split_table(string.ascii_letters)


def _words(text: str, table: bytes, pattern: re.Pattern[str]) -> list[bytes]:
    """The matches of `pattern` in `text`, in order, as UTF-8 bytes; ~2.5× faster than `findall`.

    No match crosses an ASCII character the pattern does not match, so the text is cut there with
    C byte operations (`translate`, `split`); an all-ASCII piece is one whole match, and only the
    pieces holding other characters go through the regex. Words are compared by equality only,
    and UTF-8 is one-to-one, so counts of distinct words and pairs are those of `findall`.
    """
    pieces = text.encode().translate(table).split()
    if text.isascii():
        return pieces
    words: list[bytes] = []
    for piece in pieces:
        if piece.isascii():
            words.append(piece)
        else:
            words.extend(word.encode() for word in pattern.findall(piece.decode()))
    return words


def distinct_2(replies: list[str]) -> tuple[float | None, int]:
    """Distinct-2 (Li et al. 2016): distinct word bigrams / all bigrams, over the replies.

    Averaged over windows of 2,000 bigrams, because the raw ratio falls as text grows; returns the
    ratio (None without any bigram) and the number of bigrams seen.
    """
    bigrams: list[tuple[bytes, bytes]] = []
    for reply in replies:
        words = _words(reply.casefold(), _WORD_TABLE, _WORDS)
        bigrams.extend(itertools.pairwise(words))
    if not bigrams:
        return None, 0
    windows = [
        bigrams[i : i + DISTINCT_WINDOW_BIGRAMS]
        for i in range(0, len(bigrams), DISTINCT_WINDOW_BIGRAMS)
    ]
    if len(windows) > 1 and len(windows[-1]) < DISTINCT_WINDOW_BIGRAMS:
        windows.pop()  # a short last window would inflate the mean
    ratios = [len(set(window)) / len(window) for window in windows]
    return sum(ratios) / len(ratios), len(bigrams)


def vocabulary_overlap(texts: list[str], rng: random.Random) -> float | None:
    """Mean Jaccard similarity of the content-word sets of random pairs of examples.

    Size-independent (an expected value per pair, not a ratio over the whole corpus); content
    words are 4+ letters, case-folded, without a short stopword list.
    """
    sets = [_content_words(text.casefold()) for text in texts]
    sets = [s for s in sets if s]
    if len(sets) < 2:
        return None
    if len(sets) * (len(sets) - 1) // 2 <= OVERLAP_PAIRS:
        pairs = [(a, b) for a in range(len(sets)) for b in range(a + 1, len(sets))]
    else:
        pairs = [tuple(rng.sample(range(len(sets)), 2)) for _ in range(OVERLAP_PAIRS)]
    similarity = []
    for a, b in pairs:
        shared = len(sets[a] & sets[b])  # |a ∪ b| = |a| + |b| - |a ∩ b|, without building it
        similarity.append(shared / (len(sets[a]) + len(sets[b]) - shared))
    return sum(similarity) / len(similarity)


def _content_words(text: str) -> frozenset[bytes]:
    """The distinct content words of a case-folded text: `_CONTENT_WORDS` less the stopwords.

    Cut as in `_words`, but into a set, since order does not matter here; the pattern's 4+
    letters are checked on the ASCII pieces (a regex match is never shorter).
    """
    words = set(text.encode().translate(_LETTER_TABLE).split())
    if not text.isascii():
        others = [piece for piece in words if not piece.isascii()]
        words.difference_update(others)
        for piece in others:
            words.update(word.encode() for word in _CONTENT_WORDS.findall(piece.decode()))
    return frozenset(word for word in words if len(word) > 3).difference(_STOPWORDS)


def diversity_signal(sample: list[tuple[str, str]], rng: random.Random) -> Diversity:
    """Map a sample of (user text, assistant reply) pairs to narrow / mixed / broad.

    Two signals: vocabulary overlap between examples (topic spread) and distinct-2 of the replies
    (templating). The rule:
    - narrow: replies are templated (distinct-2 < 0.5: half of all word pairs repeat within 2,000
      bigrams) or examples share much vocabulary (overlap ≥ 0.06);
    - broad: overlap < 0.035 and replies not templated;
    - mixed: otherwise, and always with fewer than 10 examples (too few to judge).

    Calibration on real text of known spread, measured with these functions (reply = the first
    1,000 characters of a docstring): docstrings from 200 Python standard-library modules (many
    unrelated topics): overlap 0.024, distinct-2 0.81. One focused module (argparse 0.133,
    pathlib 0.084, email.message 0.077, unittest.case 0.065; distinct-2 0.67–0.71). Broader
    modules or a mix of three (tkinter 0.042, typing 0.050, asyncio.base_events 0.054, argparse +
    pathlib + decimal 0.054). Templated replies ("Your order N has shipped ..."): overlap 0.87,
    distinct-2 0.10. So 0.06 separates one focused domain from broader material, and 0.035 lies
    midway between many-topic text (0.024) and the broadest single library (0.042). Natural prose
    measured 0.67–0.81 distinct-2; only stock phrases fall below 0.5. Narrow data raises the
    forgetting risk (DESIGN §6); the signal is a heuristic, shown with its numbers so the user
    can overrule it.
    """
    replies = [reply for _, reply in sample]
    ratio, bigram_count = distinct_2(replies)
    overlap = vocabulary_overlap([user + "\n" + reply for user, reply in sample], rng)
    small = len(sample) < MIN_CONFIDENT_SAMPLE or bigram_count < DISTINCT_WINDOW_BIGRAMS
    confidence: Literal["low", "ok"] = "low" if small else "ok"
    breadth: Literal["narrow", "mixed", "broad"] = "mixed"
    if len(sample) < MIN_JUDGED_SAMPLE:
        reason = f"too few examples to judge ({len(sample)} < {MIN_JUDGED_SAMPLE}); assuming mixed"
        confidence = "low"
    elif ratio is not None and ratio < TEMPLATED_DISTINCT_2:
        breadth, reason = "narrow", f"replies are templated (distinct-2 {ratio:.2f} < 0.5)"
    elif overlap is None:
        reason = "too little text to judge; assuming mixed"
        confidence = "low"
    elif overlap >= NARROW_OVERLAP:
        reason = f"examples share much vocabulary (overlap {overlap:.3f} ≥ {NARROW_OVERLAP})"
        breadth = "narrow"
    elif overlap < BROAD_OVERLAP:
        breadth, reason = (
            "broad",
            f"examples share little vocabulary (overlap {overlap:.3f} < {BROAD_OVERLAP})",
        )
    else:
        reason = f"vocabulary overlap {overlap:.3f} is between {BROAD_OVERLAP} and {NARROW_OVERLAP}"
    return Diversity(
        domain_breadth=breadth,
        distinct_2=None if ratio is None else round(ratio, 4),
        vocabulary_overlap=None if overlap is None else round(overlap, 4),
        sample_examples=len(sample),
        confidence=confidence,
        reason=reason,
    )
