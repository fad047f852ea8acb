"""🗓 Hạn báo cáo: the report deadlines a leader answers for, marking a report submitted (and
taking the mark back), and the commune's leads reminding the units that have not submitted.

The same "rp:<deadline>:<unit>:<period>" key marks a report from this screen and from the
button on a scheduled nudge (`@action("rp")`), days after the nudge was sent; "ru:…" takes the
mark back, "rn:<deadline>:<period>" reminds every unit still owing that report.
"""

from __future__ import annotations

from core.i18n import _, format_date
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number, key_numbers
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.deadlines import calendar, reminders
from models.deadlines.texts import days_left_text, due_text, report_title
from models.report_docs import versions as drafts
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
            elif done:
                marks.append([f"ru:{deadline.id}:{unit.id}:{period}",
                              _("↩ Bỏ ghi nhận đã nộp: {report}").format(report=title)])
    return lines


async def _commune_lines(ctx: Ctx, commune: OrgUnit, rows: list[ReportDeadline],
                         late: list[calendar.Pending], reminds: list[list[str]] | None) -> list[str]:
    """For the commune's leaders: how many units have submitted each report due next; with
    `reminds`, a button for each report some units still owe (overdue ones first)."""
    lines = [_("Toàn xã:")]
    if reminds is not None:
        owed: dict[tuple[int, str], list[calendar.Pending]] = {}
        for item in late:
            owed.setdefault((item.deadline.id, item.period), []).append(item)
        for (deadline_id, period), items in owed.items():
            reminds.append([f"rn:{deadline_id}:{period}", _("📣 Nhắc {count} đơn vị chưa nộp: {report}").format(
                count=len(items), report=report_title(items[0].deadline.kind, period))])
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
            if reminds is not None and (due - ctx.today).days <= MARK_AHEAD:
                reminds.append([f"rn:{deadline.id}:{period}", _("📣 Nhắc {count} đơn vị chưa nộp: {report}").format(
                    count=len(pending), report=report_title(deadline.kind, period))])
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
    lines, marks, reminds = [_("🗓 Hạn báo cáo")], [], []
    if access.commune_office(held) is not None:
        may_remind = access.may_remind_units(held, commune)
        lines += ["", *await _commune_lines(ctx, commune, rows, late, reminds if may_remind else None)]
    for unit in await calendar.responsible_units(ctx.session, ctx.person.id):
        if any(d.level == unit.kind for d in rows):
            lines += ["", *await _unit_lines(ctx, unit, rows, late, marks)]
    # Taking a mark back is never the first choice (and asks again on a bare number, `ask_mark`).
    marks = reminds + sorted(marks, key=lambda mark: mark[0].startswith("ru:"))
    ctx.put(screen="\n".join(lines), marks=marks)
    return "mark" if marks else None


async def ask_mark(ctx: Ctx) -> Prompt:
    prompt = _("Báo cáo nào đã nộp thì chọn để ghi nhận (/huy để thôi):")
    if all(key.startswith("rn:") for key, _label in ctx.data["marks"]):
        prompt = _("Chọn báo cáo để nhắc các đơn vị chưa nộp (/huy để thôi):")
    text = ctx.data["screen"] + "\n\n" + prompt
    return Prompt(text, tuple(Option(key, label, confirm=key.startswith("ru:")) for key, label in ctx.data["marks"]))


async def accept_mark(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None:
        raise Invalid(_("Chọn một báo cáo trong danh sách bằng số thứ tự."))
    ctx.put(marked=answer.option.key)
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    chosen = ctx.data.get("marked")
    if chosen is None:
        return [Reply(ctx.data["screen"])]
    handler = {"rn": remind, "ru": unmark}.get(chosen.split(":", 1)[0], mark)
    return await handler(ctx, chosen)


async def _report(ctx: Ctx, key: str) -> tuple[ReportDeadline, OrgUnit, str] | None:
    """The deadline, unit and period a "rp:"/"ru:" key names, if they still belong together."""
    parts = key.split(":")
    numbers = key_numbers(key, 2) if len(parts) == 4 else None
    if numbers is None:
        return None
    deadline = await ctx.session.get(ReportDeadline, numbers[0])
    unit = await ctx.session.get(OrgUnit, numbers[1])
    if deadline is None or unit is None or unit.kind != deadline.level or f"/{deadline.commune_id}/" not in unit.path:
        return None
    return deadline, unit, parts[3]


async def _answered_for(ctx: Ctx, key: str) -> tuple[ReportDeadline, OrgUnit, str] | Reply:
    """The report a "rp:"/"ru:" key names, if this person answers for it; else the reply saying why not."""
    found = await _report(ctx, key)
    if found is None:
        return Reply(_("Nút này đã cũ."))
    if not await calendar.is_responsible(ctx.session, ctx.person.id, found[1]):
        return Reply(_("Chỉ người phụ trách báo cáo của {unit} mới ghi nhận được.").format(unit=found[1].name))
    return found


@action("rp")
async def mark(ctx: Ctx, key: str) -> list[Reply]:
    """A report marked submitted, by one of the people who answer for that unit's report."""
    found = await _answered_for(ctx, key)
    if isinstance(found, Reply):
        return [found]
    deadline, unit, period = found
    title = report_title(deadline.kind, period)
    row, added = await calendar.mark_submitted(ctx.session, deadline, unit, period, person_id=ctx.person.id,
                                                now=ctx.now)
    if not added:
        day = row.submitted_at.astimezone(ctx.tz).date()
        return [Reply(_("{report} của {unit} đã được ghi nhận là đã nộp ({date}).").format(
            report=title, unit=unit.name, date=format_date(day)))]
    # The undo comes second and asks again on a bare number: a habitual "1" never takes the mark back.
    undo = Option(f"ru:{deadline.id}:{unit.id}:{period}", _("↩ Bỏ ghi nhận đã nộp"), confirm=True)
    text = _("✅ Đã ghi nhận: {report} của {unit} đã nộp. Bot sẽ thôi nhắc báo cáo này.").format(
        report=title, unit=unit.name)
    if (version := await drafts.submitted_version(ctx.session, row.id)) is not None:
        text += "\n" + _("Bản đã nộp: dự thảo số {version}.").format(version=version)
    return [Reply(text, (Option("m:main", _("🏠 Trang chính")), undo), columns=2)]


@action("ru")
async def unmark(ctx: Ctx, key: str) -> list[Reply]:
    """A report marked submitted by mistake, taken back by one of the people who may mark it."""
    found = await _answered_for(ctx, key)
    if isinstance(found, Reply):
        return [found]
    deadline, unit, period = found
    title = report_title(deadline.kind, period)
    if not await calendar.unmark_submitted(ctx.session, deadline, unit, period, person_id=ctx.person.id):
        return [Reply(_("{report} của {unit} chưa được ghi nhận là đã nộp.").format(report=title, unit=unit.name))]
    return [Reply(_("↩ Đã bỏ ghi nhận: {report} của {unit} chưa nộp. Bot sẽ nhắc lại theo lịch.").format(
        report=title, unit=unit.name))]


@action("rn")
async def remind(ctx: Ctx, key: str) -> list[Reply]:
    """The commune's leads remind every unit still owing a report, once per unit a day."""
    parts = key.split(":")
    deadline_id = key_number(parts[1]) if len(parts) == 3 else None
    deadline = await ctx.session.get(ReportDeadline, deadline_id) if deadline_id is not None else None
    commune = await ctx.session.get(OrgUnit, deadline.commune_id) if deadline is not None else None
    if deadline is None or commune is None:
        return [Reply(_("Nút này đã cũ."))]
    if not access.may_remind_units(await ctx.roles(), commune):
        return [Reply(_("Chỉ trưởng khối dân vận và bí thư Đảng ủy xã mới nhắc được các đơn vị."))]
    done = await reminders.remind_pending(ctx.session, deadline, parts[2], commune, sender=ctx.person, now=ctx.now,
                                          tz=ctx.tz, default_locale=ctx.default_locale)
    lines = [_("📣 {report}: đã nhắc {count} đơn vị chưa nộp.").format(
        report=report_title(deadline.kind, parts[2]), count=done.units)]
    if done.earlier:
        lines.append(_("{count} đơn vị đã được nhắc hôm nay, không nhắc lại.").format(count=done.earlier))
    if done.unreached:
        lines.append(_("{count} đơn vị không có ai nhận được tin của bot.").format(count=done.unreached))
    return [Reply("\n".join(lines))]


FLOW = Flow(name="deadlines", first="mark", finish=finish, start=start,
            steps={"mark": Step("mark", ask_mark, accept_mark)})
