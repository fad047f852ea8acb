"""Who each roster row is: a person found by phone, else by name among the commune's people.

A phone is globally unique, so it wins; a name is only trusted inside one commune, and only when
it names exactly one person there. Conflicts are row errors, found before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.roster.rows import ErrorList, ImportReport
from models.tables import OrgUnit, Person

FileKey = tuple[str, str]  # ("phone", "09…") or ("name", folded name)


class NamedRow(Protocol):
    """What matching needs of a checked roster row: where it is, and whom it names."""

    @property
    def row(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def phone(self) -> str | None: ...


@dataclass
class FilePerson:
    key: FileKey
    name: str
    phone: str | None
    row: int
    target: Person | None = None


class RosterPeople:
    """The distinct people of a file and the existing Person each one is (None: a new person)."""

    def __init__(self, name_phone: dict[str, str]) -> None:
        self.name_phone = name_phone  # folded name → the one phone the file gives that name
        self.by_key: dict[FileKey, FilePerson] = {}

    def key_of(self, entry: NamedRow) -> FileKey:
        """A row without a phone is the person another row gives a phone under the same name."""
        phone = entry.phone or self.name_phone.get(fold(entry.name))
        return ("phone", phone) if phone else ("name", fold(entry.name))

    async def apply(self, session: AsyncSession, commune: OrgUnit, report: ImportReport) -> dict[FileKey, Person]:
        """Creates the new people and updates only what differs, so a repeat leaves updated_at alone."""
        result = {}
        for fp in self.by_key.values():
            person = fp.target
            if person is None:
                person = Person(full_name=fp.name, name_key=fold(fp.name), phone=fp.phone, commune_id=commune.id)
                session.add(person)
                report.counts["people_created"] += 1
            else:
                wanted: dict[str, object] = {"full_name": fp.name, "name_key": fold(fp.name),
                                             "commune_id": commune.id}
                if fp.phone:  # a row without a phone never clears a known one
                    wanted["phone"] = fp.phone
                changed = [attr for attr, value in wanted.items() if getattr(person, attr) != value]
                for attr in changed:
                    setattr(person, attr, wanted[attr])
                report.counts["people_updated"] += bool(changed)
            result[fp.key] = person
        await session.flush()
        return result


async def resolve_people(
    session: AsyncSession, commune: OrgUnit, entries: Sequence[NamedRow], errors: ErrorList
) -> RosterPeople:
    phone_name: dict[str, str] = {}
    name_phone: dict[str, str] = {}
    for entry in entries:
        if entry.phone is None:
            continue
        if phone_name.setdefault(entry.phone, fold(entry.name)) != fold(entry.name):
            errors.add(entry.row, "name", "conflicting_name", entry.name)
        if name_phone.setdefault(fold(entry.name), entry.phone) != entry.phone:
            errors.add(entry.row, "phone", "conflicting_phone", entry.phone)
    people = RosterPeople(name_phone)
    for entry in entries:
        key = people.key_of(entry)
        if key not in people.by_key:
            people.by_key[key] = FilePerson(key, entry.name, key[1] if key[0] == "phone" else None, entry.row)

    phones = set(phone_name)
    by_phone = {p.phone: p for p in await session.scalars(select(Person).where(Person.phone.in_(phones)))} \
        if phones else {}
    by_name: dict[str, list[Person]] = defaultdict(list)
    names = {fold(fp.name) for fp in people.by_key.values()}
    for known in await session.scalars(select(Person).where(Person.commune_id == commune.id,
                                                            Person.name_key.in_(names)).order_by(Person.id)):
        # Someone whose phone is in the file is that row's person, not a candidate for a name.
        if known.phone is None or known.phone not in phones:
            by_name[known.name_key].append(known)

    claimed: set[int] = set()
    for fp in people.by_key.values():
        person: Person | None
        if fp.phone is not None and fp.phone in by_phone:
            person = by_phone[fp.phone]
            if person.commune_id not in (None, commune.id):
                errors.add(fp.row, "phone", "phone_in_other_commune", fp.phone)
                continue
        else:
            candidates = by_name.get(fold(fp.name), [])
            if len(candidates) > 1:
                errors.add(fp.row, "name", "ambiguous_person", fp.name)
                continue
            person = candidates[0] if candidates else None
        if person is not None:
            if person.id in claimed:
                errors.add(fp.row, "name", "ambiguous_person", fp.name)
                continue
            claimed.add(person.id)
        fp.target = person
    return people
