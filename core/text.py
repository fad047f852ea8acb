"""Text as keys and masks: Vietnamese folded ("nguyen van a" finds "Nguyễn Văn A"), phones normalised and masked."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_PHONE_DIGITS = re.compile(r"\D")
# Vietnamese mobile and landline numbers, national (0…) or international (+84 / 84…) form,
# with optional spaces, dots or dashes between digit groups.
PHONE_PATTERN = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\w])")


def fold(text: str) -> str:
    """Lower-case ASCII with diacritics removed (đ becomes d, which NFD alone does not do)."""
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()


def fold_words(text: str) -> str:
    """fold() with punctuation dropped too, so "khong luu ngay" meets "Không — lưu ngay"."""
    return _NON_WORD.sub(" ", fold(text)).strip()


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


def mask_phones_in(text: str) -> str:
    """Every phone number written in `text` cut to its last three digits, for logs and group posts."""
    return PHONE_PATTERN.sub(lambda m: "***" + m.group(0)[-3:], text)


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """`fold` with punctuation read as spaces: "Phạm Văn-Long." and "pham van long" are one key."""
    return _NOT_ALNUM.sub(" ", fold(text)).strip()
