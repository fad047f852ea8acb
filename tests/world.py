"""A small commune for conversation tests: one village, two nhóm, a member, a leader, households."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.enums import Channel, Role, UnitKind
from models.tables import ChatIdentity, Household, Membership, OrgUnit, Person
from models.units import tree

HOUSEHOLDS = [
    ("Nguyễn Văn Hùng", "Xóm Trại, Thôn Đồng Tâm", None),
    ("Trần Thị Lan", "Xóm Giữa, Thôn Đồng Tâm", dt.date(2026, 11, 20)),
    ("Lê Văn Đức", "Xóm Đồng, Thôn Đồng Tâm", dt.date(2026, 9, 1)),
    ("Phạm Thị Hoa", "Xóm Trại, Thôn Đồng Tâm", dt.date(2026, 10, 15)),
    ("Hoàng Văn Nam", "Xóm Giữa, Thôn Đồng Tâm", None),
    ("Vũ Thị Mai", "Xóm Đồng, Thôn Đồng Tâm", dt.date(2026, 11, 1)),
    ("Đặng Văn Tâm", "Xóm Trại, Thôn Đồng Tâm", dt.date(2026, 8, 1)),
    ("Bùi Thị Thu", "Xóm Giữa, Thôn Đồng Tâm", dt.date(2026, 11, 10)),
]


@dataclass
class World:
    commune: OrgUnit
    village: OrgUnit
    team: OrgUnit
    nhom: OrgUnit
    other_nhom: OrgUnit
    member: Person
    leader: Person
    households: list[Household]
    stranger_household: Household


async def build_world(session: AsyncSession) -> World:
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Thành phố Hà Nội", code="01")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459")
    village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Đồng Tâm", commune)
    team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Đồng Tâm", village)
    nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
    other = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 2", team)
    member = Person(full_name="Phạm Văn Long", name_key="pham van long", phone="0912100021", commune_id=commune.id)
    leader = Person(full_name="Nguyễn Thị Hằng", name_key="nguyen thi hang", phone="0912100001",
                    commune_id=commune.id)
    session.add_all([member, leader])
    await session.flush()
    session.add_all([
        Membership(person_id=member.id, unit_id=nhom.id, role=Role.MEMBER),
        Membership(person_id=leader.id, unit_id=team.id, role=Role.TEAM_LEADER),
        Membership(person_id=leader.id, unit_id=village.id, role=Role.CHI_BO_SECRETARY),
        ChatIdentity(person_id=member.id, channel=Channel.TERMINAL, external_id="member", chat_id="member"),
        ChatIdentity(person_id=leader.id, channel=Channel.TERMINAL, external_id="leader", chat_id="leader"),
    ])
    households = []
    for name, address, last in HOUSEHOLDS:
        households.append(Household(commune_id=commune.id, village_id=village.id, nhom_id=nhom.id, head_name=name,
                                    name_key=fold(name), address=address, address_key=fold(address),
                                    assigned_member_id=member.id, last_visited_on=last))
    stranger = Household(commune_id=commune.id, village_id=village.id, nhom_id=other.id, head_name="Ngô Văn Xa",
                         name_key="ngo van xa", address="Xóm Xa", address_key="xom xa")
    session.add_all([*households, stranger])
    await session.commit()
    return World(commune, village, team, nhom, other, member, leader, households, stranger)
