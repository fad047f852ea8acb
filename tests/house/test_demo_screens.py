"""The demo's screens, walked as a member, a team leader and the commune secretary: history shows."""

import re
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.terminal import TerminalChannel
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from models.base import utcnow
from models.demo import build_demo
from models.enums import Role
from models.people.identities import terminal_identity
from models.tables import Membership, Person

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Recorder:
    def __init__(self) -> None:
        self.replies = []

    async def send(self, reply) -> None:
        self.replies.append(reply)


async def walk(sessions, person_id: int, entries: list[str]) -> dict[str, str]:
    """Each menu entry typed from the main menu; what the bot answered to each."""
    async with sessions() as session:
        identity = await terminal_identity(session, await session.get(Person, person_id))
        await session.commit()
    screens = {}
    for entry in entries:
        sink = Recorder()
        channel = TerminalChannel(Gateway(sessions, Env(tz=TZ)), identity, lines=[entry], sink=sink)
        await channel.run(first="/menu")
        screens[entry] = "\n".join(r.text for r in sink.replies[1:])
    return screens


async def test_every_role_sees_the_demo_history(sessions):
    async with sessions() as session:
        demo = await build_demo(session, now=utcnow())
        await session.commit()
        secretary = await session.scalar(select(Membership.person_id).where(
            Membership.role == Role.COMMUNE_SECRETARY))
    member = await walk(sessions, demo.member_id, ["Báo cáo của tôi", "Hộ tôi phụ trách", "Lịch họp"])
    mine = member["Báo cáo của tôi"]
    assert re.search(r"Lượt thăm: [1-9]", mine) and re.search(r"Ý kiến, kiến nghị: [1-9]", mine)
    for status in ("Mới tiếp nhận", "Đang giải quyết", "Đã chuyển", "Đã trả lời"):
        assert status in mine
    assert re.search(r"— \d+/\d+/\d{4}", member["Hộ tôi phụ trách"])  # some households were visited
    assert "Lịch họp sắp tới" in member["Lịch họp"] and "Nhà văn hóa Đồng Tâm" in member["Lịch họp"]

    leader = await walk(sessions, demo.leader_id, ["Ý kiến đang mở", "Tổng hợp tháng", "Hạn báo cáo", "Lịch họp"])
    assert "Buổi tới:" in leader["Lịch họp"]
    assert leader["Ý kiến đang mở"].count("PA-") >= 3  # new, in progress, forwarded: answered ones have left it
    digest = leader["Tổng hợp tháng"]
    assert re.search(r"Thăm hộ: [1-9]\d* lượt", digest) and "0 lượt thăm, 0 ý kiến" not in digest
    deadlines = leader["Hạn báo cáo"]
    assert "Đã quá hạn" not in deadlines  # the first village's team reported on time

    office = await walk(sessions, secretary, ["Ý kiến đang mở", "Tổng hợp tháng", "Hạn báo cáo"])
    assert {"Thôn Đồng Tâm", "Thôn Phúc Lâm", "Tổ dân phố Số 5"} <= set(re.findall(
        r"Thôn \w+ \w+|Tổ dân phố Số 5", office["Ý kiến đang mở"]))
    assert re.search(r"Toàn xã: [1-9]\d* lượt thăm", office["Tổng hợp tháng"])
    assert "❗ 2 báo cáo đã quá hạn mà chưa nộp." in office["Hạn báo cáo"]
    for screens in (member, leader, office):
        for screen in screens.values():
            # The month so far may hold no meeting yet (they are on the 25th): only that may say "chưa có".
            assert "chưa có" not in screen.lower().replace("chưa có hoạt động", "").replace(
                "họp giao ban: chưa có buổi họp nào", "")
