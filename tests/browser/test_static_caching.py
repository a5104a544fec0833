"""A real phone against run.py (eventlet, no nginx): every static file arrives compressed under its
hashed name, kept for good; coming back, the phone fetches none of them again, and its page costs
under 10 KB over the wire, as Chromium's DevTools protocol counts it (headers included)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.browser.conftest import PHONE

FOREVER = "max-age=315360000, public, immutable"
AGAIN_BUDGET = 10_240


@dataclass
class Fetched:
    path: str
    status: int
    headers: dict[str, str]
    from_cache: bool
    wire: int = 0  # bytes received over the network, headers included; 0 from the cache


class Wire:
    """Every response one page receives, and what each cost over the network."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.fetched: dict[str, Fetched] = {}
        self.cached: set[str] = set()
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestServedFromCache", lambda event: self.cached.add(event["requestId"]))
        self.cdp.on("Network.responseReceived", self.received)
        self.cdp.on("Network.loadingFinished", self.finished)
        self.cdp.send("Network.enable")

    def received(self, event: dict) -> None:
        response, request_id = event["response"], event["requestId"]
        if not response["url"].startswith(self.origin):
            return
        from_cache = (
            request_id in self.cached or response.get("fromDiskCache") or response.get("fromPrefetchCache")
        )
        self.fetched[request_id] = Fetched(
            path=response["url"][len(self.origin) :],
            status=response["status"],
            headers={name.lower(): value for name, value in response["headers"].items()},
            from_cache=bool(from_cache),
        )

    def finished(self, event: dict) -> None:
        if event["requestId"] in self.fetched:
            self.fetched[event["requestId"]].wire = int(event["encodedDataLength"])

    def take(self) -> list[Fetched]:
        taken = list(self.fetched.values())
        self.fetched.clear()
        return taken


def test_a_phone_gets_static_files_compressed_once_and_never_fetches_them_again(views, console, server):
    _, address = console
    phone = views.open("phone coming back", PHONE)
    wire = Wire(phone, server.url)
    phone.goto(address)
    phone.get_by_label("Your name").fill("Kerry")
    phone.get_by_label("Family or a friend").check()
    phone.get_by_role("button", name="Join").click()
    phone.locator("[data-phone-state]").wait_for()
    phone.wait_for_load_state("networkidle")
    first = [f for f in wire.take() if f.path.startswith("/static/")]
    assert len({f.path for f in first}) >= 12, [f.path for f in first]
    # The child's houses and a party's own space come only to phones whose meeting has them.
    assert not [f.path for f in first if "/js/lib/houses." in f.path or "/js/lib/space." in f.path]
    for f in first:
        assert f.status == 200, f
        assert f.headers.get("cache-control") == FOREVER, f
        assert f.headers.get("content-encoding") in ("gzip", "br"), f
    assert any("/vendor/socket.io-" in f.path for f in first)

    phone.goto("about:blank")
    phone.goto(address)
    phone.locator("[data-phone-state]").wait_for()
    phone.wait_for_load_state("networkidle")
    again = wire.take()
    static = [f for f in again if f.path.startswith("/static/")]
    assert {f.path for f in static} >= {f.path for f in first if not f.path.startswith("/static/favicon")}
    assert all(f.from_cache and f.wire == 0 for f in static), [f for f in static if not f.from_cache]
    document = [f for f in again if f.path == urlsplit(address).path]
    assert len(document) == 1 and not document[0].from_cache  # the page itself is never kept
    total = sum(f.wire for f in again)
    assert 0 < total < AGAIN_BUDGET, [(f.path, f.wire) for f in again]
