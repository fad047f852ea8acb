"""The official 2025 list of provinces and communes (34 provinces, 3,321 communes).

Data comes from the `vietnam-provinces` package; lookups ignore diacritics and case, and the
division prefix ("Xã", "Phường", "Đặc khu") may be left out.
"""

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process
from vietnam_provinces import Province, Ward
from vietnam_provinces.codes import WardCode

from core.text import fold

_PREFIXES = ("xa ", "phuong ", "dac khu ")


@dataclass(frozen=True)
class OfficialCommune:
    code: str  # five digits, as published: "10459"
    name: str
    division_type: str
    province_code: str  # two digits: "01"
    province_name: str
    province_division_type: str

    @property
    def label(self) -> str:
        return f"{self.name}, {self.province_name} ({self.code})"


def _strip_prefix(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@cache
def _all() -> tuple[OfficialCommune, ...]:
    provinces = {p.code: p for p in Province.iter_all()}
    result = []
    for ward in Ward.iter_all():
        province = provinces[ward.province_code]
        result.append(OfficialCommune(
            code=f"{ward.code.value:05d}", name=ward.name, division_type=ward.division_type.value,
            province_code=f"{province.code.value:02d}", province_name=province.name,
            province_division_type=province.division_type.value,
        ))
    return tuple(result)


def count() -> int:
    return len(_all())


def by_code(code: str) -> OfficialCommune | None:
    if not code.strip().isdigit():
        return None
    try:
        ward = Ward.from_code(WardCode(int(code)))
    except ValueError:
        return None
    return next(c for c in _all() if c.code == f"{ward.code.value:05d}")


def lookup(query: str, *, limit: int = 5) -> tuple[OfficialCommune | None, list[OfficialCommune]]:
    """(the one commune meant, []) or (None, closest matches) when unknown or ambiguous.

    "phuc son" finds "Xã Phúc Sơn"; "hong son, ha noi" narrows a name shared by provinces.
    """
    query = query.strip()
    if query.isdigit():
        found = by_code(query)
        if found:
            return found, []
        wanted = int(query)
        return None, sorted(_all(), key=lambda c: abs(int(c.code) - wanted))[:limit]
    name_part, _, province_part = query.partition(",")
    name_key = _strip_prefix(fold(name_part))
    province_key = fold(province_part)
    exact = [
        c for c in _all()
        if _strip_prefix(fold(c.name)) == name_key
        and (not province_key or province_key in fold(c.province_name))
    ]
    if len(exact) == 1:
        return exact[0], []
    if exact:
        return None, exact[:limit * 2]
    candidates = [c for c in _all() if not province_key or province_key in fold(c.province_name)]
    choices = {i: _strip_prefix(fold(c.name)) for i, c in enumerate(candidates)}
    scored = process.extract(name_key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
    return None, [candidates[index] for _, _, index in scored]
