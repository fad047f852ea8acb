"""The concerns board, one concern, its actions and the spreadsheet: thin handlers over `models.console`."""

from __future__ import annotations

import datetime as dt

from aiohttp import web
from multidict import MultiMapping

from bot.web.console.auth import CONSOLE_KEY, NAV_KEY
from bot.web.console.config import PREFIX
from bot.web.console.pages import need_person
from bot.web.console.render import db, page
from bot.web.disposition import content_disposition
from core.i18n import _, format_date
from models.base import utcnow
from models.concerns.texts import BUTTONS, EVENT_LABELS, LEVEL_LABELS, refusal
from models.concerns.workflow import Action, Refused
from models.console import board as boards
from models.console.concern_actions import BadInput, perform
from models.console.concern_view import concern_view
from models.enums import ConcernCategory, ConcernLevel, ConcernStatus
from models.labels import CATEGORY_LABELS, CLOSE_REASON_LABELS, STATUS_LABELS
from reports.spreadsheet import workbook
from reports.tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIONS = (Action.TAKE_ON, Action.ESCALATE, Action.NOTE, Action.ANSWER, Action.CLOSE, Action.REOPEN)
MAX_PAGE = 10_000


def _number(text: str | None, maximum: int = 2**31 - 1) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and int(text) <= maximum else None


def filters_of(query: MultiMapping[str]) -> boards.Filters:
    """The board's filters from the address; anything unreadable is ignored, as a stale button is."""
    category = query.get("category")
    level = query.get("level")
    status = query.get("status", boards.OPEN)
    return boards.Filters(
        village_id=_number(query.get("village")),
        category=ConcernCategory(category) if category in set(ConcernCategory) else None,
        status=status if status in {boards.OPEN, boards.ALL, *ConcernStatus} else boards.OPEN,
        level=ConcernLevel(level) if level in set(ConcernLevel) else None,
        overdue=query.get("overdue") == "1",
        sort=query.get("sort") if query.get("sort") in boards.SORTS else "due",
        month=month if (month := query.get("month", "")) and boards.MONTH.fullmatch(month) else None,
        page=_number(query.get("page"), MAX_PAGE) or 0)


def _choices() -> dict:
    return {"categories": CATEGORY_LABELS, "statuses": STATUS_LABELS, "levels": LEVEL_LABELS,
            "close_reasons": CLOSE_REASON_LABELS, "events": EVENT_LABELS, "OPEN": boards.OPEN, "ALL": boards.ALL}


async def board(request: web.Request) -> web.Response:
    signed = need_person(request)
    request[NAV_KEY] = "concerns"
    filters = filters_of(request.query)
    found = await boards.board(db(request), signed.held, signed.person.id, filters, now=utcnow(),
                               tz=request.app[CONSOLE_KEY].tz)
    return page(request, "concerns.html", {"board": found, "filters": filters, **_choices(),
                                           "tz": request.app[CONSOLE_KEY].tz})


async def export(request: web.Request) -> web.Response:
    signed = need_person(request)
    filters = filters_of(request.query)
    tz = request.app[CONSOLE_KEY].tz
    rows = await boards.export_rows(db(request), signed.held, signed.person.id, filters, now=utcnow(), tz=tz)
    table = Table(_("Ý kiến, kiến nghị"), (
        _("Mã"), _("Thôn"), _("Lĩnh vực"), _("Trạng thái"), _("Cấp"), _("Hạn trả lời"), _("Quá hạn"), _("Số hộ"),
        _("Hộ"), _("Nội dung")), tuple(
        (r.concern.reference, r.village, str(CATEGORY_LABELS[r.concern.category]),
         str(STATUS_LABELS[r.concern.status]), str(LEVEL_LABELS[r.concern.level]),
         format_date(r.concern.due_at.astimezone(tz).date()), _("có") if r.overdue else "", r.households, r.household or "",
         r.text) for r in rows))
    name = _("y-kien-{date}.xlsx").format(date=dt.datetime.now(tz).date().isoformat())
    return web.Response(body=workbook([table]), content_type=XLSX,
                        headers={"Content-Disposition": content_disposition("attachment", name)})


def _concern_id(request: web.Request) -> int:
    found = _number(request.match_info["id"])
    if found is None:
        raise web.HTTPNotFound(text=_("Không tìm thấy ý kiến này trong phạm vi bạn theo dõi."))
    return found


async def _view(request: web.Request, concern_id: int, **extra: object) -> web.Response:
    signed = need_person(request)
    request[NAV_KEY] = "concerns"
    session = db(request)
    view = await concern_view(session, signed.held, signed.person.id, concern_id)
    if view is None:
        raise web.HTTPNotFound(text=_("Không tìm thấy ý kiến này trong phạm vi bạn theo dõi."))
    return page(request, "concern.html", {"view": view, "tz": request.app[CONSOLE_KEY].tz, **_choices(),
                                          "labels": _action_labels(), "done": request.query.get("done") in ACTIONS, **extra},
                status=400 if extra.get("problem") else 200)


async def concern(request: web.Request) -> web.Response:
    return await _view(request, _concern_id(request))


async def act(request: web.Request) -> web.StreamResponse:
    signed = need_person(request)
    concern_id, action = _concern_id(request), request.match_info["action"]
    if action not in ACTIONS:
        raise web.HTTPNotFound()
    session = db(request)
    view = await concern_view(session, signed.held, signed.person.id, concern_id)
    if view is None:
        raise web.HTTPNotFound(text=_("Không tìm thấy ý kiến này trong phạm vi bạn theo dõi."))
    form = {k: str(v) for k, v in (await request.post()).items()}
    console = request.app[CONSOLE_KEY]
    try:
        await perform(session, view.concern, signed.held, signed.person.id, action, form, now=utcnow(),
                      tz=console.tz, default_locale=console.default_locale)
    # Both are raised before anything changed (`perform` checks first), so nothing is rolled back.
    except Refused as refused:
        return await _view(request, concern_id, problem=refusal(refused.code, view.concern), form=form)
    except BadInput as bad:
        return await _view(request, concern_id, problem=_bad_input(bad), form=form, open_action=action)
    raise web.HTTPSeeOther(f"{PREFIX}/concerns/{concern_id}?done={action}")


def _bad_input(bad: BadInput) -> str:
    if bad.code == "too_short":
        return _("Hãy gõ bằng chữ (ít nhất {min} ký tự).").format(**bad.limits)
    if bad.code == "too_long":
        return _("Dài {count} ký tự; tối đa {max}.").format(**bad.limits)
    if bad.code == "assignee":
        return _("Hãy chọn người xử lý, hoặc gõ tên cơ quan ngoài tổ.")
    return _("Hãy chọn lý do đóng ý kiến.")


def _action_labels() -> dict[str, str]:
    """The chat's buttons: the same words on the page."""
    return {name: str(label) for name, label in BUTTONS.items()}

