"""`gandan report …` end to end on a real SQLite file: a village's and the commune's draft, the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from reports.templates.build_default import default_template
from tests.house.test_cli import EXAMPLES, count, db_file  # noqa: F401 — the fixture
from tests.reports_doc.samples import open_docx, texts
from tests.reports_doc.test_templates import _edited


@pytest.fixture
def roster(capsys, db_file) -> Path:  # noqa: F811
    assert main(["setup", "commune", "10459"]) == 0
    assert main(["import", "roster", str(EXAMPLES / "roster.xlsx")]) == 0
    capsys.readouterr()
    return db_file


def test_a_villages_and_the_communes_draft(capsys, roster, tmp_path):
    out = tmp_path / "dong-tam.docx"
    assert main(["report", "half_year", "--unit", "Đồng Tâm", "--year", "2026", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "📄 Dự thảo Báo cáo 6 tháng đầu năm 2026 — Thôn Đồng Tâm" in printed and f"Đã ghi: {out}" in printed
    left = open_docx(out.read_bytes()).tables[0].rows[0].cells[0]
    assert left.paragraphs[1].text.startswith("CHI BỘ THÔN") and "ĐỒNG TÂM" in left.paragraphs[1].text
    assert main(["report", "annual", "--unit", "commune", "--year", "2026"]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1].split(": ", 1)[1])
    assert written.name.startswith("bao-cao-nam-2026-") and written.exists()
    assert any("ĐẢNG ỦY XÃ" in line for line in texts(open_docx(written.read_bytes())))
    assert count(roster, "report_drafts") == 2


def test_wrong_units_and_years_are_told(capsys, roster):
    assert main(["report", "annual", "--unit", "Không Có", "--year", "2026"]) == 2
    assert "Không tìm thấy đơn vị “Không Có”" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "annual", "--unit", "commune", "--year", "hai"])
    assert "“hai” không phải một năm" in capsys.readouterr().err


def test_export_then_use_a_communes_template(capsys, roster, tmp_path):
    exported = tmp_path / "mau.docx"
    assert main(["report", "template", "--export", str(exported)]) == 0
    assert "mẫu mặc định" in capsys.readouterr().out and exported.read_bytes() == default_template()
    mine = tmp_path / "mau-xa.docx"
    mine.write_bytes(_edited({"ĐẢNG CỘNG SẢN VIỆT NAM": "ĐẢNG CỘNG SẢN VIỆT NAM · PHÚC SƠN"}))
    assert main(["report", "template", "--use", str(mine)]) == 0
    assert "Đã lưu mẫu báo cáo" in capsys.readouterr().out
    out = tmp_path / "r.docx"
    assert main(["report", "half_year", "--unit", "Đồng Tâm", "--year", "2026", "--out", str(out)]) == 0
    assert "ĐẢNG CỘNG SẢN VIỆT NAM · PHÚC SƠN" in texts(open_docx(out.read_bytes()))
    again = tmp_path / "lai.docx"
    assert main(["report", "template", "--export", str(again)]) == 0
    assert again.read_bytes() == mine.read_bytes()


def test_a_template_missing_a_tag_is_refused_by_name(capsys, roster, tmp_path):
    bad = tmp_path / "thieu.docx"
    bad.write_bytes(_edited({"{{ issuing_body }}": "CHI BỘ"}))
    assert main(["report", "template", "--use", str(bad)]) == 2
    assert "Mẫu thiếu thẻ bắt buộc {{ issuing_body }}." in capsys.readouterr().err
    assert count(roster, "report_templates") == 0
