"""Every conversation flow by name (the name is what the database keeps for a chat)."""

from handlers.broadcasts import compose, delivery_report
from handlers.campaigns import (
    new_campaign,
    record,
    screens as campaign_screens,  # noqa: F401  (registers the campaign buttons)
)
from handlers.concerns import (
    detail,  # noqa: F401  (registers /pa)
    follow_up,
    inbox,
    new_concern,
    passing_on,  # noqa: F401  (registers the “✅ Đã báo cho hộ” button)
    time_limits,
)
from handlers.dan_van_kheo import propose, review
from handlers.deadlines import reports_due
from handlers.digests import on_demand  # noqa: F401  (registers /tonghop)
from handlers.engine.flow import Flow
from handlers.evaluation import closing, hand_scores, view  # noqa: F401  (view registers the "ev:" buttons)
from handlers.groups import where  # noqa: F401  (registers /ganket in a private chat)
from handlers.households import reassign, stale
from handlers.meetings import answers, leader
from handlers.menu import language, mute
from handlers.onboarding import join
from handlers.reports import fields as report_fields, official
from handlers.surveys import answer as survey_answer, author as survey_author
from handlers.visits import log_visit

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (
    join.FLOW, log_visit.FLOW, new_concern.FLOW, language.FLOW, reports_due.FLOW, mute.FLOW,
    leader.FLOW, answers.FLOW, compose.FLOW, delivery_report.FLOW,
    inbox.FLOW, follow_up.FLOW, time_limits.FLOW, reassign.FLOW, stale.FLOW, official.FLOW, hand_scores.FLOW,
    closing.FLOW, new_campaign.FLOW, record.FLOW, propose.FLOW, review.FLOW, report_fields.FLOW,
    survey_answer.FLOW, survey_author.FLOW,
)}
