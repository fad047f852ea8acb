"""`gandan outbox`: how many messages wait, went out or failed, and why the latest ones failed."""

from __future__ import annotations

import argparse

from bot.app import open_app
from core.i18n import _
from core.logs import redact
from core.settings import Settings
from models.enums import OutboxStatus
from models.outbox import delivery
from models.outbox.delivery import Failure

LATEST = 10


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help=_("xem hàng đợi tin gửi đi"),
                            description=_("Số tin đang chờ, đã gửi, bị lỗi trong hàng đợi gửi đi (nhắc việc, "
                                          "thông báo…) và lý do của các lỗi gần nhất."))
    parser.set_defaults(func=outbox_command)


async def outbox_command(args: argparse.Namespace, settings: Settings) -> int:
    async with open_app(settings) as app, app.sessions() as session:
        counts = await delivery.counts(session)
        failures = await delivery.latest_failures(session, LATEST)
    print(_("Hàng đợi gửi đi: {queued} đang chờ, {sending} đang gửi, {sent} đã gửi, {failed} lỗi, "
            "{skipped} bỏ qua (không liên lạc được).").format(
        queued=counts[OutboxStatus.QUEUED], sending=counts[OutboxStatus.SENDING], sent=counts[OutboxStatus.SENT],
        failed=counts[OutboxStatus.FAILED], skipped=counts[OutboxStatus.SKIPPED]))
    if not failures:
        print(_("Không có tin nào lỗi."))
        return 0
    print(_("Các lỗi gần nhất:"))
    for failure in failures:
        print(_line(failure, settings))
    return 0


def _line(failure: Failure, settings: Settings) -> str:
    when = failure.at.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M") if failure.at else "—"
    status = _("lỗi") if failure.status == OutboxStatus.FAILED else _("bỏ qua")
    return _("{when}  {status}  {kind}  {channel} {chat}  {attempts} lần thử  {reason}").format(
        when=when, status=status, kind=failure.kind, channel=failure.channel.value, chat=mask(failure.chat_id),
        attempts=failure.attempts, reason=redact(" ".join(failure.reason.split()))[:200])


def mask(chat_id: str) -> str:
    """The last three characters are enough to tell chats apart in a report."""
    return "***" + chat_id[-3:]
