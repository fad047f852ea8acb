"""Criteria scored by hand, in a spreadsheet: the "Chấm tay" sheet `gandan evaluation --out` writes
(a row per team and criterion, with what was given so far), filled in and read back all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import LOCALES, _, __, use_locale
from core.text import fold
from models.enums import UnitKind
from models.evaluation import frozen, hand
from models.evaluation.hand import BadScore
from models.evaluation.rubric import BadRubric, RowError, rubric_for, rubrics_for
from models.evaluation.rubric_sheets import Sheet
from models.evaluation.scoring import Evaluation
from models.tables import OrgUnit
from models.units import tree
from reports.tables import Table

SHEET = __("Chấm tay")


def columns() -> tuple[str, ...]:
    return (_("Mã tổ"), _("Tổ Dân vận"), _("Xã, phường"), _("Mã tiêu chí"), _("Tiêu chí"), _("Điểm từ"), _("Điểm đến"),
            _("Điểm"), _("Ghi chú"))


async def sheet(session: AsyncSession, evaluations: Sequence[Evaluation], year: int) -> Table | None:
    """The sheet to fill, for the communes not yet confirmed; None when none has a criterion scored by hand."""
    open_ = [e for e in evaluations if e.confirmed_at is None]
    communes = [await session.get(OrgUnit, e.unit_id) for e in open_]
    rubrics = await rubrics_for(session, [c for c in communes if c is not None])
    given = await hand.scores(session, [card.team_id for e in open_ for card in e.cards], year)
    rows = []
    for evaluation in open_:
        for card in sorted(evaluation.cards, key=lambda c: c.team.casefold()):
            for criterion in rubrics[evaluation.unit_id].hand_criteria:
                points, note = given.get(card.team_id, {}).get(criterion.code, (None, None))
                rows.append((card.team_id, card.team, evaluation.name, criterion.code, criterion.label,
                             criterion.min_points, criterion.max_points, points, note))
    return Table(str(SHEET), columns(), tuple(rows)) if rows else None


def _is_header(cells: tuple) -> bool:
    first = fold(str(cells[0] or "")) if cells else ""
    for locale in LOCALES:
        with use_locale(locale):
            if first == fold(columns()[0]):
                return True
    return False


def _rows(sheets: Sequence[Sheet]) -> list[tuple[int, tuple]]:
    for rows in sheets:
        start = next((i for i, (_n, cells) in enumerate(rows) if _is_header(cells)), None)
        if start is not None:
            return [(n, c) for n, c in rows[start + 1:] if any(v is not None and str(v).strip() for v in c)]
    raise BadRubric([RowError(str(SHEET), None, _("không thấy trang “{sheet}” (tệp của gandan evaluation --out)")
                              .format(sheet=SHEET))])


async def apply(session: AsyncSession, commune: OrgUnit, year: int, sheets: Sequence[Sheet], *,
                now: dt.datetime) -> int:
    """Stores every score in the sheet for the commune's teams, or nothing (BadRubric with each row's problem)."""
    if await frozen.read(session, [commune.id], year):
        raise BadRubric([RowError(str(SHEET), None, _("kết quả năm {year} đã được xác nhận; không sửa được")
                                  .format(year=year))])
    criteria = {c.code: c for c in (await rubric_for(session, commune)).hand_criteria}
    teams = {t.id for t in await tree.descendants(session, commune, UnitKind.TEAM)}
    errors: list[RowError] = []
    found = []
    for number, cells in _rows(sheets):
        cells = tuple(cells) + (None,) * 9
        team, code, points, note = cells[0], str(cells[3] or "").strip(), cells[7], cells[8]
        if points is None or str(points).strip() == "":
            continue  # left blank: not scored
        def bad(message: str, number: int = number) -> None:
            errors.append(RowError(str(SHEET), number, message))
        try:
            team_id = int(str(team).strip().removesuffix(".0"))
        except ValueError:
            bad(_("mã tổ “{team}” không phải số").format(team=team))
            continue
        if team_id not in teams:
            bad(_("mã tổ {team} không thuộc {commune}").format(team=team_id, commune=commune.name))
            continue
        if code not in criteria:
            bad(_("“{code}” không phải tiêu chí chấm tay của xã").format(code=code))
            continue
        try:
            value = float(str(points).replace(",", "."))
        except ValueError:
            bad(_("điểm “{points}” không phải số").format(points=points))
            continue
        text = str(note).strip() if note is not None and str(note).strip() else None
        try:
            hand.check(criteria[code], value, text)
        except BadScore as problem:
            bad(str(problem))
            continue
        found.append((team_id, criteria[code], value, text))
    if errors:
        raise BadRubric(errors)
    for team_id, criterion, value, text in found:
        await hand.set_score(session, team_id, year, criterion, value, text, actor_id=None, actor_label="cli", now=now)
    return len(found)
