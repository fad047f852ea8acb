"""Catalogs: complete in both languages, compiled, placeholders intact; dates read naturally."""

import datetime as dt

from bot import catalogs
from core.i18n import _, format_date, format_short_date, use_locale
from models.enums import Role
from models.labels import ROLE_LABELS


def test_catalogs_are_complete_compiled_and_consistent():
    assert catalogs.problems() == []


def test_vietnamese_dates_read_the_administrative_way():
    with use_locale("vi"):
        assert format_date(dt.date(2026, 6, 15)) == "ngày 15 tháng 6 năm 2026"
    with use_locale("en"):
        assert format_date(dt.date(2026, 6, 15)) == "15 June 2026"
    assert format_short_date(dt.date(2026, 6, 15)) == "15/6/2026"


def test_locale_is_per_context_and_labels_are_lazy():
    with use_locale("en"):
        assert str(ROLE_LABELS[Role.TEAM_LEADER]) == "Team leader"
        assert _("Không có gì thay đổi.") == "Nothing was changed."
    with use_locale("vi"):
        assert str(ROLE_LABELS[Role.TEAM_LEADER]) == "Tổ trưởng"
