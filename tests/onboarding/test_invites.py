"""Invite codes: unguessable, stored only as a hash, limited in time and uses."""

import datetime as dt
import math
import re

import pytest
from sqlalchemy import select

from models.enums import Role, UnitKind
from models.people import invites
from models.people.invites import InviteProblem
from models.tables import InviteCode
from tests.house.test_models import build_tree

NOW = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


def test_codes_carry_at_least_64_random_bits():
    assert invites.CODE_LENGTH * math.log2(len(set(invites.ALPHABET))) >= 64


async def test_invite_is_a_valid_deep_link_payload_and_only_its_hash_is_stored(session):
    *_, nhom = await build_tree(session)
    new = await invites.create_invite(session, nhom, Role.MEMBER, now=NOW, valid_for=dt.timedelta(days=7))
    await session.commit()
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", new.code)
    stored = await session.scalar(select(InviteCode))
    assert invites.normalize_code(new.code) not in (stored.code_hash, stored.hint * 4)
    assert stored.code_hash == invites.hash_code(new.code)
    assert stored.expires_at == NOW + dt.timedelta(days=7)
    other = await invites.create_invite(session, nhom, Role.MEMBER, now=NOW, valid_for=dt.timedelta(days=7))
    assert other.code != new.code


async def test_check_accepts_typed_variants_and_refuses_bad_codes(session):
    *_, team, nhom = await build_tree(session)
    new = await invites.create_invite(session, team, Role.TEAM_LEADER, now=NOW,
                                      valid_for=dt.timedelta(days=1), max_uses=2)
    await session.commit()
    typed = " " + new.code.lower().replace("-", " ") + " "
    found = await invites.check_invite(session, typed, now=NOW)
    assert isinstance(found, InviteCode) and found.role == Role.TEAM_LEADER
    assert invites.looks_like_code(typed)
    assert await invites.check_invite(session, "AAAA-BBBB-CCCC-DDDD", now=NOW) is InviteProblem.UNKNOWN
    assert await invites.check_invite(session, new.code, now=NOW + dt.timedelta(days=2)) is InviteProblem.EXPIRED
    assert await invites.consume_invite(session, found)
    assert await invites.consume_invite(session, found)
    assert not await invites.consume_invite(session, found)
    await session.commit()
    assert await invites.check_invite(session, new.code, now=NOW) is InviteProblem.USED_UP


async def test_role_must_fit_the_unit(session):
    _, commune, village, team, nhom = await build_tree(session)
    with pytest.raises(invites.WrongUnitKind):
        await invites.create_invite(session, commune, Role.MEMBER, now=NOW, valid_for=dt.timedelta(days=1))
    assert nhom.kind == UnitKind.NHOM
