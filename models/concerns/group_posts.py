"""A new concern posted to the groups that follow it up, and what each group may be told.

Every new concern goes to the chi bộ group of its village and to the khối dân vận group of its
commune, once per concern and group, in the transaction that records it (where no group can take
it, to the people who make it up: `models.groups.posts`). Who may read the
household's name (DOMAIN.md, "Sensitive data": each person sees only the households their role
covers):

- **chi bộ group** (the village's party cell, which leads the team directly and whose secretary is
  the team leader): it follows up every concern of its own village, so it sees the head of the
  household's name — never the phone or the address.
- **khối dân vận group** (commune): its members include the team leaders of every village and the
  heads of the mass organisations, none of whom covers all the commune's households; it sees the
  village, never the household.
- **Khiếu nại, tố cáo**: no group sees the name. The Law on Denunciations (2018, art. 47) requires
  the denouncer's identity to be kept confidential, and the category does not tell complaints
  from denunciations.

Phone numbers typed into the description are masked in every group, and where the name is
hidden, the name written out in the description is hidden too.
"""

from __future__ import annotations

import re

from core.text import mask_phones_in
from models.enums import ConcernCategory, GroupPurpose
from models.tables import Concern

POSTED_TO = (GroupPurpose.CHI_BO, GroupPurpose.KHOI_DAN_VAN)
SNIPPET = 160  # characters of the description: two or three lines on a phone
_SPACES = re.compile(r"\s+")


def shows_household(purpose: GroupPurpose, category: ConcernCategory) -> bool:
    """Whether members of a group of this purpose may read the household's name (rule above)."""
    return purpose == GroupPurpose.CHI_BO and category != ConcernCategory.COMPLAINT


def masked(text: str, *, hidden_name: str | None = None) -> str:
    """The text as typed, line breaks kept, with phones masked and `hidden_name` removed."""
    text = mask_phones_in(text)
    if hidden_name and hidden_name.strip():
        text = re.sub(re.escape(hidden_name.strip()), "***", text, flags=re.IGNORECASE)
    return text


def snippet(description: str, *, hidden_name: str | None = None, limit: int = SNIPPET) -> str:
    """The description on one line, phones masked, `hidden_name` removed, cut at a word."""
    text = masked(_SPACES.sub(" ", description).strip(), hidden_name=hidden_name)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:-") + "…"


def new_key(concern: Concern) -> str:
    """One notice per concern and group (…:g{group}) or person (…:p{person}): a person who stands in
    for both the chi bộ and the commune's group gets the chi bộ's, which the concern reaches first."""
    return f"concern:{concern.id}:new"
