"""What a roster change that ends someone's roles sets off: their households are released and
offered to the team's leaders, and the person is told, in their language, through the outbox."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, use_locale
from models import access
from models.households import volunteers
from models.labels import ROLE_LABELS
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import Membership, OrgUnit, Person

LISTED = 15  # households named in the leader's message; the flow behind its button has them all


async def after_roles_ended(session: AsyncSession, commune: OrgUnit, ended: Sequence[Membership], *,
                            now: dt.datetime, tz: ZoneInfo | None, default_locale: str = "vi") -> int:
    """Releases the households the people's remaining roles no longer reach; tells the people and
    the teams' leaders when `tz` is given (None: a check that tells nobody). How many were released."""
    if not ended:
        return 0
    released = await volunteers.release(session, {m.person_id for m in ended})
    if tz is None:
        return len(released)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    by_person: dict[int, list[Membership]] = defaultdict(list)
    for membership in ended:
        by_person[membership.person_id].append(membership)
    for person_id, memberships in by_person.items():
        person = await session.get(Person, person_id)
        held = await access.roles(session, person_id)
        with use_locale(person.locale or default_locale):
            body = payload(await _ended_text(session, commune, memberships, still_holds=bool(held)))
        await enqueue_for_person(session, person, key=f"roster:{commune.id}:{stamp}:ended", kind="roster_ended",
                                 body=body, now=now, tz=tz)
    by_team: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for household, nhom in released:
        if nhom.parent_id is not None:
            by_team[nhom.parent_id].append((household.head_name, nhom.name))
    for team_id, households in by_team.items():
        for leader in await volunteers.team_leads(session, team_id):
            with use_locale(leader.locale or default_locale):
                body = payload(_released_text(households), [(f"ra:{team_id}", _("🏠 Giao hộ cho thành viên"))])
            await enqueue_for_person(session, leader, key=f"roster:{commune.id}:{stamp}:released:t{team_id}",
                                     kind="households_released", body=body, now=now, tz=tz)
    return len(released)


async def _ended_text(session: AsyncSession, commune: OrgUnit, memberships: Sequence[Membership], *,
                      still_holds: bool) -> str:
    if not still_holds:
        return _("Danh sách Tổ Dân vận cộng đồng của {commune} vừa được cập nhật: bạn không còn trong danh "
                 "sách. Cảm ơn bạn đã tham gia. Các hộ bạn phụ trách sẽ được giao cho người khác.").format(
            commune=commune.name)
    roles = []
    for membership in memberships:
        unit = await session.get(OrgUnit, membership.unit_id)
        roles.append(f"{ROLE_LABELS[membership.role]} ({unit.name if unit else ''})")
    return _("Danh sách Tổ Dân vận cộng đồng của {commune} vừa được cập nhật: bạn thôi vai trò {roles}.").format(
        commune=commune.name, roles=", ".join(roles))


def _released_text(households: Sequence[tuple[str, str]]) -> str:
    lines = [_("🏠 Sau khi cập nhật danh sách tổ, {count} hộ chưa có người phụ trách:").format(
        count=len(households))]
    lines += [f"• {name} — {nhom}" for name, nhom in households[:LISTED]]
    if len(households) > LISTED:
        lines.append(_("… và {count} hộ khác.").format(count=len(households) - LISTED))
    lines.append(_("Bấm nút dưới đây để giao từng hộ cho một thành viên của tổ."))
    return "\n".join(lines)
