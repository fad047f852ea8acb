"""What a digest holds: plain frozen values, made by `models/digests/compute.py`, read by the texts and the bench."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from models.enums import ConcernCategory
from models.campaigns.progress import Counts
from models.tables import Campaign


@dataclass(frozen=True)
class Figures:
    """The headline figures of one unit and period; differences of two are month-on-month changes."""

    visits: int = 0
    households: int = 0
    reached: int = 0
    stale: int = 0
    opened: int = 0
    answered: int = 0
    overdue: int = 0
    meetings: int = 0
    members: int = 0
    idle: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __sub__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))

    @staticmethod
    def total(items: Iterable[Figures]) -> Figures:
        result = Figures()
        for item in items:
            result = result + item
        return result


@dataclass(frozen=True)
class NhomLine:
    nhom_id: int
    name: str
    members: int
    visits: int
    concerns: int
    households: int
    reached: int
    stale: int


@dataclass(frozen=True)
class MemberLine:
    person_id: int
    name: str
    nhom: str | None
    visits: int
    concerns: int
    households: int
    reached: int
    idle: bool


@dataclass(frozen=True)
class CategoryLine:
    category: ConcernCategory
    opened: int
    answered: int
    overdue: int


@dataclass(frozen=True)
class Measures:
    """How the concerns first answered in the period were answered (definitions in `models/digests/compute.py`)."""

    answered: int = 0
    on_time: int = 0  # answered by their due date
    median_days: float | None = None  # from recorded to answered; None when nothing was answered
    households: int = 0  # households that raised them
    told: int = 0  # of those, told the answer by the period's end


@dataclass(frozen=True)
class RaisedConcern:
    """An open concern several households raised: the digest ranks them by that count."""

    village_id: int
    concern_id: int
    reference: str
    category: ConcernCategory
    description: str
    household_name: str | None  # the reporting household's, to be hidden from the snippet, never shown
    households: int


@dataclass(frozen=True)
class StaleHousehold:
    household_id: int
    name: str
    last_visit: dt.date | None


@dataclass(frozen=True)
class MeetingFigures:
    held: int = 0
    last_held: dt.datetime | None = None
    unrecorded: int = 0
    present: int = 0
    recorded: int = 0


@dataclass(frozen=True)
class VillageDigest:
    village_id: int
    name: str
    start: dt.date
    end: dt.date
    visits: int
    households: int
    reached: int
    stale: int
    nhom: tuple[NhomLine, ...]
    members: tuple[MemberLine, ...]
    categories: tuple[CategoryLine, ...]
    oldest: tuple[StaleHousehold, ...]
    meeting: MeetingFigures
    measures: Measures = Measures()
    category_measures: tuple[tuple[ConcernCategory, Measures], ...] = ()
    raised: tuple[RaisedConcern, ...] = ()  # most households first
    # Campaigns running in the period, counted in the village (`models.campaigns.progress.in_villages`),
    # and the "Dân vận khéo" models approved for it so far.
    campaigns: tuple[tuple[Campaign, Counts], ...] = ()
    models_approved: int = 0

    @property
    def idle(self) -> tuple[MemberLine, ...]:
        return tuple(m for m in self.members if m.idle)

    @property
    def figures(self) -> Figures:
        return Figures(
            visits=self.visits, households=self.households, reached=self.reached, stale=self.stale,
            opened=sum(c.opened for c in self.categories), answered=sum(c.answered for c in self.categories),
            overdue=sum(c.overdue for c in self.categories), meetings=self.meeting.held,
            members=len(self.members), idle=len(self.idle))


@dataclass(frozen=True)
class CommuneDigest:
    commune_id: int
    name: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    villages: tuple[VillageDigest, ...]
    previous: dict[int, VillageDigest]
    measures: Measures = Measures()
    category_measures: tuple[tuple[ConcernCategory, Measures], ...] = ()
    raised: tuple[RaisedConcern, ...] = ()  # the commune's, most households first
    campaigns: tuple[tuple[Campaign, Counts], ...] = ()  # (Campaign, Counts) over the commune

    @property
    def total(self) -> Figures:
        return Figures.total(v.figures for v in self.villages)

    @property
    def previous_total(self) -> Figures:
        return Figures.total(v.figures for v in self.previous.values())

    def change(self, village_id: int) -> Figures:
        """This period's figures minus the previous period's, for one village."""
        current = next(v.figures for v in self.villages if v.village_id == village_id)
        before = self.previous.get(village_id)
        return current - (before.figures if before else Figures())

    def categories(self) -> tuple[CategoryLine, ...]:
        """The commune's concerns by category: the villages' lines added up."""
        sums: dict[ConcernCategory, list[int]] = {}
        for village in self.villages:
            for line in village.categories:
                row = sums.setdefault(line.category, [0, 0, 0])
                row[0], row[1], row[2] = row[0] + line.opened, row[1] + line.answered, row[2] + line.overdue
        return tuple(CategoryLine(c, *sums[c]) for c in ConcernCategory if c in sums)
