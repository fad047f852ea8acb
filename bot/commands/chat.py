"""`gandan chat`: talk to the bot in the terminal as one person of the roster."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App, open_app
from bot.channels.terminal import TerminalChannel
from bot.commands.common import parse_role, role_names
from core.i18n import _
from core.settings import Settings
from handlers.engine.checks import check_flows
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.registry import FLOWS
from models.demo import find_demo
from models.people.identities import find_people, terminal_identity
from models.people.listing import list_people
from models.tables import Person
from models.units import tree
from scheduler.app import build_scheduler


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help=_("trò chuyện với bot ngay trên cửa sổ lệnh"),
                            description=_("Trò chuyện với bot trên cửa sổ lệnh với tư cách một người trong danh "
                                          "sách; các lựa chọn hiện thành dòng đánh số, gõ số để chọn."))
    parser.add_argument("--as", dest="as_person", metavar=_("người"),
                        help=_("số điện thoại, họ tên hoặc vai trò của người muốn đóng vai (mặc định: thành viên "
                               "mẫu); vai trò: {roles}").format(roles=role_names()))
    parser.set_defaults(func=chat_command)


async def chat_command(args: argparse.Namespace, settings: Settings) -> int:
    check_flows(FLOWS)  # a flow leading to a missing step stops here, not in someone's chat
    async with open_app(settings) as app:
        async with app.sessions() as session:
            if args.as_person:
                people = await _people_as(session, args.as_person)
                if not people:
                    print(_("Không tìm thấy ai theo “{query}” (số điện thoại, họ tên hoặc vai trò).").format(
                        query=args.as_person))
                    return 2
                if len(people) > 1:
                    print(_("“{query}” khớp nhiều người; chọn một bằng số điện thoại:").format(query=args.as_person))
                    for person in people:
                        print(f"  {person.phone or '-'}  {person.full_name}")
                    return 2
                person_id = people[0].id
            else:
                demo = await find_demo(session)
                if demo is None or demo.member_id is None:
                    print(_("Chưa có xã mẫu. Chạy gandan demo, hoặc chọn người bằng "
                            "gandan chat --as <số điện thoại hoặc tên>."))
                    return 2
                person_id = demo.member_id
        return await chat_as(app, person_id)


async def _people_as(session: AsyncSession, query: str) -> list[Person]:
    """Who `--as` names: the holders of a role ("Bí thư Đảng ủy", "team_leader"), else by phone or name."""
    role = parse_role(query)
    if role is None:
        return await find_people(session, query)
    found: list[Person] = []
    for commune in await tree.communes(session):
        found += [entry.person for entry in await list_people(session, commune, role=role)]
    return found


async def chat_as(app: App, person_id: int, *, lines: Iterable[str] | None = None) -> int:
    """Opens the terminal chat as the person (their terminal identity is made on first use)."""
    async with app.sessions() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        identity = await terminal_identity(session, person)
        await session.commit()
    print(_("Đang trò chuyện với Gần Dân với tư cách {name}. Gõ số để chọn; /thoat để thoát.").format(
        name=person.full_name))
    gateway = Gateway(app.sessions, Env(tz=app.settings.tz, default_locale=app.settings.default_locale))
    channel = TerminalChannel(gateway, identity, lines=lines, display_name=person.full_name)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # its job chatter would fill the chat's screen
    scheduler = build_scheduler(app.sessions, app.settings)  # reminders reach this chat as they would a phone
    scheduler.start()
    try:
        await channel.run(first="/tieptuc")  # an unfinished flow goes on where it was left; else the menu
    finally:
        scheduler.shutdown(wait=False)
    await channel.close()
    return 0
