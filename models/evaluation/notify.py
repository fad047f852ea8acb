"""Sending a confirmed year: each team's scorecard to its leader and deputies, the ranking to the
khối dân vận group (or the people who make it up), through the outbox in the confirmation's own transaction (sent once)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, use_locale
from models import access
from models.enums import GroupPurpose
from models.evaluation.scoring import Evaluation
from models.evaluation.texts import card_text, ranking_text
from models.groups import posts
from models.outbox.enqueue import enqueue_for_people, payload
from models.tables import Membership, OrgUnit

KIND = "evaluation_result"


async def send_confirmed(session: AsyncSession, evaluation: Evaluation, *, now: dt.datetime, tz: ZoneInfo,
                         locale: str) -> tuple[int, int, int]:
    """(team leads, groups, people standing in for a group) the confirmed results were queued for."""
    key = f"evaluation:{evaluation.unit_id}:{evaluation.year}"
    rows = (await session.execute(
        select(Membership.unit_id, Membership.person_id)
        .where(Membership.unit_id.in_([c.team_id for c in evaluation.cards]), Membership.ended_at.is_(None),
               access.role_in(Membership.role, access.TOLD_RESULT)))).all()
    leaders: dict[int, list[int]] = {}
    for team_id, person_id in rows:
        leaders.setdefault(team_id, []).append(person_id)
    people = 0
    for card in evaluation.cards:
        def body(person_locale: str | None, card=card) -> dict:  # noqa: ANN001 (bound per team)
            with use_locale(person_locale or locale):
                return payload(_("✅ Kết quả đánh giá, xếp loại đã được xác nhận.") + "\n" + card_text(card, evaluation))
        people += len(await enqueue_for_people(session, leaders.get(card.team_id, []), key=f"{key}:t{card.team_id}",
                                               kind=KIND, body=body, now=now, tz=tz))

    def ranking(person_locale: str | None) -> dict:
        with use_locale(person_locale or locale):
            return payload(_("✅ Kết quả đánh giá, xếp loại đã được xác nhận.") + "\n" + ranking_text(evaluation))

    # The khối dân vận group, or with none that can take it the people who make it up (models.groups.posts).
    commune = await session.get(OrgUnit, evaluation.unit_id)
    posted = await posts.post(session, commune, GroupPurpose.KHOI_DAN_VAN, key=key, kind=KIND, body=ranking,
                              now=now, tz=tz)
    return people, posted.groups, posted.people
