"""Flows checked as data: every step a flow can reach exists, before anyone is asked a step that does not."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.engine.flow import Flow


class FlowError(ValueError):
    """A flow names a step it does not have; the message names every such flow and step."""


def flow_problems(flow: Flow) -> list[str]:
    """What is wrong with one flow, one line each (empty when nothing is)."""
    problems = [f"flow {flow.name!r}: step {key!r} is named {step.name!r} (so /quaylai would lose it)"
                for key, step in flow.steps.items() if key != step.name]
    for first in (flow.first, *flow.start_steps):
        if first not in flow.steps:
            problems.append(f"flow {flow.name!r}: starts at step {first!r}, which it does not have")
    if flow.start_steps and flow.start is None:
        problems.append(f"flow {flow.name!r}: declares start steps {flow.start_steps!r} but has no start")
    for step in flow.steps.values():
        problems += [f"flow {flow.name!r}: step {step.name!r} leads to {target!r}, which it does not have"
                     for target in step.next if target not in flow.steps]
    return problems


def check_flows(flows: Mapping[str, Flow]) -> None:
    """Raises FlowError naming every flow and step that is missing; run at start-up and in a test."""
    problems = [f"flow registered as {name!r} is named {flow.name!r}" for name, flow in flows.items()
                if name != flow.name]
    for flow in flows.values():
        problems += flow_problems(flow)
    if problems:
        raise FlowError("\n".join(problems))


def undeclared(flow: Flow, step: str | None, target: str) -> str | None:
    """Why moving from `step` (None: the flow's start) to `target` breaks the declarations, or None."""
    if step is None:
        allowed = (flow.first, *flow.start_steps)
        where = "its start"
    else:
        allowed = flow.steps[step].next
        where = f"step {step!r}"
    if target in allowed:
        return None
    return f"flow {flow.name!r}: {where} led to {target!r}, which it does not declare"
