"""Every conversation flow by name (the name is what the database keeps for a chat)."""

from handlers import concern, language, onboarding, visit
from handlers.flow import Flow

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (
    onboarding.FLOW, visit.FLOW, concern.FLOW, language.FLOW,
)}
