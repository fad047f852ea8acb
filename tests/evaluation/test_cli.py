"""`gandan evaluation` end to end on a SQLite file: the ranking, --out, the rubric out and back in,
an import refused with its problems by row (nothing stored), hand scores from the sheet."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from core.db import create_engine, session_factory, upgrade
from models.evaluation import rubric as rubrics
from tests.evaluation.world import build_year


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        async with session_factory(engine)() as session:
            await build_year(session)
        await engine.dispose()

    asyncio.run(build())
    return path


def test_the_ranking_of_every_commune_and_the_province(capsys, db, tmp_path):
    assert main(["evaluation", "--year", "2026", "--out", str(tmp_path / "xl.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "🏆 Xếp loại Tổ Dân vận cộng đồng — Xã Phúc Sơn, năm 2026 (đến hết 20/11/2026)" in out
    assert "1. Thôn An — 38,9/100 điểm — Yếu" in out and "2. Thôn Bình — 16/100 điểm — Yếu" in out
    assert "toàn Tỉnh Thử, năm 2026 (3 tổ, 2 xã)" in out and "2. Thôn Khác, Xã Khác — 20/100 điểm — Yếu" in out
    book = load_workbook(tmp_path / "xl.xlsx")
    assert book.sheetnames[0].startswith("Xếp loại toàn tỉnh 2026") and "Chấm tay" in book.sheetnames
    ranking = next(ws for ws in book.worksheets if ws["A1"].value == "Xếp loại năm 2026 — Xã Phúc Sơn")
    assert [c.value for c in ranking[3]] == [1, "Tổ Dân vận Thôn An", "Thôn An", 38.9, "Yếu", None]


def test_one_commune(capsys, db):
    assert main(["evaluation", "--year", "2026", "--commune", "10459"]) == 0
    out = capsys.readouterr().out
    assert "Xã Phúc Sơn" in out and "Xã Khác" not in out and "toàn Tỉnh" not in out


def test_the_rubric_out_and_back_in(capsys, db, tmp_path):
    sheet = tmp_path / "rubric.xlsx"
    assert main(["evaluation", "rubric", "--export", str(sheet)]) == 2  # two communes: which one?
    assert "--commune" in capsys.readouterr().err
    assert main(["evaluation", "rubric", "--export", str(sheet), "--commune", "10459"]) == 0
    assert "bộ tiêu chí mẫu" in capsys.readouterr().out
    book = load_workbook(sheet)
    criteria, bands = book.worksheets[0], book.worksheets[1]
    criteria["C3"] = 10  # HOP 15 → 10 and DUHOP 5 → 10: still 100 points in all
    criteria["C4"] = 10
    bands["B3"], bands["B4"], bands["B5"] = 35, 30, 20  # Tốt from 35, Khá from 30, Trung bình from 20
    book.save(sheet)
    assert main(["evaluation", "rubric", "--import", str(sheet), "--commune", "10459"]) == 0
    assert "14 tiêu chí, 4 mức xếp loại" in capsys.readouterr().out
    assert main(["evaluation", "--year", "2026", "--commune", "10459"]) == 0
    # HOP 10 × 0,818 = 8,18 and DUHOP 10 × 0,75 = 7,5 in place of 12,27 and 3,75: 38,86 − 0,34 = 38,5 ≥ 35.
    assert "1. Thôn An — 38,5/100 điểm — Tốt" in capsys.readouterr().out


def test_a_wrong_rubric_is_refused_by_row_and_nothing_is_stored(capsys, db, tmp_path):
    sheet = tmp_path / "rubric.xlsx"
    assert main(["evaluation", "rubric", "--export", str(sheet), "--commune", "10459"]) == 0
    capsys.readouterr()
    book = load_workbook(sheet)
    criteria, bands = book.worksheets[0], book.worksheets[1]
    criteria["D4"] = "so_hop"  # an unknown measure, row 4
    criteria["C5"] = "mười"  # not a number, row 5
    bands["B4"] = 80  # Khá above Tốt? no: 80 < 90 but Trung bình (row 5) …
    bands["B5"] = 85  # … 85 above Khá's 80: out of order, row 5
    book.save(sheet)
    assert main(["evaluation", "rubric", "--import", str(sheet), "--commune", "10459"]) == 2
    err = capsys.readouterr().err
    assert "Tiêu chí, dòng 4: cách tính “so_hop” không có" in err
    assert "Tiêu chí, dòng 5: điểm và các mức (%) phải là số" in err
    assert "Tiêu chí: tổng điểm tối đa phải là 100, hiện là 90" in err  # row 5's 10 points are missing
    assert "Xếp loại, dòng 5: các mức phải xếp từ điểm cao xuống điểm thấp" in err
    assert "Tệp bị từ chối: không có gì được ghi." in err

    async def stored() -> bool:
        engine = create_engine(f"sqlite+aiosqlite:///{db}")
        async with session_factory(engine)() as session:
            from models.tables import OrgUnit
            commune = await session.get(OrgUnit, 2)
            found = await rubrics.rubric_for(session, commune)
        await engine.dispose()
        return not found.sample

    assert not asyncio.run(stored())


def test_hand_scores_from_the_sheet(capsys, db, tmp_path):
    out = tmp_path / "xl.xlsx"
    assert main(["evaluation", "--year", "2026", "--commune", "10459", "--out", str(out)]) == 0
    book = load_workbook(out)
    sheet = book["Chấm tay"]
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["Mã tổ", "Tổ Dân vận", "Xã, phường", "Mã tiêu chí", "Tiêu chí"]
    rows = {(r[1].value, r[3].value): r for r in sheet.iter_rows(min_row=3)}
    rows["Tổ Dân vận Thôn An", "DVK"][7].value = 8
    rows["Tổ Dân vận Thôn An", "DVK"][8].value = "Mô hình “Con đường hoa”"
    rows["Tổ Dân vận Thôn Bình", "GS"][7].value = 9  # above its 5 points
    book.save(out)
    assert main(["evaluation", "scores", "--import", str(out), "--commune", "10459", "--year", "2026"]) == 2
    err = capsys.readouterr().err
    assert "Chấm tay, dòng" in err and "phải từ 0 đến 5" in err and "không có gì được ghi" in err
    rows["Tổ Dân vận Thôn Bình", "GS"][7].value = 3
    book.save(out)
    assert main(["evaluation", "scores", "--import", str(out), "--commune", "10459", "--year", "2026"]) == 0
    assert "Đã ghi 2 điểm chấm tay" in capsys.readouterr().out
    assert main(["evaluation", "--year", "2026", "--commune", "10459"]) == 0
    out_text = capsys.readouterr().out
    assert "1. Thôn An — 46,9/100 điểm — Yếu" in out_text and "2. Thôn Bình — 19/100 điểm — Yếu" in out_text


def test_help_and_bad_arguments(capsys, db):
    for argv in (["evaluation", "--help"], ["evaluation", "rubric", "--help"], ["evaluation", "scores", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0 and "cách dùng: gandan evaluation" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["evaluation", "--year", "năm ngoái"])
    assert "không phải một năm" in capsys.readouterr().err
    assert main(["evaluation", "rubric", "--import", "x.xlsx"]) == 2
    assert "--import cần --commune" in capsys.readouterr().err
    assert main(["evaluation", "rubric", "--import", "missing.xlsx", "--commune", "10459"]) == 2
    assert "Không đọc được tệp" in capsys.readouterr().err
