"""Roster import: a commune's villages, teams and nhóm, and who holds which role in them.

Every row is checked before anything is written, so a file is applied whole or not at all.
Re-importing the same file writes nothing; a person left out of an edited file loses only the
roles an earlier import gave them (the roster change, *kiện toàn*), never roles from invites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models import audit
from models.enums import ROLE_UNIT_KIND, Role, UnitKind, role_from_text
from models.roster.people import FileKey, resolve_people
from models.roster.removals import after_roles_ended
from models.roster.rows import (
    Column,
    ErrorList,
    ImportReport,
    SourceRow,
    check_length,
    default_headers,
    import_phone,
)
from models.tables import Membership, OrgUnit
from models.units.tree import add_unit, get_or_add_child

ROSTER_COLUMNS = (
    Column("village", "Thôn/Tổ dân phố", ("Thôn", "Tổ dân phố", "Thôn/TDP", "Village"), required=True),
    Column("team", "Tổ Dân vận", ("Tổ Dân vận cộng đồng", "Tên tổ", "Team")),
    Column("nhom", "Nhóm", ("Tên nhóm", "Group")),
    Column("name", "Họ và tên", ("Họ tên", "Tên", "Full name", "Name"), required=True),
    Column("phone", "Số điện thoại", ("Điện thoại", "SĐT", "ĐT", "Phone", "Phone number"),),
    Column("role", "Vai trò", ("Chức vụ", "Role"), required=True),
)
TEAM_PREFIX = "Tổ Dân vận cộng đồng"
# (folded prefix, division type as written); the first match wins, the default is "thôn".
_DIVISIONS = (("to dan pho", "tổ dân phố"), ("tdp", "tổ dân phố"), ("khu pho", "khu phố"),
              ("thon", "thôn"), ("ban", "bản"), ("ap", "ấp"), ("xom", "xóm"), ("lang", "làng"))


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One valid row: a person holding a role at a unit named by village / nhóm."""

    row: int
    village: str
    team: str
    nhom: str
    name: str
    phone: str | None
    role: Role

    @property
    def unit_kind(self) -> UnitKind:
        return ROLE_UNIT_KIND[self.role]

    def unit_key(self) -> tuple[str, ...]:
        kind = self.unit_kind
        if kind == UnitKind.COMMUNE:
            return (kind,)
        return (kind, fold(self.village), fold(self.nhom) if kind == UnitKind.NHOM else "")


def division_type(village: str) -> str:
    key = fold(village)
    return next((label for prefix, label in _DIVISIONS if key == prefix or key.startswith(prefix + " ")), "thôn")


def default_team_name(village: str) -> str:
    """"Tổ Dân vận cộng đồng thôn Đồng Tâm": the division word lower-cased inside the name."""
    first = village.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and fold(first) in {p for p, _ in _DIVISIONS}:
        village = village[0].lower() + village[1:]
    return f"{TEAM_PREFIX} {village}"


def parse_rows(rows: Sequence[SourceRow], errors: ErrorList) -> list[RosterEntry]:
    """Rows checked one by one; those with an error are reported and left out."""
    entries = []
    teams: dict[str, tuple[str, int]] = {}  # folded village → (folded team name, first row)
    for row in rows:
        before = len(errors.errors)
        village, team, nhom = (check_length(errors, row, k, 200) for k in ("village", "team", "nhom"))
        name = check_length(errors, row, "name", 120)
        if not name:
            errors.add(row.number, "name", "required")
        role: Role | None = None
        if not row.get("role"):
            errors.add(row.number, "role", "required")
        elif (role := role_from_text(row.get("role"))) is None:
            errors.add(row.number, "role", "unknown_role", row.get("role"))
        phone = import_phone(row.get("phone")) if row.get("phone") else None
        if row.get("phone") and phone is None:
            errors.add(row.number, "phone", "bad_phone", row.get("phone"))
        kind = ROLE_UNIT_KIND[role] if role else None
        if kind not in (None, UnitKind.COMMUNE) and not village:
            errors.add(row.number, "village", "village_required")
        if kind == UnitKind.NHOM and not nhom:
            errors.add(row.number, "nhom", "nhom_required")
        if team and village and kind != UnitKind.COMMUNE:
            first = teams.setdefault(fold(village), (fold(team), row.number))
            if first[0] != fold(team):
                errors.add(row.number, "team", "conflicting_team", team)
        if len(errors.errors) == before and role is not None:
            entries.append(RosterEntry(row.number, village, team, nhom, name, phone, role))
    return entries


async def import_roster(
    session: AsyncSession, commune: OrgUnit, rows: Sequence[SourceRow], *, now: dt.datetime,
    headers: Mapping[str, str] | None = None, actor_label: str = "import", tz: ZoneInfo | None = None,
    default_locale: str = "vi",
) -> ImportReport:
    """Applies the whole file or raises ImportRejected having written nothing.

    The households of a person whose roles ended are released; with `tz` the person and their
    team's leaders are told (`models/roster/removals.py`)."""
    errors = ErrorList({**default_headers(ROSTER_COLUMNS), **(headers or {})})
    if not rows:  # an empty roster would end every imported role in the commune
        errors.add(1, None, "no_rows")
    entries = parse_rows(rows, errors)
    people = await resolve_people(session, commune, entries, errors)
    seen: dict[tuple[FileKey, tuple[str, ...], Role], int] = {}
    for entry in entries:
        row_key = (people.key_of(entry), entry.unit_key(), entry.role)
        if row_key in seen:
            errors.add(entry.row, None, "duplicate_row", str(seen[row_key]))
        seen.setdefault(row_key, entry.row)
    errors.raise_if_any()

    report = ImportReport("roster", len(rows))
    team_names: dict[str, str] = {}  # folded village → the team name the file gives, on any row
    for entry in entries:
        if entry.team:
            team_names.setdefault(fold(entry.village), entry.team)
    units = _UnitCache(session, commune, report, team_names)
    persons = await people.apply(session, commune, report)
    existing = {(m.person_id, m.unit_id, m.role): m for m in await session.scalars(
        select(Membership).join(OrgUnit, Membership.unit_id == OrgUnit.id)
        .where(OrgUnit.path.startswith(commune.path)))}
    wanted: set[tuple[int, int, Role]] = set()
    for entry in entries:
        unit = await units.for_entry(entry)
        key = (persons[people.key_of(entry)].id, unit.id, entry.role)
        if key in wanted:
            continue
        wanted.add(key)
        membership = existing.get(key)
        if membership is None:
            membership = Membership(person_id=key[0], unit_id=key[1], role=entry.role, source="import",
                                    started_at=now)
            session.add(membership)
            existing[key] = membership
            report.counts["memberships_added"] += 1
        elif membership.ended_at is not None:
            # The file says the role is held again: it is the roster's to end next time.
            membership.ended_at = None
            if membership.source != "import":
                membership.source = "import"
            report.counts["memberships_added"] += 1
        else:
            report.counts["memberships_unchanged"] += 1
    ended = []
    for key, membership in existing.items():
        if key not in wanted and membership.source == "import" and membership.ended_at is None:
            membership.ended_at = now
            ended.append(membership)
            report.counts["memberships_ended"] += 1
    await session.flush()
    released = await after_roles_ended(session, commune, ended, now=now, tz=tz, default_locale=default_locale)
    if released:
        report.counts["households_released"] += released
    audit.record(session, "import_roster", "org_unit", commune.id, actor_label=actor_label,
                 details={"rows": report.rows, **report.counts})
    return report


class _UnitCache:
    """Villages, teams and nhóm looked up (or created) once per import, by folded name."""

    def __init__(self, session: AsyncSession, commune: OrgUnit, report: ImportReport,
                 team_names: dict[str, str]) -> None:
        self.session, self.commune, self.report, self.team_names = session, commune, report, team_names
        self.cache: dict[tuple[str, ...], OrgUnit] = {}

    async def for_entry(self, entry: RosterEntry) -> OrgUnit:
        kind = entry.unit_kind
        if kind == UnitKind.COMMUNE:
            return self.commune
        village = await self._get(("village", fold(entry.village)), self.commune, UnitKind.VILLAGE,
                                  entry.village, division_type(entry.village))
        if kind == UnitKind.VILLAGE:
            return village
        team = await self._team(village, self.team_names.get(fold(entry.village), ""))
        if kind == UnitKind.TEAM:
            return team
        return await self._get(("nhom", fold(entry.village), fold(entry.nhom)), team, UnitKind.NHOM, entry.nhom)

    async def _get(self, key: tuple[str, ...], parent: OrgUnit, kind: UnitKind, name: str,
                   division: str | None = None) -> OrgUnit:
        if key not in self.cache:
            unit, created = await get_or_add_child(self.session, parent, kind, name, division_type=division)
            self.cache[key] = unit
            self.report.counts[f"{kind.value}_created"] += created
        return self.cache[key]

    async def _team(self, village: OrgUnit, name: str) -> OrgUnit:
        """The village's one team: renamed when the file names it differently, created if missing."""
        key = ("team", village.name_key)
        if key in self.cache:
            return self.cache[key]
        team = await self.session.scalar(select(OrgUnit).where(
            OrgUnit.parent_id == village.id, OrgUnit.kind == UnitKind.TEAM).order_by(OrgUnit.id).limit(1))
        if team is None:
            team = await add_unit(self.session, UnitKind.TEAM, name or default_team_name(village.name), village)
            self.report.counts["team_created"] += 1
        elif name and name != team.name:
            team.name, team.name_key = name, fold(name)
        self.cache[key] = team
        return team
