"""`gandan concerns rules`: a commune's days to answer concerns, and changing or resetting one."""

from __future__ import annotations

import argparse

from bot.app import open_app
from bot.commands.common import CommandError, pick_commune
from core.i18n import _
from core.settings import Settings
from core.text import fold
from handlers.concerns.time_limits import rule_label, rule_lines
from models.base import utcnow
from models.concerns import time_limits
from models.enums import ConcernCategory, Urgency
from models.labels import CATEGORY_LABELS, URGENCY_LABELS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("concerns", help=_("thời hạn xử lý ý kiến của xã"),
                            description=_("Ý kiến, kiến nghị của Nhân dân: thời hạn trả lời theo lĩnh vực."))
    inner = parser.add_subparsers(dest="action", metavar=_("thao_tác"), required=True)
    rules = inner.add_parser("rules", help=_("xem, sửa thời hạn trả lời ý kiến"),
                             description=_("In thời hạn trả lời ý kiến của xã theo lĩnh vực và mức độ; --set đổi một "
                                           "mục (số ngày trả lời, và số ngày quá hạn trước khi chuyển lên cấp "
                                           "trên), --reset trả về mặc định."))
    rules.add_argument("--commune", metavar=_("xã"), help=_("mã hoặc tên xã (khi có nhiều xã)"))
    rules.add_argument("--set", nargs="+", metavar=(_("LĨNH_VỰC MỨC_ĐỘ SỐ_NGÀY"), _("SỐ_NGÀY_CHUYỂN_LÊN")),
                       help=_("ví dụ: --set land urgent 5 1"))
    rules.add_argument("--reset", nargs=2, metavar=(_("LĨNH_VỰC"), _("MỨC_ĐỘ")), help=_("ví dụ: --reset land urgent"))
    rules.set_defaults(func=rules_command)


def _category(text: str) -> ConcernCategory:
    key = fold(text).replace("_", " ").strip()
    for category in ConcernCategory:
        if key in (category.value.replace("_", " "), fold(str(CATEGORY_LABELS[category]))):
            return category
    raise CommandError(_("Không có lĩnh vực “{text}”. Dùng một trong: {codes}.").format(
        text=text, codes=", ".join(c.value for c in ConcernCategory)))


def _urgency(text: str) -> Urgency:
    key = fold(text)
    for urgency in Urgency:
        if key in (urgency.value, fold(str(URGENCY_LABELS[urgency]))):
            return urgency
    raise CommandError(_("Không có mức độ “{text}”. Dùng: normal hoặc urgent.").format(text=text))


def _days(text: str) -> int:
    if not text.isdigit():
        raise CommandError(_("“{text}” không phải số ngày.").format(text=text))
    return int(text)


async def rules_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.set is not None and len(args.set) not in (3, 4):
        raise CommandError(_("--set cần LĨNH_VỰC MỨC_ĐỘ SỐ_NGÀY và có thể thêm SỐ_NGÀY_CHUYỂN_LÊN."))
    now = utcnow()
    async with open_app(settings) as app, app.sessions() as session:
        commune = await pick_commune(session, args.commune)
        if args.set is not None:
            category, urgency = _category(args.set[0]), _urgency(args.set[1])
            current = await time_limits.limits_for(session, commune.id, category, urgency)
            due = _days(args.set[2])
            escalate = _days(args.set[3]) if len(args.set) == 4 else current.escalate_after_days
            try:
                await time_limits.set_rule(session, commune.id, category, urgency, due_days=due,
                                             escalate_after_days=escalate, person_id=None, now=now, actor_label="cli")
            except time_limits.BadRule:
                raise CommandError(_("Số ngày trả lời phải từ 1 đến {max_due}; số ngày quá hạn trước khi chuyển lên "
                                     "từ 1 đến {max_escalate}.").format(
                    max_due=time_limits.MAX_DUE_DAYS, max_escalate=time_limits.MAX_ESCALATE_DAYS)) from None
            print(_("Đã đổi: {rule}.").format(rule=rule_label(category, urgency)))
        if args.reset is not None:
            category, urgency = _category(args.reset[0]), _urgency(args.reset[1])
            if await time_limits.reset_rule(session, commune.id, category, urgency, person_id=None, now=now,
                                              actor_label="cli"):
                print(_("Đã trả về mặc định: {rule}.").format(rule=rule_label(category, urgency)))
            else:
                print(_("{rule} vẫn đang theo mặc định.").format(rule=rule_label(category, urgency)))
        rules = await time_limits.rules_for(session, commune.id)
        await session.commit()
    print(_("Thời hạn xử lý ý kiến của {commune}:").format(commune=commune.name))
    for line in rule_lines(rules):
        print("  " + line)
    return 0
