"""Telling leaders when a campaign reaches its target and when a week is left: once each, through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import use_locale
from models.access import role_in
from models.access.campaigns import TOLD_OF_CAMPAIGN_AT_COMMUNE, TOLD_OF_CAMPAIGN_AT_TEAM
from models.campaigns import progress
from models.campaigns.texts import target_reached_text, week_left_text
from models.enums import UnitKind
from models.outbox.enqueue import enqueue_for_people, payload
from models.tables import Campaign, Membership, OrgUnit

WEEK = dt.timedelta(days=7)


async def leaders_of(session: AsyncSession, campaign: Campaign) -> set[int]:
    """The commune's leads for a commune's campaign, the village team's leads for a village's; and its author."""
    found = await session.scalars(
        select(Membership.person_id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.ended_at.is_(None), or_(
            and_(OrgUnit.id == campaign.scope_unit_id, OrgUnit.kind == UnitKind.COMMUNE,
                 role_in(Membership.role, TOLD_OF_CAMPAIGN_AT_COMMUNE)),
            and_(OrgUnit.parent_id == campaign.scope_unit_id, OrgUnit.kind == UnitKind.TEAM,
                 role_in(Membership.role, TOLD_OF_CAMPAIGN_AT_TEAM)))))
    return {*found, campaign.created_by}


async def due_alerts(session: AsyncSession, *, now: dt.datetime, tz: ZoneInfo) -> int:
    """Every running campaign's due notices, enqueued and marked in the same transaction; how many people."""
    today = now.astimezone(tz).date()
    campaigns = list(await session.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today,
                               or_(Campaign.target_told_at.is_(None), Campaign.week_left_told_at.is_(None)))
        .order_by(Campaign.id)))
    totals = await progress.totals(session, [c.id for c in campaigns])
    added = 0
    for campaign in campaigns:
        counts = totals.get(campaign.id)
        if counts is None:
            continue
        due: list[tuple[str, Any]] = []
        if campaign.target_told_at is None and counts.reached(campaign.target_percent):
            campaign.target_told_at = now
            due.append(("target", target_reached_text))
        if campaign.week_left_told_at is None and campaign.ends_on - today <= WEEK:
            campaign.week_left_told_at = now
            if not counts.reached(campaign.target_percent):  # reached: the leaders know, nothing to chase
                due.append(("week", week_left_text))
        if not due:
            continue
        people = await leaders_of(session, campaign)
        for name, text in due:
            def body(locale: str | None, text: Any = text, campaign: Campaign = campaign) -> dict[str, Any]:
                with use_locale(locale):
                    return payload(text(campaign, counts), [(f"cp:{campaign.id}", "📣 " + campaign.name[:50])])
            added += len(await enqueue_for_people(session, people, key=f"campaign:{campaign.id}:{name}",
                                                  kind=f"campaign_{name}", body=body, now=now, tz=tz))
    return added
