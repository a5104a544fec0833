"""A PDF drawn to fit (the family's copy) leaves no last page nearly bare and keeps its first
part on the first page where a slightly tighter page can; one drawn without `fit` is drawn as
the stylesheet says."""

from __future__ import annotations

import io

import pypdf

from facilitator.web.pdf import END, FIRST, render_pdf


def page(paragraphs: int, *, first_after: int | None = None) -> str:
    lines = [f"<p>Line {n}: Nan walks Mia to school every Monday.</p>" for n in range(paragraphs)]
    if first_after is not None:
        lines.insert(first_after, f'<div id="{FIRST}"></div>')
    main = f'<main>{"".join(lines)}<div id="{END}"></div></main>'
    return f'<!doctype html><html lang="en"><body class="print print--pdf">{main}</body></html>'


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def just_over_a_page() -> int:
    """The fewest paragraphs that run on to a second page: a line or two on it."""
    count = 30
    while len(pages(render_pdf(page(count)))) < 2:
        count += 1
    return count


def test_a_last_page_with_a_line_or_two_is_drawn_tighter_onto_one_page():
    count = just_over_a_page()
    assert len(pages(render_pdf(page(count)))) == 2  # as the stylesheet draws it
    fitted = pages(render_pdf(page(count), fit=True))
    assert len(fitted) == 1
    assert f"Line {count - 1}:" in fitted[0]


def test_a_last_page_well_filled_is_left_as_drawn():
    count = just_over_a_page()
    long = count + count // 2  # half a page on the second
    as_drawn, fitted = pages(render_pdf(page(long))), pages(render_pdf(page(long), fit=True))
    assert len(fitted) == 2 and fitted == as_drawn  # the same lines on each page: not redrawn


def test_the_first_part_is_kept_on_the_first_page_where_a_tighter_page_can():
    count = just_over_a_page()
    marked = page(count + count // 2, first_after=count + 1)  # the first part runs just past page one
    as_drawn = pages(render_pdf(marked))
    assert f"Line {count}:" in as_drawn[1]  # its end runs on to the second page
    fitted = pages(render_pdf(marked, fit=True))
    assert f"Line {count}:" in fitted[0]
    assert len(fitted) == 2
