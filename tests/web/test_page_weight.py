"""The phone's join page, with everything it loads, stays under 60 KB as nginx sends it: phones
join on weak signal. Sizes are deterministic, so this is a plain check, not a timing."""

import pytest

from bench import page_weight


@pytest.fixture
def pages(app, make_meeting):
    meeting = make_meeting(purpose="A plan for J. to be safe", venue="Family Centre")
    return {page.name: page for page in page_weight.phone_pages(app, meeting.join_code)}


def listing(page) -> str:
    rows = "\n".join(f"  {r.url}: {r.raw:,} raw, {r.sent:,} sent" for r in page.resources)
    return f"{page.name} weighs {page.sent:,} bytes compressed (budget {page_weight.BUDGET:,}):\n{rows}"


def test_each_phone_page_load_is_under_60_kb_compressed(pages):
    assert list(pages) == ["join form", "phone page, in the lobby", "phone page, admitted"]
    for page in pages.values():
        assert page.sent < page_weight.BUDGET == 61_440, listing(page)


def test_the_measure_finds_what_the_pages_really_load(pages):
    for page in pages.values():
        kinds = {r.kind for r in page.resources}
        assert {"document", "stylesheet", "script"} <= kinds, listing(page)
        assert page.elsewhere == [], "a page loads from another origin, which is not counted"
    for name in ("phone page, in the lobby", "phone page, admitted"):
        urls = {r.url for r in pages[name].resources}
        assert any("/vendor/socket.io-" in url for url in urls), listing(pages[name])
        assert "/static/js/lib/live.js" in urls  # reached only through phone.js's imports
    assert any(r.kind == "fragment" for r in pages["phone page, in the lobby"].resources)
