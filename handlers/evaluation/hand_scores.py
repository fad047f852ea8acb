"""✍ Chấm điểm tiêu chí chấm tay: the khối dân vận head scores the criteria no record shows
(supervisions organised, "Dân vận khéo" models, conflicts mediated, deductions for hot spots), one
team after another: a number and an optional note, or "bỏ qua" typed. Each answer is kept at once (and
audited), so leaving half-way loses nothing; a number out of range is answered with the rule.
"""

from __future__ import annotations

import re

from core.i18n import _
from core.text import fold
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.types import Reply
from models import access
from models.enums import UnitKind
from models.evaluation import frozen, hand
from models.evaluation.hand import BadScore
from models.evaluation.numbers import number_text
from models.evaluation.rubric import Criterion, rubric_for
from models.tables import OrgUnit
from models.units import tree

# "4", "2,5", "-3 Điểm nóng đất đai", "4 điểm: đã giám sát 2 lần" (the unit only before punctuation or the end).
_SCORE = re.compile(r"^\s*([+-]?\d{1,3}(?:[.,]\d{1,2})?)(?:\s*(?:điểm|diem|đ)(?=\s*(?:[:;,.\-–]|$)))?\s*[:;,.\-–]?\s*(.*)$",
                    re.IGNORECASE | re.DOTALL)
# Typed, not a numbered button: "1" must always mean one point, on Zalo (which numbers buttons) too.
SKIP_WORDS = {"bo qua", "skip", "bq"}


def not_allowed() -> str:
    return _("Chấm điểm tiêu chí chấm tay dành cho trưởng khối dân vận.")


async def _commune(ctx: Ctx) -> OrgUnit | None:
    return access.scoring_commune(await ctx.roles())


async def _criteria(ctx: Ctx, commune: OrgUnit) -> list[Criterion]:
    return list((await rubric_for(ctx.session, commune)).hand_criteria)


async def start(ctx: Ctx) -> str:
    commune = await _commune(ctx)
    if commune is None:
        raise Invalid(not_allowed())
    year = ctx.today.year
    if await frozen.read(ctx.session, [commune.id], year):
        raise Invalid(_("Kết quả năm {year} đã được xác nhận; không chấm lại được.").format(year=year))
    criteria = await _criteria(ctx, commune)
    if not criteria:
        raise Invalid(_("Bộ tiêu chí của xã không có tiêu chí chấm tay."))
    teams = sorted(await tree.descendants(ctx.session, commune, UnitKind.TEAM), key=lambda t: t.name_key)
    if not teams:
        raise Invalid(_("Xã chưa có Tổ Dân vận nào."))
    ctx.put(commune_id=commune.id, year=year, teams=[[t.id, t.name] for t in teams],
            codes=[c.code for c in criteria], at=0, scored=0)
    return "score"


def _position(ctx: Ctx) -> tuple[int, str, str]:
    """(team id, team name, criterion code) of the question on screen."""
    codes, at = ctx.data["codes"], ctx.data["at"]
    team_id, name = ctx.data["teams"][at // len(codes)]
    return team_id, name, codes[at % len(codes)]


async def _criterion(ctx: Ctx, code: str) -> Criterion:
    commune = await ctx.session.get(OrgUnit, ctx.data["commune_id"])
    found = next((c for c in await _criteria(ctx, commune) if c.code == code), None)
    if found is None:  # the rubric changed while the head was scoring
        raise Invalid(_("Bộ tiêu chí vừa thay đổi; mở lại mục chấm điểm."))
    return found


def rule(criterion: Criterion) -> str:
    return _("Gõ số điểm từ {min} đến {max}, có thể kèm ghi chú sau số, ví dụ: {example}").format(
        min=number_text(criterion.min_points), max=number_text(criterion.max_points),
        example=_("{points} Đã tổ chức 2 cuộc giám sát").format(points=number_text(criterion.max_points)))


async def ask_score(ctx: Ctx) -> Prompt:
    team_id, name, code = _position(ctx)
    criterion = await _criterion(ctx, code)
    current = (await hand.scores(ctx.session, [team_id], ctx.data["year"])).get(team_id, {}).get(code)
    codes, teams = ctx.data["codes"], ctx.data["teams"]
    lines = [_("✍ {team} (tổ {number}/{count}), năm {year}").format(
                 team=name, number=ctx.data["at"] // len(codes) + 1, count=len(teams), year=ctx.data["year"]),
             _("Tiêu chí: {label} (tối đa {max} điểm)").format(label=criterion.label,
                                                            max=number_text(criterion.max_points))]
    if current is not None:
        lines.append(_("Đã chấm: {points}{note}").format(points=number_text(current[0]),
                                                        note=f" — {current[1]}" if current[1] else ""))
    lines.append(rule(criterion))
    lines.append(_("Gõ “bỏ qua” để sang mục sau; /huy để dừng (các điểm đã gõ vẫn được giữ)."))
    return Prompt("\n".join(lines))


async def accept_score(ctx: Ctx, answer: Answer) -> str | None:
    team_id, _name, code = _position(ctx)
    if fold(answer.text).strip(" .!") not in SKIP_WORDS:
        criterion = await _criterion(ctx, code)
        match = _SCORE.match(answer.text)
        if match is None:
            raise Invalid(rule(criterion))
        points = float(match.group(1).replace(",", "."))
        note = match.group(2).strip() or None
        try:
            await hand.set_score(ctx.session, team_id, ctx.data["year"], criterion, points, note,
                                 actor_id=ctx.person.id, actor_label=f"person:{ctx.person.id}", now=ctx.now)
        except BadScore as bad:
            raise Invalid(f"{bad} {rule(criterion)}") from None
        ctx.put(scored=ctx.data["scored"] + 1)
    at = ctx.data["at"] + 1
    ctx.put(at=at)
    return "score" if at < len(ctx.data["teams"]) * len(ctx.data["codes"]) else None


async def finish(ctx: Ctx) -> list[Reply]:
    return [Reply(_("✅ Đã chấm xong: {count} mục được ghi cho {teams} tổ, năm {year}. Xem lại ở “📈 Xếp loại dự kiến”.")
                  .format(count=ctx.data["scored"], teams=len(ctx.data["teams"]), year=ctx.data["year"]))]


FLOW = Flow(name="evaluation_scores", first="score", finish=finish, start=start, steps={
    "score": Step("score", ask_score, accept_score, free_text=True, next=("score",)),
})
