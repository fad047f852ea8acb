"""The official 2025 list of provinces and communes (34 provinces, 3,321 communes).

Data comes from the `vietnam-provinces` package; lookups ignore diacritics and case, and the
division prefix ("Xã", "Phường", "Đặc khu") may be left out.
"""

import unicodedata
from collections.abc import Callable
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
    """The name without its division; `key` may be folded or as written (each letter folds to one)."""
    for prefix in _PREFIXES:
        if fold(key).startswith(prefix):
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
    province_key = fold(province_part)
    in_province = [c for c in _all() if not province_key or province_key in fold(c.province_name)]
    # The most exact reading that names anything decides: "Phường Ba Đình" as written is one
    # commune, even though "ba dinh" alone is also a xã in Thanh Hóa and another in Quảng Ngãi.
    for key in _name_keys(name_part):
        exact = [c for c in in_province if key(c.name) == key(name_part)]
        if len(exact) == 1:
            return exact[0], []
        if exact:
            return None, exact[:limit * 2]
    name_key = _strip_prefix(fold(name_part))
    choices = {i: _strip_prefix(fold(c.name)) for i, c in enumerate(in_province)}
    scored = process.extract(name_key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
    return None, [in_province[index] for _, _, index in scored]


def _as_written(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _name_keys(name: str) -> tuple[Callable[[str], str], ...]:
    """Ways to compare names, strictest first: with the division ("Xã", "Phường") then without,
    each as written (when typed with diacritics: "ba dinh" says nothing of "Ba Dinh" or "Ba Đình")
    and folded."""
    def bare_as_written(n: str) -> str:
        return _strip_prefix(_as_written(n))

    def bare(n: str) -> str:
        return _strip_prefix(fold(n))

    if name.isascii():
        return fold, bare
    return _as_written, fold, bare_as_written, bare
