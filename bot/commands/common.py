"""What several commands share: picking the commune and a unit from what the admin typed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import LOCALES, _, use_locale
from core.text import fold
from models.enums import Role, UnitKind, role_from_text
from models.labels import ROLE_LABELS
from models.tables import OrgUnit
from models.units import tree


class CommandError(Exception):
    """A message for the admin; the command prints it and exits with status 2."""


async def pick_commune(session: AsyncSession, query: str | None) -> OrgUnit:
    """The commune named by code or name, or the only one in the database."""
    if query:
        found = await tree.find_units(session, query, kinds=[UnitKind.COMMUNE])
    else:
        found = await tree.communes(session)
    if len(found) == 1:
        return found[0]
    if not found and not query:
        raise CommandError(_("Chưa có xã/phường nào. Chạy trước: gandan setup commune <mã hoặc tên>"))
    if not found:
        raise CommandError(_("Không có xã/phường “{query}” trong cơ sở dữ liệu.").format(query=query))
    listing = "\n".join(f"  {unit.code or '-'}  {unit.name}" for unit in found)
    raise CommandError(_("Có nhiều xã/phường; chọn một bằng --commune:") + "\n" + listing)


def role_names() -> str:
    """Every role as the admin may type it: "Thành viên (member), …, Quản trị (admin)"."""
    return ", ".join(f"{ROLE_LABELS[role]} ({role.value})" for role in Role)


def parse_role(text: str) -> Role | None:
    """A role by its code, a roster spelling, or its label in any of our languages ("Team leader")."""
    role = role_from_text(text)
    if role is not None:
        return role
    key = fold(text)
    for locale in LOCALES:
        with use_locale(locale):
            for candidate, label in ROLE_LABELS.items():
                if fold(str(label)) == key:
                    return candidate
    return None


def role_or_error(text: str) -> Role:
    role = parse_role(text)
    if role is None:
        raise CommandError(_("Vai trò không hợp lệ: “{role}”. Chọn một trong: {roles}.").format(
            role=text, roles=role_names()))
    return role


async def unit_label(session: AsyncSession, unit: OrgUnit) -> str:
    """The unit with its ancestors below the province: "Thôn Đồng Tâm › Nhóm 1"."""
    names = [u.name for u in await tree.lineage(session, unit) if u.kind not in (UnitKind.PROVINCE,)]
    return " › ".join(names)


async def pick_unit(session: AsyncSession, commune: OrgUnit, query: str, kind: UnitKind | None) -> OrgUnit:
    """A unit of `kind` (any kind: None) named by a path like "Đồng Tâm / Nhóm 1" (each part may be partial).

    A village given where its team is meant resolves to the team: a village has exactly one.
    """
    scope = [commune]
    parts = [part.strip() for part in query.replace(">", "/").replace("›", "/").split("/") if part.strip()]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        found: list[OrgUnit] = []
        for parent in scope:
            found.extend(await tree.find_units(session, part, within=parent))
        found = [u for u in found if u.id not in {p.id for p in scope}]
        if last:
            found = [await _as_kind(session, u, kind) for u in found]
            found = list({u.id: u for u in found if u is not None}.values())
            if kind is None:  # "Phúc Lâm" is the village, not also its team named after it
                found = [u for u in found if not any(u.path.startswith(o.path) and u.id != o.id for o in found)]
        if not found:
            raise CommandError(_("Không tìm thấy đơn vị “{query}”.").format(query=part))
        scope = found
    if len(scope) == 1:
        return scope[0]
    labels = [await unit_label(session, u) for u in scope[:10]]
    raise CommandError(_("“{query}” khớp nhiều đơn vị; ghi rõ hơn, ví dụ “Thôn / Nhóm”:").format(query=query)
                       + "\n" + "\n".join(f"  {label}" for label in labels))


async def _as_kind(session: AsyncSession, unit: OrgUnit, kind: UnitKind | None) -> OrgUnit | None:
    if kind is None or unit.kind == kind:
        return unit
    if unit.kind == UnitKind.VILLAGE and kind == UnitKind.TEAM:
        teams = await tree.children(session, unit, UnitKind.TEAM)
        return teams[0] if len(teams) == 1 else None
    return None
