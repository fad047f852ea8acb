"""The digest's measures of answering, from one row per concern answered in the period.

A median cannot be added up from the villages' medians, so the rows themselves (one statement,
as many rows as concerns answered in the month) are kept and measured for any grouping: a
village, a category, a village's category, the commune.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import NamedTuple

from models.digests.figures import Measures
from models.enums import ConcernCategory

DAY = 86400.0


class Answered(NamedTuple):
    village_id: int
    category: ConcernCategory
    created_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime  # the first answer (models/digests/compute.py)
    households: int
    told: int


def measure(rows: Iterable[Answered]) -> Measures:
    rows = list(rows)
    if not rows:
        return Measures()
    days = [(r.answered_at - r.created_at).total_seconds() / DAY for r in rows]
    return Measures(answered=len(rows), on_time=sum(1 for r in rows if r.answered_at <= r.due_at),
                    median_days=statistics.median(days), households=sum(r.households for r in rows),
                    told=sum(r.told for r in rows))


def grouped(rows: Iterable[Answered], key: Callable[[Answered], Hashable]) -> dict[Hashable, Measures]:
    groups: dict[Hashable, list[Answered]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {k: measure(v) for k, v in groups.items()}


def by_category(rows: Iterable[Answered]) -> tuple[tuple[ConcernCategory, Measures], ...]:
    """Each category that had an answer, in the categories' order."""
    found = grouped(rows, lambda r: r.category)
    return tuple((c, found[c]) for c in ConcernCategory if c in found)
