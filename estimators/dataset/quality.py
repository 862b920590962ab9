"""Quality checks beyond the cookbook, on the per-example numbers a scan keeps.

Duplicates (exact, and near: equal up to case, punctuation and spacing), assistant replies that
repeat across examples, and length outliers; each works on arrays of hashes, token counts and
line numbers, never on the examples themselves.
"""

from __future__ import annotations

import math

import numpy as np

from estimators.dataset.models import LINES_SHOWN, DuplicatePair, LengthOutliers, RepeatedReply


def duplicates(keys: np.ndarray, lines: np.ndarray) -> tuple[int, list[DuplicatePair]]:
    """Examples whose key equals an earlier example's, and the first few (line, earlier line)."""
    if keys.size < 2:
        return 0, []
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.empty(keys.size, dtype=bool)
    starts[0] = True
    starts[1:] = ordered[1:] != ordered[:-1]
    first_of_group = order[np.maximum.accumulate(np.where(starts, np.arange(keys.size), 0))]
    repeated = ~starts
    later = lines[order[repeated]].tolist()
    earlier = lines[first_of_group[repeated]].tolist()
    pairs = sorted(zip(later, earlier, strict=True))
    shown = [DuplicatePair(line=a, duplicate_of_line=b) for a, b in pairs[:LINES_SHOWN]]
    return int(repeated.sum()), shown


def repeated_replies(keys: np.ndarray, lines: np.ndarray) -> tuple[list[RepeatedReply], int]:
    """Replies shared by at least max(3, 1% of examples) examples: the top 10 and their total.

    A classifier's labels repeat by design; for generative tasks a repeated reply teaches the
    model one canned answer.
    """
    if keys.size == 0:
        return [], 0
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    threshold = max(3, math.ceil(0.01 * keys.size))
    frequent = np.flatnonzero(counts >= threshold)
    ranked = sorted(frequent.tolist(), key=lambda i: (-int(counts[i]), int(first[i])))
    replies = [
        RepeatedReply(first_line=int(lines[first[i]]), examples=int(counts[i])) for i in ranked[:10]
    ]
    return replies, int(counts[frequent].sum())


def length_outliers(tokens: np.ndarray, lines: np.ndarray) -> LengthOutliers:
    """Tukey's far-out fences: below Q1 − 3·IQR or above Q3 + 3·IQR tokens.

    Far-out (3·IQR, not 1.5·IQR) because token lengths are right-skewed and only extreme examples
    deserve a look. The IQR is floored at 10% of the median so that data of near-constant length
    does not flag every small difference; with fewer than 20 examples quartiles mean little and
    nothing is flagged.
    """
    rule = "below Q1 − 3·IQR or above Q3 + 3·IQR (IQR at least 10% of the median); n ≥ 20"
    if tokens.size < 20:
        return LengthOutliers(
            rule=rule, low_fence_tokens=None, high_fence_tokens=None, long=0, short=0, lines=[]
        )
    q1, median, q3 = np.percentile(tokens, [25, 50, 75])
    spread = max(q3 - q1, 0.1 * median)
    low, high = q1 - 3 * spread, q3 + 3 * spread
    is_long, is_short = tokens > high, tokens < low
    flagged = lines[is_long | is_short][:LINES_SHOWN].tolist()
    return LengthOutliers(
        rule=rule,
        low_fence_tokens=float(low),
        high_fence_tokens=float(high),
        long=int(is_long.sum()),
        short=int(is_short.sum()),
        lines=flagged,
    )
