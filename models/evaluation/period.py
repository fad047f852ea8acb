"""The evaluation period: from 1 January to the rubric's last day (the annual report's deadline by
default), judged up to `as_of` while the year runs, with its months and quarters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from models.digests.queries import STALE_DAYS, local_midnight

Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Period:
    """[start, end) as local dates and UTC moments; `as_of` = min(end_at, now)."""

    year: int
    start: dt.date
    end: dt.date
    start_at: dt.datetime
    end_at: dt.datetime
    as_of: dt.datetime
    tz: ZoneInfo

    @classmethod
    def of(cls, year: int, last_day: dt.date, tz: ZoneInfo, now: dt.datetime | None = None) -> Period:
        start, end = dt.date(year, 1, 1), last_day + dt.timedelta(days=1)
        start_at, end_at = local_midnight(start, tz), local_midnight(end, tz)
        as_of = min(end_at, now) if now is not None else end_at
        return cls(year, start, end, start_at, end_at, max(as_of, start_at), tz)

    @property
    def closed(self) -> bool:
        """The whole period lies behind `as_of`: the year can be confirmed."""
        return self.as_of >= self.end_at

    @property
    def until(self) -> dt.date:
        """The first local day not yet counted (visits carry local days)."""
        if self.closed:
            return self.end
        return min(self.end, self.as_of.astimezone(self.tz).date() + dt.timedelta(days=1))

    @property
    def stale_before(self) -> dt.date:
        """A household with no visit from this day on had none in the last 60 days counted."""
        return self.until - dt.timedelta(days=STALE_DAYS)

    def _spans(self, months: int) -> list[Span]:
        """The period cut in spans of `months` calendar months (the last one ends with the period)."""
        spans, cursor = [], self.start
        while cursor < self.end:
            month = cursor.month - 1 + months
            following = dt.date(cursor.year + month // 12, month % 12 + 1, 1)
            stop = min(following, self.end)
            spans.append((local_midnight(cursor, self.tz), local_midnight(stop, self.tz)))
            cursor = following
        return spans

    def due(self, months: int) -> list[Span]:
        """The spans that have ended by `as_of`; while none has, the one in progress."""
        spans = self._spans(months)
        ended = [s for s in spans if s[1] <= self.as_of]
        return ended or spans[:1]

    @property
    def months(self) -> list[Span]:
        return self.due(1)

    @property
    def quarters(self) -> list[Span]:
        return self.due(3)
