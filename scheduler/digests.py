"""The monthly digest job: on the 1st, last month's digests to the leaders and groups that receive them.

Each village's digest goes to its team leader, deputies and chi bộ secretary and to its chi bộ
group; the commune's, villages side by side, to the khối dân vận head, the commune secretary and
the khối dân vận group. Due from 07:00 on the 1st (late entries of the last evening are in) until
the 7th: a process that was down on the 1st sends them when it comes back; after a week the
month is old news and /tonghop is there.

Every message is keyed `digest:{month}:c{commune}:u{unit}` plus the person or the group. A run
first reads which of those keys the outbox already holds and computes only the units someone
still waits for: a second run reads three small results per commune and enqueues nothing, and a
leader who links an app on the 3rd still gets the month's digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, current_locale, use_locale
from models.digests import media
from models.digests.audience import audience, enqueued_keys
from models.digests.compute import (
    CommuneDigest,
    VillageDigest,
    commune_digest,
    period_key,
    previous_month,
    village_digests,
)
from models.digests.texts import commune_text, period_text, village_text
from models.evaluation.running import digest_scores
from models.evaluation.texts import digest_line
from models.households import stale
from models.outbox.enqueue import enqueue, enqueue_for_person, outside_quiet_hours, payload
from models.tables import OrgUnit
from models.units import tree
from reports.tables import Table

SEND_AT = dt.time(7, 0)
CATCH_UP_DAYS = 7


def due_month(now: dt.datetime, tz: ZoneInfo) -> tuple[dt.date, dt.date] | None:
    """The month whose digests are due at `now`: the previous one, from 07:00 on the 1st to the 7th."""
    local = now.astimezone(tz)
    if local.day > CATCH_UP_DAYS or (local.day == 1 and local.time() < SEND_AT):
        return None
    return previous_month(local.date())


async def digest_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo,
                      default_locale: str | None = None) -> int:
    """One pass over every commune, a transaction each; how many messages were enqueued.

    Groups and people without a language get `default_locale` (by default the caller's current
    one: `scheduler.app.run_job` sets DEFAULT_LOCALE).
    """
    period = due_month(now, tz)
    if period is None:
        return 0
    async with sessions() as session:
        commune_ids = [c.id for c in await tree.communes(session)]
    added = 0
    for commune_id in commune_ids:
        async with sessions() as session:
            commune = await session.get(OrgUnit, commune_id)
            added += await _commune_round(session, commune, period, now, tz, default_locale or current_locale())
            await session.commit()
    return added


async def _commune_round(session: AsyncSession, commune: OrgUnit, period: tuple[dt.date, dt.date],
                         now: dt.datetime, tz: ZoneInfo, default_locale: str) -> int:
    start, end = period
    prefix = f"digest:{period_key(start)}:c{commune.id}:"
    receivers = await audience(session, commune)
    sent = await enqueued_keys(session, prefix)
    due = {unit for unit, people in receivers.people.items() if any(f"{prefix}u{unit}:p{p.id}" not in sent
                                                                    for p in people)}
    due |= {unit for unit, groups in receivers.groups.items() if any(f"{prefix}u{unit}:g{g.id}" not in sent
                                                                     for g in groups)}
    due |= {unit for unit, people in receivers.stand_ins.items() if any(f"{prefix}u{unit}:p{p.id}" not in sent
                                                                        for p in people)}
    if not due:
        return 0
    whole: CommuneDigest | None = None
    if commune.id in due:
        whole = await commune_digest(session, commune.id, start, end, tz)
        villages = {v.village_id: v for v in whole.villages}
    else:
        villages = await village_digests(session, commune.id, start, end, tz)
    # Each team's running evaluation, one line of its village's digest.
    evaluation, cards = await digest_scores(session, commune, end, tz)
    added = 0
    for unit_id in sorted(due):
        digest = whole if unit_id == commune.id else villages.get(unit_id)
        if digest is None:
            continue
        card = cards.get(unit_id)
        round_ = _Round(session, digest, f"{prefix}u{unit_id}", now, tz,
                        (lambda card=card: digest_line(card, evaluation)) if card is not None else None)
        for person in receivers.people.get(unit_id, []):
            if f"{round_.key}:p{person.id}" not in sent:
                body = await round_.body(person.locale or default_locale, names=True)
                added += await enqueue_for_person(session, person, key=round_.key, kind="digest", body=body,
                                                  now=now, tz=tz)
        for person in receivers.stand_ins.get(unit_id, []):  # the group's copy: no household names
            if f"{round_.key}:p{person.id}" not in sent:
                body = await round_.body(person.locale or default_locale, names=False)
                added += await enqueue_for_person(session, person, key=round_.key, kind="digest", body=body,
                                                  now=now, tz=tz)
        if any(f"{round_.key}:g{g.id}" not in sent for g in receivers.groups.get(unit_id, [])):
            body = await round_.body(default_locale, names=False)
            for group in receivers.groups[unit_id]:
                added += await enqueue(session, key=f"{round_.key}:g{group.id}", channel=group.channel,
                                       chat_id=group.chat_id, kind="digest", body=body,
                                       not_before=outside_quiet_hours(now, tz))
    return added


class _Round:
    """One unit's digest in each language asked for; the chart and spreadsheet made once per language."""

    def __init__(self, session: AsyncSession, digest: CommuneDigest | VillageDigest, key: str, now: dt.datetime,
                 tz: ZoneInfo, score: Callable[[], str] | None = None) -> None:
        self.session, self.digest, self.key, self.now, self.tz = session, digest, key, now, tz
        self.score = score  # the team's evaluation line, worded in the language being written
        self.files: dict[tuple[str, bool], tuple[int | None, int]] = {}

    async def _stale(self, names: bool) -> Table | None:
        """The village's households not visited for 60 days, for readers who may read names (not groups)."""
        if not names:
            return None
        village = await self.session.get(OrgUnit, self.digest.village_id)
        return stale.stale_table(await stale.every(self.session, [village], self.digest.end - dt.timedelta(days=1)))

    async def body(self, locale: str, *, names: bool) -> dict:
        with use_locale(locale):
            commune_wide = isinstance(self.digest, CommuneDigest)
            text = commune_text(self.digest) if commune_wide else village_text(
                self.digest, self.tz, names=names, score=self.score() if self.score else None)
            if (locale, names) not in self.files:
                made = (media.commune_media(self.digest) if commune_wide
                        else media.village_media(self.digest, await self._stale(names)))
                self.files[locale, names] = await media.store(self.session, made, self.now)
            photo_id, document_id = self.files[locale, names]
            return payload(text + "\n\n" + _("📎 Bảng số liệu {period} kèm theo.").format(
                period=period_text(self.digest.start, self.digest.end)),
                photo_attachment=photo_id, document_attachment=document_id)
