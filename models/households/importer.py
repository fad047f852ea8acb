"""Household import: the households each nhóm serves and the member who looks after each.

The roster comes first: villages and nhóm must exist, and the assigned member must hold a role
in the household's nhóm. Households are matched by their code when the file has one, else by
village, head of household and address; those missing from the file are left as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models import audit
from models.campaigns import attributes
from models.enums import UnitKind
from models.roster.rows import (
    Column,
    ErrorList,
    ImportReport,
    SourceRow,
    check_length,
    default_headers,
    import_phone,
)
from models.tables import Household, Membership, OrgUnit, Person
from models.units.tree import descendants

HOUSEHOLD_COLUMNS = (
    Column("code", "Mã hộ", ("Mã", "Code", "Household code")),
    Column("head_name", "Chủ hộ", ("Họ tên chủ hộ", "Tên chủ hộ", "Head of household"), required=True),
    Column("address", "Địa chỉ", ("Address",)),
    Column("phone", "Số điện thoại", ("Điện thoại", "SĐT", "ĐT", "Phone", "Phone number")),
    Column("village", "Thôn/Tổ dân phố", ("Thôn", "Tổ dân phố", "Thôn/TDP", "Village"), required=True),
    Column("nhom", "Nhóm", ("Tên nhóm", "Group"), required=True),
    Column("assigned", "Người phụ trách", ("Phụ trách", "Thành viên phụ trách", "Assigned member")),
)
_PREFIXES = ("thon ", "to dan pho ", "tdp ", "khu pho ", "ban ", "ap ", "xom ", "lang ", "nhom ")


@dataclass(frozen=True, slots=True)
class _Planned:
    row: int
    code: str | None
    values: dict[str, object]  # Household attributes the row sets
    extra: Mapping[str, str] = field(default_factory=dict)  # the file's other columns ("Chưa có BHYT")


def _bare(key: str) -> str:
    """"thon dong tam" → "dong tam", so a file may write a village or nhóm without its prefix."""
    return next((key[len(p):] for p in _PREFIXES if key.startswith(p)), key)


def _pick(units: Sequence[OrgUnit], text: str) -> OrgUnit | None:
    key = fold(text)
    exact = [u for u in units if u.name_key == key]
    loose = [u for u in units if _bare(u.name_key) == _bare(key)]
    return exact[0] if exact else loose[0] if len(loose) == 1 else None


class _Commune:
    """The commune's villages, nhóm and nhóm members, loaded once for checking every row."""

    def __init__(self, tree: Sequence[OrgUnit], members: Sequence[tuple[int, Person]]) -> None:
        self.children: dict[int | None, list[OrgUnit]] = defaultdict(list)
        for unit in tree:
            self.children[unit.parent_id].append(unit)
        self.members: dict[int, list[Person]] = defaultdict(list)
        for unit_id, person in members:
            if all(p.id != person.id for p in self.members[unit_id]):
                self.members[unit_id].append(person)

    def nhom_units(self, village: OrgUnit) -> list[OrgUnit]:
        teams = [u for u in self.children[village.id] if u.kind == UnitKind.TEAM]
        return [n for t in teams for n in self.children[t.id] if n.kind == UnitKind.NHOM]


async def _load(session: AsyncSession, commune: OrgUnit) -> _Commune:
    members = await session.execute(
        select(Membership.unit_id, Person).join(Person, Membership.person_id == Person.id)
        .join(OrgUnit, Membership.unit_id == OrgUnit.id)
        .where(OrgUnit.kind == UnitKind.NHOM, OrgUnit.path.startswith(commune.path),
               Membership.ended_at.is_(None)).order_by(Person.id))
    return _Commune(await descendants(session, commune), [(u, p) for u, p in members])


def _check_row(row: SourceRow, commune: OrgUnit, tree: _Commune, errors: ErrorList) -> _Planned | None:
    before = len(errors.errors)
    code = check_length(errors, row, "code", 32) or None
    head = check_length(errors, row, "head_name", 120)
    address = check_length(errors, row, "address", 255)
    for key in ("head_name", "village", "nhom"):
        if not row.get(key):
            errors.add(row.number, key, "required")
    phone = import_phone(row.get("phone")) if row.get("phone") else None
    if row.get("phone") and phone is None:
        errors.add(row.number, "phone", "bad_phone", row.get("phone"))
    villages = [u for u in tree.children[commune.id] if u.kind == UnitKind.VILLAGE]
    village = _pick(villages, row.get("village")) if row.get("village") else None
    nhom = _pick(tree.nhom_units(village), row.get("nhom")) if village and row.get("nhom") else None
    if row.get("village") and village is None:
        errors.add(row.number, "village", "unknown_village", row.get("village"))
    elif village and row.get("nhom") and nhom is None:
        errors.add(row.number, "nhom", "unknown_nhom", row.get("nhom"))
    assigned: Person | None = None
    if nhom and (wanted := row.get("assigned")):
        members = tree.members[nhom.id]
        wanted_phone = import_phone(wanted) if not any(c.isalpha() for c in wanted) else None
        found = [p for p in members if p.phone == wanted_phone] if wanted_phone else \
            [p for p in members if p.name_key == fold(wanted)]
        if len(found) == 1:
            assigned = found[0]
        else:
            errors.add(row.number, "assigned", "ambiguous_member" if found else "unknown_member", wanted)
    if len(errors.errors) > before or village is None or nhom is None:
        return None
    values: dict[str, object] = {"village_id": village.id, "nhom_id": nhom.id, "head_name": head,
                                 "name_key": fold(head), "address_key": fold(address), "active": True}
    # A blank optional cell keeps what is stored (a phone added through the bot is not wiped).
    values |= {k: v for k, v in (("code", code), ("address", address), ("phone", phone),
                                 ("assigned_member_id", assigned.id if assigned else None)) if v}
    return _Planned(row.number, code, values, row.extra)


def _natural_key(values: Mapping[str, object]) -> tuple[object, ...]:
    return values["village_id"], values["name_key"], values["address_key"]


async def import_households(
    session: AsyncSession, commune: OrgUnit, rows: Sequence[SourceRow], *, now: dt.datetime,
    headers: Mapping[str, str] | None = None, actor_label: str = "import",
) -> ImportReport:
    """Applies the whole file or raises ImportRejected having written nothing."""
    errors = ErrorList({**default_headers(HOUSEHOLD_COLUMNS), **(headers or {})})
    tree = await _load(session, commune)
    planned = [p for row in rows if (p := _check_row(row, commune, tree, errors)) is not None]
    stored = (await session.scalars(select(Household).where(Household.commune_id == commune.id)
                                    .order_by(Household.code.is_not(None), Household.id))).all()
    by_code = {h.code: h for h in stored if h.code}
    by_natural: dict[tuple[object, ...], Household] = {}
    for household in stored:
        by_natural.setdefault((household.village_id, household.name_key, household.address_key), household)
    first_row: dict[object, int] = {}
    coded_only: set[tuple[object, ...]] = set()  # natural keys so far seen only on rows with a code
    matches: list[tuple[_Planned, Household | None]] = []
    for plan in planned:
        code, natural_key = plan.code, _natural_key(plan.values)
        if code and ("code", code) in first_row:
            errors.add(plan.row, "code", "duplicate_code", code)
            continue
        # Two rows with the same head and address are one household twice, unless both carry a code.
        if natural_key in first_row and not (code and natural_key in coded_only):
            errors.add(plan.row, None, "duplicate_row", str(first_row[natural_key]))
            continue
        first_row.setdefault(natural_key, plan.row)
        if code:
            first_row[("code", code)] = plan.row
            if first_row[natural_key] == plan.row:
                coded_only.add(natural_key)
        else:
            coded_only.discard(natural_key)
        natural = by_natural.get(natural_key)
        match = by_code.get(code) if code else natural
        if code and match is None and natural is not None and natural.code is None:
            match = natural  # a code added to a household first imported without one
        if match is not None and ("id", match.id) in first_row:
            errors.add(plan.row, None, "duplicate_row", str(first_row[("id", match.id)]))
            continue
        if match is not None:
            first_row[("id", match.id)] = plan.row
        matches.append((plan, match))
    errors.raise_if_any()

    report = ImportReport("households", len(rows))
    kept: list[tuple[Household, _Planned]] = []
    for plan, match in matches:
        if match is None:
            created = Household(commune_id=commune.id, created_at=now, updated_at=now, **plan.values)
            session.add(created)
            kept.append((created, plan))
            report.counts["households_created"] += 1
            continue
        kept.append((match, plan))
        changed = [k for k, v in plan.values.items() if getattr(match, k) != v]
        for attr in changed:
            setattr(match, attr, plan.values[attr])
        report.counts["households_updated" if changed else "households_unchanged"] += 1
    matched = {h.id for _, h in matches if h is not None}
    report.counts["not_in_file"] = sum(1 for h in stored if h.id not in matched and h.active)
    await session.flush()
    if any(plan.extra for _household, plan in kept):  # a file with other columns replaces what they said
        report.counts["attributes"] = await attributes.store(session, [(h.id, p.extra) for h, p in kept])
    audit.record(session, "import_households", "org_unit", commune.id, actor_label=actor_label,
                 details={"rows": report.rows, **report.counts})
    return report
