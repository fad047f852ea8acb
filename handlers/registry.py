"""Every conversation flow by name (the name is what the database keeps for a chat)."""

from handlers import (
    broadcast, broadcast_report, concern, deadlines, language, meeting_admin, meetings, mute, onboarding, visit,
)
from handlers import digest  # noqa: F401  (registers /tonghop)
from handlers import concern_loop  # noqa: F401  (registers the “✅ Đã báo cho hộ” button)
from handlers import concern_actions, concern_detail, concern_inbox  # noqa: F401  (concern_detail registers /pa)
from handlers import concern_rules
from handlers.flow import Flow

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (
    onboarding.FLOW, visit.FLOW, concern.FLOW, language.FLOW, deadlines.FLOW, mute.FLOW,
    meeting_admin.FLOW, meetings.FLOW, broadcast.FLOW, broadcast_report.FLOW,
    concern_inbox.FLOW, concern_actions.FLOW, concern_rules.FLOW,
)}
