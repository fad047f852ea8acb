"""Templates as files: the default one built by its script, a commune's own checked before it is used."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from reports.templates import build_default
from reports.templates.build_default import default_template
from reports.word import REQUIRED_TAGS, TemplateRefused, check_template, render
from tests.reports_doc.samples import full_report, open_docx, texts


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def test_the_script_rebuilds_the_default_template(tmp_path):
    out = tmp_path / "mau.docx"
    assert build_default.main([str(out)]) == 0
    assert _document_xml(out.read_bytes()) == _document_xml(default_template())
    check_template(out.read_bytes())


def _edited(replace: dict[str, str]) -> bytes:
    """The default template with some text changed, as a commune would in Word."""
    document = Document(io.BytesIO(default_template()))
    parts = [*document.paragraphs, *(p for t in document.tables for row in t.rows for c in row.cells
                                     for p in c.paragraphs)]
    for paragraph in parts:
        for run in paragraph.runs:
            for old, new in replace.items():
                if old in run.text:
                    run.text = run.text.replace(old, new)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_commune_may_change_the_wording_around_the_tags():
    template = _edited({"ĐẢNG CỘNG SẢN VIỆT NAM": "ĐẢNG CỘNG SẢN VIỆT NAM (mẫu của xã)"})
    check_template(template)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM (mẫu của xã)" in texts(open_docx(render(full_report(), template)))


@pytest.mark.parametrize("tag", REQUIRED_TAGS)
def test_a_template_missing_a_required_tag_is_refused_by_name(tag):
    if tag == "figures":
        template = _edited({"{%p if figures %}": "{%p if False %}", "{%tr for f in figures %}": "{%tr for f in [] %}"})
    elif tag == "signer_lines":
        template = _edited({"{%p for line in signer_lines %}": "{%p for line in [] %}"})
    else:
        template = _edited({"{{ " + tag + " }}": "……"})
    with pytest.raises(TemplateRefused) as refused:
        check_template(template)
    assert "{{ " + tag + " }}" in str(refused.value)


def test_a_template_without_the_sections_is_refused():
    template = _edited({"{%p for s in sections_after %}": "{%p for s in [] %}"})
    with pytest.raises(TemplateRefused, match="sections_after"):
        check_template(template)


def test_a_template_that_fails_to_render_is_refused_with_a_clear_line():
    template = _edited({"{{ summary }}": "{{ summary }} {{ title.nope() }}"})
    with pytest.raises(TemplateRefused) as refused:
        check_template(template)
    assert str(refused.value).startswith("Không dựng được báo cáo từ mẫu này:") and "\n" not in str(refused.value)


def test_a_broken_tag_and_a_file_that_is_no_docx_are_refused():
    with pytest.raises(TemplateRefused, match="Jinja"):
        check_template(_edited({"{{ summary }}": "{{ summary | }}"}))
    with pytest.raises(TemplateRefused, match="không phải văn bản Word"):
        check_template(b"not a word file")
