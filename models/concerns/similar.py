"""Same issue, many households: find an open concern a new one repeats, and attach households to it.

A road that floods is raised by ten households; ten concerns would be answered ten times, or not
at all. When a concern is being logged, the open concerns of the same village and category are
compared with its description; the volunteer may attach the household to the one found instead.

- **Open** here: not CLOSED. An ANSWERED concern is still offered: its answer serves the new
  household too, and the attached row is at once a pass-on task for the volunteer.
- **Khiếu nại, tố cáo** are never offered nor attached to: each complaint is handled on its own under
  the law, and a denouncer's identity is confidential (Law on Denunciations, art. 47).
- **Cost**: SQL picks at most `CANDIDATES` concerns of the last `RECENT_DAYS` days (village,
  category, status, created_at — the village/created index), Python scores them.
- **Likeness**: rapidfuzz's `token_set_ratio` on diacritic-folded words without the words every
  concern shares ("xin", "hộ", "bà con", "đề nghị", …), at least `SIMILAR_AT`, and at least two
  such words in common, so "đường" alone never makes two concerns the same
  (`tests/concerns/test_similar.py` holds the pairs that set the threshold).
- **Anonymous**: a row with no household is allowed, once per volunteer and concern: anonymous
  households cannot be told apart, so one volunteer's repeated anonymous reports count once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models import audit
from models.enums import Channel, ConcernCategory, ConcernStatus
from models.tables import Concern, ConcernEvent, ConcernHousehold, ConcernPhoto

RECENT_DAYS = 180
CANDIDATES = 50
SIMILAR_AT = 70
MIN_SHARED = 2
NEVER_SHARED = {ConcernCategory.COMPLAINT}
ADDED = "household_added"  # the ConcernEvent action

# Folded syllables of request phrases, people, places and grammar: said in almost every concern.
STOP_WORDS = frozenset("""
    xin de nghi kien y phan anh mong muon giup yeu ho tro gia dinh ba con nguoi dan nhan
    thon xom to xa khu ban toi chung em cac nhieu mot nay do voi ve khi rat qua lai chua hon nen vi
    cung van roi theo tu ra len nhu neu sau truoc hay hoac cu moi va la cua co khong duoc cho o tai
    trong da dang se bi thi ma nhung lam viec nha so
""".split())
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The words that tell one concern from another: folded, stop words left out."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def likeness(a: str, b: str) -> int:
    """0–100; 0 unless two words other than numbers are shared (one, if a text has only one).

    A number alone is a place ("xóm 3"), not a topic: "Đường xóm 3 ngập" and "Đèn đường xóm 3 hỏng"
    share "đường" and "3" and are still two concerns.
    """
    wa, wb = words(a), words(b)
    named_a, named_b = {w for w in wa if not w.isdigit()}, {w for w in wb if not w.isdigit()}
    shared = named_a & named_b
    if not shared or len(shared) < min(MIN_SHARED, len(named_a), len(named_b)):
        return 0
    return round(fuzz.token_set_ratio(" ".join(wa), " ".join(wb), processor=None))


@dataclass(frozen=True)
class Similar:
    concern: Concern
    households: int
    score: int


async def find_similar(session: AsyncSession, *, village_id: int, category: ConcernCategory, description: str,
                       now: dt.datetime) -> Similar | None:
    """The open concern of the village and category most like `description`, if one is like enough."""
    if category in NEVER_SHARED or not words(description):
        return None
    candidates = (await session.scalars(
        select(Concern)
        .where(Concern.village_id == village_id, Concern.category == category,
               Concern.status != ConcernStatus.CLOSED,
               Concern.created_at >= now - dt.timedelta(days=RECENT_DAYS))
        .order_by(Concern.created_at.desc(), Concern.id.desc()).limit(CANDIDATES)
    )).all()
    scored = [(likeness(description, c.description), c) for c in candidates]
    scored = [(score, c) for score, c in scored if score >= SIMILAR_AT]
    if not scored:
        return None
    counts = await household_counts(session, [c.id for _score, c in scored])
    # Best likeness; among equals the one more households raised, then the newest.
    score, best = max(scored, key=lambda sc: (sc[0], counts[sc[1].id], sc[1].created_at, sc[1].id))
    return Similar(best, counts[best.id], score)


async def household_counts(session: AsyncSession, concern_ids: Iterable[int]) -> dict[int, int]:
    """How many households raised each concern (its concern_households rows; 0 for an unknown id)."""
    ids = sorted(set(concern_ids))
    counts = dict.fromkeys(ids, 0)
    if ids:
        rows = await session.execute(
            select(ConcernHousehold.concern_id, func.count()).where(ConcernHousehold.concern_id.in_(ids))
            .group_by(ConcernHousehold.concern_id))
        counts.update({concern_id: count for concern_id, count in rows.all()})
    return counts


async def find_row(session: AsyncSession, concern_id: int, *, household_id: int | None,
                   reporter_id: int) -> ConcernHousehold | None:
    """The household's row on the concern; for no household, the same volunteer's anonymous row."""
    condition = (ConcernHousehold.household_id == household_id if household_id is not None
                 else (ConcernHousehold.household_id.is_(None)) & (ConcernHousehold.reporter_id == reporter_id))
    return await session.scalar(select(ConcernHousehold).where(ConcernHousehold.concern_id == concern_id, condition)
                                .order_by(ConcernHousehold.id).limit(1))


async def attach_household(session: AsyncSession, concern: Concern, *, household_id: int | None, reporter_id: int,
                           now: dt.datetime, note: str | None = None, photos: Sequence[str] = (),
                           channel: Channel | None = None) -> ConcernHousehold:
    """Adds the household to the concern, with an event and an audit entry; the household's own words
    (`note`) go into the history and its photos join the concern's. A household already on it: its
    row, and nothing added."""
    if concern.category in NEVER_SHARED:
        raise ValueError("complaints and denunciations are never shared between households")
    existing = await find_row(session, concern.id, household_id=household_id, reporter_id=reporter_id)
    if existing is not None:
        return existing
    row = ConcernHousehold(concern_id=concern.id, household_id=household_id, reporter_id=reporter_id, added_at=now)
    session.add(row)
    session.add(ConcernEvent(concern_id=concern.id, actor_id=reporter_id, action=ADDED, note=note, at=now))
    if channel is not None:
        session.add_all(ConcernPhoto(concern_id=concern.id, channel=channel, file_ref=ref, created_at=now)
                        for ref in photos)
    await session.flush()
    audit.record(session, "concern.household_added", "concern", concern.id, actor_id=reporter_id,
                 actor_label=f"person:{reporter_id}",
                 details={"reference": concern.reference, "household_id": household_id, "row": row.id})
    return row
