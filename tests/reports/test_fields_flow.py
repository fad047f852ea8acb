"""✏️ Điền số liệu as a dialog: one short question each, "Bỏ qua", last year's value offered, bad
input answered with the rule, numbers typed the Vietnamese way; and who may start it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from handlers.engine import outside_flows
from models.enums import UnitKind
from models.reports import fields
from models.tables import AuditLog, OrgUnit
from tests.dialog import Chat
from tests.reports.world import Half, build_half

NOW = dt.datetime(2026, 6, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
async def half(session) -> Half:
    world = await build_half(session)
    await fields.set_values(session, world.villages["dt"].id, UnitKind.VILLAGE, 2025,
                            {"population": Decimal(900), "party_members": Decimal(25), "supervisions": Decimal(4)},
                            actor_id=None, actor_label="test", now=NOW)
    await session.commit()
    return world


@pytest.fixture
def start_for(monkeypatch):
    """A command that starts the flow as the "📄 Báo cáo" screen's "✏️ Điền số liệu" does."""
    def start(unit: OrgUnit, year: int = 2026) -> None:
        async def handler(ctx, arg):
            return "report_fields", {"unit_id": unit.id, "year": year}
        monkeypatch.setitem(outside_flows.COMMANDS, "dien_so_lieu", handler)
    return start


async def test_the_chi_bo_secretary_fills_the_village_s_fields(sessions, half, start_for):
    start_for(half.villages["dt"])
    chat = Chat(sessions, "cb", now=NOW)
    await chat.transcript([
        ("/dien_so_lieu", "✏️ Số liệu báo cáo năm 2026 — Thôn Đồng Tâm (1/7)\nDiện tích tự nhiên (ha)?"),
        ("12.5", "“12.5” chưa dùng được: Diện tích tự nhiên cần một số không âm, dấu phẩy trước phần lẻ, "
                 "ví dụ 1.240 hoặc 86,5."),
        ("12,5 ha", "chưa dùng được"),
        ("86,5", "(2/7)\nDân số (người)?"),
    ])
    assert "1. Như năm 2025: 900\n2. Bỏ qua" in chat.screen  # a figure that rarely changes: last year's offered
    await chat.transcript([
        ("1.240", "(3/7)\nSố đảng viên (đảng viên)?"),
    ])
    await chat.say(choice="rf:last")  # the button "Như năm 2025: 25"
    assert "(4/7)\nCuộc giám sát đã tổ chức (cuộc)?" in chat.screen
    assert "Như năm" not in chat.screen  # supervisions change every year: nothing offered
    await chat.transcript([
        ("1", "(5/7)"),  # a number typed is the value, though the screen numbers "1. Bỏ qua"
        ("Bỏ qua", "(6/7)\nThu nhập bình quân đầu người (triệu đồng/năm)?"),
        ("nhiều", "“nhiều” chưa dùng được"),
        ("45,2", "(7/7)\nTỷ lệ hộ nghèo (%)?"),
        ("101", "cần một tỷ lệ từ 0 đến 100, ví dụ 3,2."),
        ("3,2 %", "✅ Đã lưu 6 số liệu cho báo cáo năm 2026 — Thôn Đồng Tâm.\nCòn trống (để “……” trong báo cáo): "
                  "Lượt ý kiến góp ý xây dựng Đảng, chính quyền."),
    ])
    async with sessions() as session:
        assert await fields.values(session, half.villages["dt"].id, 2026) == {
            "area": Decimal("86.5"), "population": Decimal(1240), "party_members": Decimal(25),
            "supervisions": Decimal(1), "income_per_capita": Decimal("45.2"), "poor_rate": Decimal("3.2")}
        audited = (await session.scalars(select(AuditLog).where(AuditLog.action == "set_report_field",
                                                               AuditLog.actor_id == half.people["cb"].id))).all()
        assert len(audited) == 6


async def test_an_answer_already_given_is_shown_and_kept_on_skip(sessions, half, start_for):
    async with sessions() as session:
        await fields.set_values(session, half.villages["dt"].id, UnitKind.VILLAGE, 2026, {"area": Decimal(120)},
                                actor_id=None, actor_label="test", now=NOW)
        await session.commit()
    start_for(half.teams["dt"])  # started from the team: the team's figures are its village's
    chat = Chat(sessions, "l1", now=NOW)  # the team leader may fill the village's fields too
    await chat.transcript([
        ("/dien_so_lieu", "Thôn Đồng Tâm (1/7)\nDiện tích tự nhiên (ha)?\nĐã ghi: 120."),
        ("Bỏ qua", "(2/7)"),
    ])
    async with sessions() as session:
        assert (await fields.values(session, half.villages["dt"].id, 2026))["area"] == Decimal(120)


async def test_the_commune_s_leads_fill_the_commune_s_fields(sessions, half, start_for):
    start_for(half.commune)
    chat = Chat(sessions, "k", now=NOW)
    await chat.transcript([("/dien_so_lieu", "✏️ Số liệu báo cáo năm 2026 — Xã Phúc Sơn (1/13)")])
    for _ in range(4):
        await chat.say("Bỏ qua")
    assert "(5/13)\nLượt tiếp công dân (lượt)?" in chat.screen


@pytest.mark.parametrize(("who", "unit"), [("a", "dt"), ("cb", "hb"), ("x", "commune"), ("cb", "commune"),
                                           ("k", "dt")])
async def test_others_are_refused(sessions, half, start_for, who, unit):
    start_for(half.commune if unit == "commune" else half.villages[unit])
    chat = Chat(sessions, who, now=NOW)
    await chat.say("/dien_so_lieu")
    assert "Mục này dành cho bí thư chi bộ và tổ trưởng" in chat.screen
    assert "Số liệu báo cáo" not in chat.screen
