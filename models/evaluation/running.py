"""The score so far, visible all year: a team's with last year's beside it, and the two or three
actions that would raise it most, in words a team leader can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _
from models.digests.queries import local_midnight
from models.evaluation import queries
from models.evaluation.compute import evaluate_commune, evaluate_many
from models.evaluation.measures import Counts
from models.evaluation.queries import Scope
from models.evaluation.scoring import Evaluation, Scorecard
from models.tables import OrgUnit

ACTIONS = 3
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Running:
    evaluation: Evaluation
    last_year: Evaluation
    counts: Counts
    due_soon: dict[int, int]  # village → concerns due within DUE_SOON_DAYS

    def last(self, team_id: int) -> Scorecard | None:
        return self.last_year.card(team_id)


async def running(session: AsyncSession, commune: OrgUnit, tz: ZoneInfo, now: dt.datetime) -> Running:
    """This year's evaluation so far, last year's (confirmed or recomputed), and what backs the actions."""
    year = now.astimezone(tz).year
    found: dict[int, Counts] = {}
    evaluation = (await evaluate_many(session, [commune], year, tz, now, found))[0]
    last_year = await evaluate_commune(session, commune, year - 1, tz, now)
    counts = found.get(commune.id, Counts((), {}, {}))  # a confirmed year has no actions left
    soon = dict((await queries.due_soon(session, Scope(commune.path, (commune.id,)), now, DUE_SOON_DAYS)))
    return Running(evaluation, last_year, counts, {k: int(v) for k, v in soon.items()})


def actions(card: Scorecard, state: Running) -> list[str]:
    """The criteria losing most points, each as something to do (measures only: hand scores are the
    commune's), at most ACTIONS; concerns about to fall due first, while their points can be kept."""
    team = next((t for t in state.counts.teams if t.team_id == card.team_id), None)
    if team is None:
        return []
    counts = state.counts.counts.get(card.team_id, {})
    found: list[tuple[float, str]] = []
    soon = state.due_soon.get(team.village_id, 0)
    urgent = [_("{count} ý kiến sắp quá hạn").format(count=soon)] if soon and any(
        line.measure == "concerns_on_time" for line in card.lines) else []
    for line in card.lines:
        if line.by_hand or line.lost <= 0:
            continue
        text = _action(line.measure, counts, state.counts.unvisited.get(card.team_id, []),
                       state.due_soon.get(team.village_id, 0))
        if text:
            found.append((line.lost, text))
    found.sort(key=lambda item: -item[0])
    ranked = urgent + [text for _lost, text in found if text not in urgent]
    return ranked[:ACTIONS]


def _action(measure: str, counts: dict[str, tuple[int, int]], unvisited: list[tuple[str, int]],
            due_soon: int) -> str | None:
    part, whole = counts.get(measure, (0, 0))
    if measure == "households_visited" and unvisited:
        name, count = unvisited[0]
        return _("{nhom}: {count} hộ chưa được thăm năm nay").format(nhom=name, count=count)
    if measure == "households_stale" and part:
        return _("{count} hộ đã quá 60 ngày chưa được thăm").format(count=part)
    if measure == "meetings_held" and whole > part:
        return _("{count} tháng chưa ghi cuộc họp giao ban đã họp").format(count=whole - part)
    if measure == "attendance" and whole > part:
        return _("Nhắc thành viên dự họp: {count} lượt vắng").format(count=whole - part)
    if measure in ("monthly_reports", "yearly_reports") and whole > part:
        return _("{count} báo cáo chưa nộp hoặc nộp muộn").format(count=whole - part)
    if measure == "concerns_on_time":
        if due_soon:
            return _("{count} ý kiến sắp quá hạn").format(count=due_soon)
        if whole > part:
            return _("{count} ý kiến trả lời quá hạn").format(count=whole - part)
    if measure == "households_told" and whole > part:
        return _("{count} hộ chưa được báo kết quả trả lời").format(count=whole - part)
    if measure == "announcements_acknowledged" and whole > part:
        return _("{count} lượt thông báo chưa bấm “Đã nhận”").format(count=whole - part)
    if measure == "active_members" and whole > part:
        return _("{count} thành viên chưa có lượt thăm hộ mỗi quý").format(count=whole - part)
    return None


async def digest_scores(session: AsyncSession, commune: OrgUnit, end: dt.date, tz: ZoneInfo,
                        now: dt.datetime | None = None) -> tuple[Evaluation, dict[int, Scorecard]]:
    """The year's score as it stood at a digest's end (the day after its period; `now` for a month
    still running), by village."""
    at = local_midnight(end, tz) if now is None else min(now, local_midnight(end, tz))
    evaluation = await evaluate_commune(session, commune, (end - dt.timedelta(days=1)).year, tz, at)
    return evaluation, {card.village_id: card for card in evaluation.cards}
