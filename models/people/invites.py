"""Invite codes: how a volunteer's chat account is linked to a unit and a role."""

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import ROLE_UNIT_KIND, Role
from models.tables import InviteCode, OrgUnit

# No 0/O, 1/I/L: codes are read aloud and typed on phone keyboards. 31 symbols, 16 of them: 79 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


class InviteProblem(enum.Enum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    REVOKED = "revoked"


class WrongUnitKind(ValueError):
    """The role is not held at a unit of this kind (e.g. a member role on a commune)."""


@dataclass(frozen=True)
class NewInvite:
    invite: InviteCode
    code: str  # shown once; only its hash is stored


def normalize_code(text: str) -> str:
    """What the person typed, reduced to the code's symbols: case, spaces and dashes ignored."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    """Groups of four, easier to read out: ABCD-EFGH-JKMN-PQRS (also a valid Telegram payload)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def looks_like_code(text: str) -> bool:
    raw = normalize_code(text)
    return len(raw) == CODE_LENGTH and all(ch in ALPHABET for ch in raw)


async def create_invite(
    session: AsyncSession, unit: OrgUnit, role: Role, *, now: dt.datetime, valid_for: dt.timedelta,
    max_uses: int = 1, person_id: int | None = None, created_by_id: int | None = None,
    actor_label: str = "cli",
) -> NewInvite:
    if ROLE_UNIT_KIND[role] != unit.kind:
        raise WrongUnitKind(f"{role.value} is held at a {ROLE_UNIT_KIND[role].value}, not a {unit.kind.value}")
    if max_uses < 1:
        raise ValueError("max_uses must be at least 1")
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    invite = InviteCode(code_hash=hash_code(code), hint=code[-4:], unit_id=unit.id, role=role,
                        person_id=person_id, created_by_id=created_by_id, created_at=now,
                        expires_at=now + valid_for, max_uses=max_uses)
    session.add(invite)
    await session.flush()
    audit.record(session, "create_invite", "invite_code", invite.id, actor_id=created_by_id,
                 actor_label=actor_label, details={"unit_id": unit.id, "role": role.value,
                                                   "max_uses": max_uses, "hint": invite.hint})
    return NewInvite(invite=invite, code=format_code(code))


async def check_invite(session: AsyncSession, text: str, *, now: dt.datetime) -> InviteCode | InviteProblem:
    """The usable invite for what was typed, or why it cannot be used."""
    invite = await session.scalar(select(InviteCode).where(InviteCode.code_hash == hash_code(text)))
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.revoked_at is not None:
        return InviteProblem.REVOKED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    if invite.used_count >= invite.max_uses:
        return InviteProblem.USED_UP
    return invite


async def consume_invite(session: AsyncSession, invite: InviteCode) -> bool:
    """Counts one use atomically; False when a concurrent use took the last one."""
    result = await session.execute(
        update(InviteCode)
        .where(InviteCode.id == invite.id, InviteCode.used_count < InviteCode.max_uses)
        .values(used_count=InviteCode.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        await session.refresh(invite, ["used_count"])
        return True
    return False
