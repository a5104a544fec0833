"""The phone's join page, with everything it loads, stays under 60 KB on a first load and 10 KB on
a second visit, as the app itself sends it: phones join on weak signal. Sizes are deterministic,
so this is a plain check, not a timing."""

import pytest

from bench import page_weight

COLD = ["join form", "phone page, in the lobby", "phone page, admitted"]
AGAIN = "phone page, a second visit"


@pytest.fixture
def pages(app, make_meeting):
    meeting = make_meeting(purpose="A plan for J. to be safe", venue="Family Centre")
    return {page.name: page for page in page_weight.phone_pages(app, meeting.join_code)}


def listing(page) -> str:
    rows = "\n".join(
        f"  {r.url}: {r.raw:,} raw, {r.gzip:,} gzip, {r.br:,} br, {r.how}, {r.cache_control!r}"
        for r in page.resources
    )
    return f"{page.name} weighs {page.sent:,} bytes sent (budget {page.budget:,}):\n{rows}"


def test_each_first_load_of_a_phone_page_is_under_60_kb_as_the_app_sends_it(pages):
    assert list(pages) == [*COLD, AGAIN]
    for name in COLD:
        page = pages[name]
        assert page.budget == page_weight.BUDGET == 61_440
        assert all(r.how == "fetched" for r in page.resources), "a first load starts with an empty cache"
        assert page.sent < page.budget, listing(page)


def test_a_second_visit_is_under_10_kb_and_asks_only_for_the_page(pages):
    again = pages[AGAIN]
    assert again.budget == page_weight.AGAIN_BUDGET == 10_240
    assert again.sent < again.budget, listing(again)
    asked = [r.url for r in again.resources if r.requested]
    assert asked == [again.resources[0].url], listing(again)
    assert not any(r.url.startswith("/static/") for r in again.resources if r.requested)
    assert {r.url for r in again.resources} == {r.url for r in pages["phone page, admitted"].resources}


def test_every_static_file_a_phone_loads_comes_compressed_and_kept_for_good(pages):
    for name in COLD:
        for r in pages[name].resources:
            if r.url.startswith("/static/"):
                assert r.cache == "immutable", listing(pages[name])
                if r.raw > 1000:
                    assert r.gzip < r.raw * 0.6 and r.br < r.gzip, listing(pages[name])
            else:
                assert r.cache == "no-store", listing(pages[name])
                if r.raw > 1000:
                    assert r.gzip < r.raw * 0.6, listing(pages[name])


def test_the_measure_finds_what_the_pages_really_load(pages):
    for name in COLD:
        page = pages[name]
        kinds = {r.kind for r in page.resources}
        assert {"document", "stylesheet", "script"} <= kinds, listing(page)
        assert page.elsewhere == [], "a page loads from another origin, which is not counted"
    for name in ("phone page, in the lobby", "phone page, admitted"):
        urls = {page_weight.HASH.sub(".<hash>", r.url) for r in pages[name].resources}
        assert "/static/vendor/socket.io-4.8.1.esm.min.<hash>.js" in urls, listing(pages[name])
        assert "/static/js/lib/live.<hash>.js" in urls, listing(pages[name])
    assert any(r.kind == "fragment" for r in pages["phone page, in the lobby"].resources)


def test_the_phone_page_preloads_every_module_its_script_imports(pages):
    lobby = pages["phone page, in the lobby"].resources
    preloaded = {r.url for r in lobby if r.kind == "modulepreload"}
    imported = {r.url for r in lobby if r.kind == "import"}
    assert imported == set(), "a module the page did not preload is fetched only once its importer arrives"
    assert len(preloaded) >= 8
    # The parts few meetings have come only to the phones whose meeting has them.
    on_demand = {page_weight.HASH.sub(".<hash>", url) for url in pages["phone page, in the lobby"].on_demand}
    assert {"/static/js/lib/houses.<hash>.js", "/static/js/lib/space.<hash>.js"} <= on_demand
    assert not {page_weight.HASH.sub(".<hash>", url) for url in preloaded} & on_demand
