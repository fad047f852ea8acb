"""Every screen fits one Zalo message (2,000 characters, numbered choices included) or pages.

A large commune — many villages with long names, households with long addresses, many concerns
written at full length, people the bot cannot reach — is walked from every role's main menu two
levels deep, and every reply is measured as Zalo would show it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from core.text import fold
from handlers.engine.paging import SCREEN, fits
from handlers.engine.types import render_numbered
from models.concerns import workflow
from models.enums import Channel, ConcernCategory, Role, UnitKind, Urgency
from models.meetings import occurrences
from models.tables import ChatIdentity, Household, Membership, Person
from models.units import tree
from tests.concerns.test_lifecycle import NOW, Town, add_concern, build_town
from tests.dialog import Chat

VILLAGES = 14
HOUSEHOLDS = 45
CONCERNS = 30
UNREACHABLE = 40
LONG = " ".join(f"Đoạn {n}: đường vào xóm bị sạt lở, nước tràn vào ruộng, bà con đi lại khó khăn." for n in range(24))
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECOND_LEVEL = 8  # choices tried on each first screen


async def build_large(session) -> Town:
    town = await build_town(session)
    world = town.world
    for n in range(VILLAGES):
        village = await tree.add_unit(session, UnitKind.VILLAGE, f"Tổ dân phố Nguyễn Trãi Thượng Đình số {n + 1}",
                                      world.commune)
        team = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Dân vận cộng đồng tổ dân phố số {n + 1}", village)
        await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
    for n in range(HOUSEHOLDS):
        name, address = f"Nguyễn Thị Phương Thảo Anh {n}", f"Số {n}, ngõ 12 ngách 34, Xóm Trại Đông, Thôn Đồng Tâm"
        session.add(Household(commune_id=world.commune.id, village_id=world.village.id, nhom_id=world.nhom.id,
                              head_name=name, name_key=fold(name), address=address, address_key=fold(address),
                              assigned_member_id=world.member.id))
    for n in range(UNREACHABLE):
        name = f"Trần Văn Hoàng Long Khánh {n}"
        person = Person(full_name=name, name_key=fold(name), commune_id=world.commune.id)
        session.add(person)
        await session.flush()
        session.add_all([Membership(person_id=person.id, unit_id=world.nhom.id, role=Role.MEMBER),
                         ChatIdentity(person_id=person.id, channel=Channel.ZALO, external_id=f"z{n}", chat_id=f"z{n}",
                                      unreachable_at=NOW)])
    await session.commit()
    for n in range(CONCERNS):
        concern = await add_concern(session, town, list(ConcernCategory)[n % len(ConcernCategory)],
                                    urgency=Urgency.URGENT if n % 3 == 0 else Urgency.NORMAL,
                                    description=LONG[:2000], now=NOW - dt.timedelta(days=n))
        if n % 4 == 0:
            await workflow.add_note(session, concern, actor_id=town.khoi.id, text=LONG[:1000], now=NOW)
        if n % 5 == 0:
            await workflow.answer(session, concern, actor_id=town.khoi.id, text=LONG[:1500], now=NOW)
    await occurrences.set_schedule(session, world.team.id, rule={"day": 25}, hour=19, minute=30,
                                   place="Nhà văn hóa thôn Đồng Tâm, cạnh đình làng", actor_id=world.leader.id,
                                   now=NOW, tz=TZ)
    await session.commit()
    return town


def _too_long(chat: Chat, path: str) -> list[str]:
    return [f"{path}: {len(render_numbered(reply))} characters — {reply.text.splitlines()[0][:60]!r}"
            for reply in chat.last if not fits(reply)]


async def _walk(chat: Chat) -> list[str]:
    found: list[str] = []
    await chat.say("/menu")
    entries = [o.label for o in chat.last[-1].options]
    for index, entry in enumerate(entries, 1):
        await chat.say("/menu")
        await chat.say(str(index))
        found += _too_long(chat, entry)
        choices = [o.label for o in chat.last[-1].options][:SECOND_LEVEL]
        for pick, label in enumerate(choices, 1):
            await chat.say("/menu")
            await chat.say(str(index))
            await chat.say(str(pick))
            found += _too_long(chat, f"{entry} → {label}")
    return found


async def test_every_screen_fits_one_zalo_message(session, sessions):
    town = await build_large(session)
    problems = []
    for who in ("member", "leader", "deputy", "khoi", "secretary"):
        problems += [f"{who}: {line}" for line in await _walk(town.chat(sessions, who))]
    assert problems == [], f"screens over {SCREEN} characters:\n" + "\n".join(problems)


async def test_a_long_screen_pages_and_its_last_page_leads_on(session, sessions):
    town = await build_large(session)
    chat = town.chat(sessions, "member")
    await chat.say("/menu")
    await chat.say(chat.option_number("Hộ tôi phụ trách"))
    first = chat.last[-1]
    assert fits(first) and [o.label for o in first.options] == ["▶ Xem tiếp (2/2)", "🏠 Trang chính"]
    assert first.text.startswith("🏠 Hộ bạn phụ trách (53 hộ, lâu chưa thăm nhất ở trên):\n")
    await chat.say(chat.option_number("Xem tiếp"))  # a number on Zalo, a button on Telegram
    assert fits(chat.last[0]) and "… và 23 hộ khác." in chat.last[0].text
    assert chat.last[-1].text == "Chọn việc cần làm:"  # the screen had no choices: the menu follows its end
    await chat.say(choice="more")  # an old page turn
    assert chat.last[0].text.startswith("Nút này đã cũ.")
