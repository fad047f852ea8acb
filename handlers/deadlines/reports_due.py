"""🗓 Hạn báo cáo: the report deadlines a leader answers for, and marking a report submitted.

The same "rp:<deadline>:<unit>:<period>" key marks a report from this screen and from the
button on a scheduled nudge (`@action("rp")`), days after the nudge was sent.
"""

from __future__ import annotations

from core.i18n import _, format_date
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.deadlines import calendar
from models.deadlines.texts import days_left_text, due_text, report_title
from models.tables import OrgUnit, ReportDeadline

PENDING_NAMES = 10
MARK_AHEAD = 31  # days: a report is marked submitted when it is due soon or late, not a year ahead


async def _commune(ctx: Ctx) -> OrgUnit | None:
    if ctx.person.commune_id is None:
        return None
    commune = await ctx.session.get(OrgUnit, ctx.person.commune_id)
    await calendar.ensure_defaults(ctx.session, commune)
    return commune


async def _unit_lines(ctx: Ctx, unit: OrgUnit, rows: list[ReportDeadline], late: list[calendar.Pending],
                      marks: list[list[str]]) -> list[str]:
    """The unit's overdue and next reports; a button for each one not yet submitted."""
    lines = [f"{unit.name}:"]
    for deadline in (d for d in rows if d.level == unit.kind):
        periods = [(p.period, p.due) for p in late if p.deadline.id == deadline.id and p.unit.id == unit.id]
        periods.append(calendar.next_period(deadline, ctx.today))
        for period, due in periods:
            title = report_title(deadline.kind, period)
            done = await calendar.submission(ctx.session, deadline.id, unit.id, period)
            status = _("✅ đã nộp") if done else _("⏳ chưa nộp — {left}").format(left=days_left_text(due, ctx.today))
            lines.append(_("• {report} — hạn {due} — {status}").format(report=title, due=due_text(due, short=True),
                                                                       status=status))
            if not done and (due - ctx.today).days <= MARK_AHEAD:
                marks.append([f"rp:{deadline.id}:{unit.id}:{period}",
                              _("✅ Đã nộp: {report}").format(report=title)])
    return lines


async def _commune_lines(ctx: Ctx, commune: OrgUnit, rows: list[ReportDeadline],
                         late: list[calendar.Pending]) -> list[str]:
    """For the commune's leaders: how many units have submitted each report due next."""
    lines = [_("Toàn xã:")]
    for deadline in rows:
        period, due = calendar.next_period(deadline, ctx.today)
        owing = await calendar.units_owing(ctx.session, deadline, commune)
        pending = await calendar.pending_units(ctx.session, deadline, period, commune)
        lines.append(_("• {report} — hạn {due} — {done}/{total} đơn vị đã nộp").format(
            report=report_title(deadline.kind, period), due=due_text(due, short=True),
            done=len(owing) - len(pending), total=len(owing)))
        if pending:
            names = ", ".join(u.name for u in pending[:PENDING_NAMES])
            more = _(" và {count} đơn vị khác").format(count=len(pending) - PENDING_NAMES) \
                if len(pending) > PENDING_NAMES else ""
            lines.append(_("  Chưa nộp: {names}{more}").format(names=names, more=more))
    if late:
        lines.append(_("❗ {count} báo cáo đã quá hạn mà chưa nộp.").format(count=len(late)))
    return lines


async def start(ctx: Ctx) -> str | None:
    held = await ctx.roles()
    if not access.leads(held):
        raise Invalid(_("Mục này dành cho tổ trưởng và lãnh đạo xã."))
    commune = await _commune(ctx)
    if commune is None:
        raise Invalid(_("Bạn chưa thuộc xã/phường nào."))
    rows = list(await calendar.deadlines(ctx.session, commune))
    late = await calendar.overdue(ctx.session, commune, ctx.today, ctx.tz)
    lines, marks = [_("🗓 Hạn báo cáo")], []
    if access.commune_office(held) is not None:
        lines += ["", *await _commune_lines(ctx, commune, rows, late)]
    for unit in await calendar.responsible_units(ctx.session, ctx.person.id):
        if any(d.level == unit.kind for d in rows):
            lines += ["", *await _unit_lines(ctx, unit, rows, late, marks)]
    ctx.put(screen="\n".join(lines), marks=marks)
    return "mark" if marks else None


async def ask_mark(ctx: Ctx) -> Prompt:
    text = ctx.data["screen"] + "\n\n" + _("Báo cáo nào đã nộp thì chọn để ghi nhận (/huy để thôi):")
    return Prompt(text, tuple(Option(key, label) for key, label in ctx.data["marks"]))


async def accept_mark(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None:
        raise Invalid(_("Chọn một báo cáo trong danh sách bằng số thứ tự."))
    ctx.put(marked=answer.option.key)
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    if "marked" in ctx.data:
        return await mark(ctx, ctx.data["marked"])
    return [Reply(ctx.data["screen"])]


@action("rp")
async def mark(ctx: Ctx, key: str) -> list[Reply]:
    """A report marked submitted, by one of the people who answer for that unit's report."""
    parts = key.split(":")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return [Reply(_("Nút này đã cũ."))]
    deadline = await ctx.session.get(ReportDeadline, int(parts[1]))
    unit = await ctx.session.get(OrgUnit, int(parts[2]))
    period = parts[3]
    if deadline is None or unit is None or unit.kind != deadline.level or f"/{deadline.commune_id}/" not in unit.path:
        return [Reply(_("Nút này đã cũ."))]
    if not await calendar.is_responsible(ctx.session, ctx.person.id, unit):
        return [Reply(_("Chỉ người phụ trách báo cáo của {unit} mới ghi nhận được.").format(unit=unit.name))]
    title = report_title(deadline.kind, period)
    row, added = await calendar.mark_submitted(ctx.session, deadline, unit, period, person_id=ctx.person.id,
                                                now=ctx.now)
    if not added:
        day = row.submitted_at.astimezone(ctx.tz).date()
        return [Reply(_("{report} của {unit} đã được ghi nhận là đã nộp ({date}).").format(
            report=title, unit=unit.name, date=format_date(day)))]
    return [Reply(_("✅ Đã ghi nhận: {report} của {unit} đã nộp. Bot sẽ thôi nhắc báo cáo này.").format(
        report=title, unit=unit.name))]


FLOW = Flow(name="deadlines", first="mark", finish=finish, start=start,
            steps={"mark": Step("mark", ask_mark, accept_mark)})
