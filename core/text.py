"""Search keys: Vietnamese text folded so that "nguyen van a" finds "Nguyễn Văn A"."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_PHONE_DIGITS = re.compile(r"\D")


def fold(text: str) -> str:
    """Lower-case ASCII with diacritics removed (đ becomes d, which NFD alone does not do)."""
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()


def normalize_phone(raw: str) -> str | None:
    """A Vietnamese phone number in national form (0xxxxxxxxx), or None if it is not one."""
    digits = _PHONE_DIGITS.sub("", raw or "")
    if raw.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("0") and digits[1] != "0":
        return digits
    return None


def mask_phone(phone: str | None) -> str:
    """What may be shown in logs and audit trails: the last three digits only."""
    return "" if not phone else "*" * (len(phone) - 3) + phone[-3:]
