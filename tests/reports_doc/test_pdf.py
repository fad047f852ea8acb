"""The document as LibreOffice prints it: the pages expected, nothing off the page (skipped without soffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reports.word import render
from tests.reports_doc.samples import full_report, without_annex

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
                                reason="LibreOffice (soffice) and poppler-utils are not installed")
MM = 72 / 25.4  # PDF points per millimetre


def to_pdf(data: bytes, folder: Path, name: str) -> Path:
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    profile = folder / "lo-profile"  # a private profile: runs in parallel never share one
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{name}.pdf"


def pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) for every word LibreOffice laid out."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            found.append((page, *map(float, match.groups()[:4]), match.group(5)))
    return found


def _inside(pdf: Path) -> None:
    sizes = pages(pdf)
    for page, x0, y0, x1, y1, word in words(pdf):
        width, height = sizes[page - 1]
        # The text stays within the page less a few millimetres at each edge (the margins are 15–35 mm).
        assert x0 >= 10 * MM and x1 <= width - 10 * MM, (page, word, x0, x1)
        assert y0 >= 5 * MM and y1 <= height - 10 * MM, (page, word, y0, y1)


def test_the_report_prints_on_a4_with_the_annex_on_its_own_page(tmp_path):
    plain = to_pdf(render(without_annex()), tmp_path, "plain")
    annexed = to_pdf(render(full_report(annex_columns=4)), tmp_path, "annexed")
    plain_pages, annexed_pages = pages(plain), pages(annexed)
    assert len(plain_pages) == 2
    assert len(annexed_pages) == len(plain_pages) + 1
    assert all(abs(w - 210 * MM) < 2 and abs(h - 297 * MM) < 2 for w, h in annexed_pages)
    _inside(plain)
    _inside(annexed)
    text = [w for w in words(plain)]
    assert any(word == "BÁO" for page, *_box, word in text if page == 1)
    # Page numbers from page 2: "2" printed near the top of the second page, no number on the first.
    top = [(page, word) for page, _x0, y0, _x1, _y1, word in text if y0 < 20 * MM]
    assert (2, "2") in top and not any(page == 1 for page, _word in top)


def test_a_wide_annex_prints_across_the_page(tmp_path):
    pdf = to_pdf(render(full_report(annex_columns=12, villages=25)), tmp_path, "wide")
    sizes = pages(pdf)
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]
    _inside(pdf)
