"""The issuing bodies of a report, named as the Party's documents name them (Hướng dẫn 36-HD/VPTW).

Units are stored with their division in the name ("Xã Phúc Sơn", "Thôn Đồng Tâm", "Thành phố Hà
Nội"); the header needs the division word and the bare name apart: "ĐẢNG BỘ XÃ PHÚC SƠN" above
"CHI BỘ THÔN ĐỒNG TÂM", the place "Phúc Sơn" before the date.
"""

from __future__ import annotations

from core.i18n import _
from core.text import fold
from models.enums import UnitKind
from models.tables import OrgUnit

# Division words a unit's name may begin with, longest first so "thị xã" is not read as "thị".
DIVISIONS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tổ dân phố", "khu phố", "tỉnh", "huyện", "quận",
             "phường", "xã", "thôn", "bản", "ấp", "xóm", "làng", "khu")
DEFAULT_DIVISION = {UnitKind.PROVINCE: "tỉnh", UnitKind.DISTRICT: "huyện", UnitKind.COMMUNE: "xã",
                    UnitKind.VILLAGE: "thôn"}


def split_division(unit: OrgUnit) -> tuple[str, str]:
    """(division word in lower case, bare name): ("xã", "Phúc Sơn") for "Xã Phúc Sơn"."""
    name = " ".join(unit.name.split())
    words = [unit.division_type.lower()] if unit.division_type else []
    for word in (*words, *DIVISIONS):
        if fold(name).startswith(fold(word) + " ") and len(name) > len(word) + 1:
            return word, name[len(word) + 1:]
    return (words[0] if words else DEFAULT_DIVISION.get(unit.kind, "")), name


def bare_name(unit: OrgUnit) -> str:
    return split_division(unit)[1]


def titled(unit: OrgUnit) -> str:
    """"xã Phúc Sơn" inside a sentence; "Phúc Sơn" alone when the division is unknown."""
    division, name = split_division(unit)
    return f"{division} {name}".strip()


def upper(unit: OrgUnit) -> str:
    """"XÃ PHÚC SƠN": the division and the name in capitals, for the header's left column."""
    return titled(unit).upper()


def committee(unit: OrgUnit) -> str:
    """The party committee of a province or city above a commune: "Tỉnh ủy", "Thành ủy", "Huyện ủy"."""
    division = split_division(unit)[0]
    if division == "thành phố":
        return _("Thành ủy")
    if division in ("huyện", "quận", "thị xã"):
        return _("Huyện ủy") if division == "huyện" else (_("Quận ủy") if division == "quận" else _("Thị ủy"))
    return _("Tỉnh ủy")
