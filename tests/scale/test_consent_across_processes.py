"""Words passed on only with consent, across two processes on PostgreSQL and Redis: what must
not happen, over real sockets and real pages.

Two run.py processes share one PostgreSQL database and one Redis channel; every meeting's
sockets are spread over both, and authors write through one process while their readers (and
those who must not read) listen on the other. Every must-not is asserted on *everything* a
socket received (each event's raw payload and each `sync` answer, serialized), and beside it,
in the same test, the same words DO reach someone entitled to them: an empty channel cannot
pass for privacy.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import time

import pytest
import redis
import requests
import socketio
from pypdf import PdfReader

from tests.conftest import csrf_token, fresh_postgres_database
from tests.scale.conftest import REDIS_URL, joined, redis_reachable, signed_in
from tests.server.running import start_server, stop_server
from tests.server.test_live_meeting_server import Client, cookies

pytestmark = pytest.mark.server

# What a reader who does not read an item whole receives of it: the words passed on, and whose.
PASSED_ON_FIELDS = {"id", "kind", "author", "own_words", "text", "sharing", "session", "at"}


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """Two processes for the whole module (each test makes meetings of its own): A sets the
    database up, B joins it; one secret key, one database, one Redis channel."""
    redis_reachable()
    with fresh_postgres_database("facilitator_consent") as url:
        settings = {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
            "SOCKETIO_CHANNEL": f"facilitator-consent-{secrets.token_hex(4)}",
            "PRESENCE_BEAT_SECONDS": "1",
            "PRESENCE_STALE_SECONDS": "3",
        }
        workdir = tmp_path_factory.mktemp("consent")
        (workdir / "a").mkdir()
        (workdir / "b").mkdir()
        a = start_server(workdir / "a", settings=settings)
        try:
            b = start_server(workdir / "b", settings=settings, set_up=False)
        except BaseException:
            stop_server(a)
            raise
        yield a, b, url
        for process in (a, b):
            stop_server(process)


@pytest.fixture(autouse=True)
def attempts_forgotten(processes):
    """Every phone joins from 127.0.0.1: each test starts with the joins per address uncounted,
    as if it had a cluster of its own. The counts are in Redis, under the channel's name
    (services/throttle.py)."""
    queue = redis.Redis.from_url(REDIS_URL)
    for name in queue.scan_iter("facilitator-consent-*:throttle:*"):
        queue.delete(name)


class Socket(Client):
    """A real Socket.IO client that keeps every event it received and every answer it was given."""

    def __init__(self, server, cookie: str, meeting_id: int, name: str, screen: str | None = None) -> None:
        super().__init__(server.url, cookie, meeting_id)
        self.server, self.name, self.screen = server, name, screen
        self.answers: list[tuple[str, object]] = []

    def connect(self):
        auth = {"meeting": self.meeting_id} if self.screen is None else {"meeting": self.meeting_id, "screen": self.screen}
        self.sio.connect(
            self.url,
            headers={"Cookie": self.cookie} if self.cookie else {},
            auth=auth,
            transports=["websocket"],
            wait_timeout=10,
        )
        return self

    def call(self, command, payload=None):
        answer = super().call(command, payload)
        with self.lock:
            self.answers.append((command, answer))
        return answer

    def sync(self) -> dict:
        answer = self.call("sync")
        assert answer["ok"], (self.name, answer)
        return answer["snapshot"]

    def heard(self) -> str:
        """Everything this socket received, serialized: every event and every answer."""
        with self.lock:
            return json.dumps({"events": self.events, "answers": self.answers}, ensure_ascii=False, sort_keys=True)

    def named_all(self) -> list[tuple[str, dict]]:
        """Every event with an object payload, in the order received."""
        with self.lock:
            return [(name, data) for name, data in self.events if isinstance(data, dict)]

    def items(self, event: str = "item_saved") -> list[dict]:
        return [data["item"] for data in self.named(event)]

    def texts(self) -> list[str]:
        return [item["text"] for item in self.items()]

    def item_events_about(self, item_id: int) -> list[tuple[str, dict]]:
        with self.lock:
            return [
                (name, data)
                for name, data in self.events
                if name.startswith("item_")
                and isinstance(data, dict)
                and (data.get("id") == item_id or (data.get("item") or {}).get("id") == item_id)
            ]

    def wait_for_text(self, text: str, timeout: float = 10) -> bool:
        return self.wait_for(lambda: text in self.texts(), timeout=timeout)

    def __repr__(self) -> str:
        return f"<{self.name} on {self.server.url}>"


def page_post(session: requests.Session, url: str, page: str, data: dict) -> requests.Response:
    token = csrf_token(session.get(page, timeout=10).text)
    return session.post(url, data={"csrf_token": token, **data}, allow_redirects=False, timeout=10)


class Held:
    """A meeting made through process A by its chair, followed by sockets on both processes."""

    def __init__(self, a, b, format_key: str, title: str):
        self.a, self.b = a, b
        self.chair = signed_in(a.url)
        page = self.chair.get(a.url + "/meetings/new", timeout=5).text
        created = self.chair.post(
            a.url + "/meetings/new",
            data={"csrf_token": csrf_token(page), "format_key": format_key, "title": title},
            allow_redirects=False,
            timeout=10,
        )
        self.id = int(re.search(r"/meetings/(\d+)/", created.headers["Location"]).group(1))
        console = self.chair.get(f"{a.url}/meetings/{self.id}", timeout=5).text
        join_url = re.search(r'href="(http://127\.0\.0\.1:\d+/join/([A-Z0-9]+))"', console)
        self.join_url, self.code = join_url.group(1), join_url.group(2)
        self.phones: dict[str, requests.Session] = {}
        self.sockets: list[Socket] = []
        self.screen_token: str | None = None

    def join(self, name: str, side: str = "family", server=None) -> requests.Session:
        url = self.join_url if server is None else f"{server.url}/join/{self.code}"
        self.phones[name] = joined(url, name, side)
        return self.phones[name]

    def follow(self, server, who: str, name: str | None = None) -> Socket:
        """A socket on `server`: the chair's (`who` "chair") or a phone's (a name joined)."""
        session = self.chair if who == "chair" else self.phones[who]
        socket = Socket(server, cookies(session), self.id, name or f"{who}@{server.url[-5:]}").connect()
        self.sockets.append(socket)
        return socket

    def open_screen(self, server, name: str = "screen") -> Socket:
        """A chair opens the room screen (a new link: an older screen stops following) and a
        laptop with no cookies follows it on `server`."""
        console = f"{server.url}/meetings/{self.id}"
        opened = page_post(self.chair, f"{server.url}/meetings/{self.id}/screen", console, {})
        assert opened.status_code == 302, opened.status_code
        self.screen_token = opened.headers["Location"].rsplit("/screen/", 1)[1]
        socket = Socket(server, "", self.id, name, screen=self.screen_token).connect()
        self.sockets.append(socket)
        return socket

    def ids(self, chair: Socket) -> dict[str, int]:
        return {p["name"]: p["id"] for p in chair.sync()["people"]}

    def edit_person(self, server, person_id: int, name: str, side: str, flags: list[str]) -> None:
        """The people page, as the chair's browser submits it."""
        page = f"{server.url}/meetings/{self.id}/people/{person_id}"
        saved = page_post(self.chair, page, page, {"name": name, "relation": "", "side": side, "flags": flags})
        assert saved.status_code == 302, saved.text

    def remove_person(self, server, person_id: int) -> None:
        people = f"{server.url}/meetings/{self.id}/people/"
        removed = page_post(self.chair, f"{people}{person_id}/remove", people, {})
        assert removed.status_code == 302, removed.status_code

    def add_childs_voice(self, server) -> None:
        """The agenda page: the child's three houses, at the end of the agenda."""
        page = f"{server.url}/meetings/{self.id}/agenda/"
        added = page_post(
            self.chair, page, page, {"kind": "childs_voice", "title": "Jay's three houses", "prompt": "", "minutes": "10"}
        )
        assert added.status_code == 302, added.text

    def phone_pages(self, name: str) -> str:
        """What a phone's pages show, from both processes: the phone page and its state fragment."""
        phone = self.phones[name]
        return "\n".join(
            phone.get(f"{server.url}/join/{self.code}{path}", timeout=10).text
            for server in (self.a, self.b)
            for path in ("", "/state")
        )

    def screen_page(self) -> str:
        return "\n".join(
            requests.get(f"{server.url}/screen/{self.screen_token}", timeout=10).text for server in (self.a, self.b)
        )

    def console_page(self) -> str:
        return "\n".join(self.chair.get(f"{server.url}/meetings/{self.id}", timeout=10).text for server in (self.a, self.b))

    def close(self) -> None:
        for socket in self.sockets:
            if socket.sio.connected:
                socket.sio.disconnect()


@pytest.fixture
def meetings(processes):
    a, b, _url = processes
    made: list[Held] = []

    def make(format_key: str, title: str) -> Held:
        made.append(Held(a, b, format_key, title))
        return made[-1]

    yield make
    for held in made:
        held.close()


def settle(chair: Socket, *reached: Socket) -> None:
    """Make one more change (a minute on the timer) and wait until it reached these sockets.
    Every change is published to Redis before its command is answered, and each process hands
    on what Redis carries in the order it came: once the later change has reached a socket on
    each process, everything said before it has been sent to every socket of both."""
    answer = chair.call("timer", {"action": "add", "minutes": 1})
    assert answer["ok"], answer
    assert len({socket.server.url for socket in reached}) == 2, "the barrier must reach both processes"
    for socket in reached:
        assert socket.wait_for(
            lambda s=socket: any(
                data.get("version", 0) >= answer["version"] for name, data in s.named_all() if name == "meeting_changed"
            )
        ), (socket, socket.events)
    time.sleep(0.3)  # what was emitted is on the wire; let the client read it


def never(secret: str, *sockets: Socket) -> None:
    """None of these sockets received these words, in any event or any answer."""
    for socket in sockets:
        assert secret not in socket.heard(), (socket, secret, socket.heard())


def no_item_events(*sockets: Socket, about: int | None = None) -> None:
    for socket in sockets:
        found = socket.item_events_about(about) if about is not None else [
            (n, d) for n, d in socket.named_all() if n.startswith("item_")
        ]
        assert found == [], (socket, found)


def kept(socket: Socket, text: str, kind: str, **extra) -> int:
    answer = socket.call("keep", {"client_id": f"item-{secrets.token_hex(6)}", "kind": kind, "text": text, **extra})
    assert answer["ok"], answer
    return answer["item_id"]


def refused(socket: Socket, command: str, payload: dict, *codes: str) -> dict:
    answer = socket.call(command, payload)
    assert answer["ok"] is False, (socket, command, payload, answer)
    if codes:
        assert answer["error"]["code"] in codes, (command, payload, answer)
    return answer


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def item_ids(snapshot: dict) -> list[int]:
    return [item["id"] for item in snapshot.get("items", [])]


# A shuttle mediation: each party's own space.


def shuttle(meetings, title="Shuttle mediation for the R. family"):
    """Mum, Dad and Gran (parties) and Dan (a professional), let in; apart, in the first own space."""
    held = meetings("shuttle_mediation", title)
    for name in ("Mum", "Dad", "Gran"):
        held.join(name)
    held.join("Dan", "professional")
    chair_a = held.follow(held.a, "chair", "chair@A")
    assert chair_a.call("admit_all")["ok"]
    assert chair_a.call("start")["ok"]
    position = next(s["position"] for s in chair_a.sync()["meeting"]["stages"] if s["kind"] == "own_space")
    assert chair_a.call("go_to", {"position": position})["ok"]
    return held, chair_a


def test_a_partys_unshared_words_reach_only_them_and_the_mediator_on_either_process(meetings):
    SECRET = "I still cannot forgive what he said at Christmas"
    TAKEN_BACK = "I sometimes wish he would move away"
    PASSED = "I want the children to see their dad every week"
    held, chair_a = shuttle(meetings)
    a, b = held.a, held.b
    chair_b = held.follow(b, "chair", "chair@B")
    mum_a, mum_b = held.follow(a, "Mum", "Mum@A"), held.follow(b, "Mum", "Mum@B")
    dad, gran, dan = held.follow(b, "Dad", "Dad@B"), held.follow(a, "Gran", "Gran@A"), held.follow(b, "Dan", "Dan@B")
    screen = held.open_screen(b, "screen@B")
    ids = held.ids(chair_a)
    outsiders = (dad, gran, dan, screen)

    # Mum writes on A: her phones on both processes and the mediator's on both receive it, whole.
    secret_id = kept(mum_a, SECRET, "feeling")
    taken_id = kept(mum_b, TAKEN_BACK, "thought")
    for socket in (mum_a, mum_b, chair_a, chair_b):
        assert socket.wait_for(lambda s=socket: {SECRET, TAKEN_BACK} <= set(s.texts())), (socket, socket.events)
        whole = next(item for item in socket.items() if item["id"] == secret_id)
        assert whole["sharing"] == "nobody" and whole["shared_text"] is None and whole["revision"] == 1
    # She takes one back: her and the mediator's sockets are told, by id.
    assert mum_b.call("take_back", {"item_id": taken_id})["ok"]
    for socket in (mum_a, chair_b):
        assert socket.wait_for(lambda s=socket: [d["id"] for d in s.named("item_removed")] == [taken_id])
    settle(chair_a, chair_a, chair_b, *outsiders)
    never(SECRET, *outsiders)
    never(TAKEN_BACK, *outsiders)
    no_item_events(*outsiders)

    # `sync`, on either process: whole for the mediator, nothing for anyone else.
    assert [(i["id"], i["text"]) for i in chair_b.sync()["items"]] == [(secret_id, SECRET)]
    assert [(i["id"], i["text"]) for i in mum_a.sync()["items"]] == [(secret_id, SECRET)]
    for socket in outsiders:
        assert socket.sync()["items"] == []
    never(SECRET, *outsiders)

    # Disconnected and connected again on the other process: still nothing.
    again = []
    for socket, name, server in ((dad, "Dad", a), (gran, "Gran", b), (dan, "Dan", a)):
        socket.sio.disconnect()
        again.append(held.follow(server, name, f"{name} again"))
    screen.sio.disconnect()
    screen_again = Socket(a, "", held.id, "screen again@A", screen=held.screen_token).connect()
    held.sockets.append(screen_again)
    for socket in (*again, screen_again):
        assert socket.sync()["items"] == []
    never(SECRET, *again, screen_again)

    # Passed on to Dad in her own words: Dad receives exactly those, with whose they are; the
    # other party, the professional and the screen (old sockets and new) still nothing.
    dad_again, gran_again, dan_again = again
    passed_id = kept(mum_a, PASSED, "proposal")
    assert mum_b.call("pass_on", {"item_id": passed_id, "to": ids["Dad"], "wording": "mine", "revision": 1})["ok"]
    assert dad_again.wait_for_text(PASSED), dad_again.events
    (event,) = dad_again.items()
    assert set(event) == PASSED_ON_FIELDS
    assert event == event | {"id": passed_id, "text": PASSED, "sharing": "party", "author": {"id": ids["Mum"], "name": "Mum"}}
    settle(chair_a, chair_a, chair_b, dad_again, gran_again, dan_again, screen_again)
    never(PASSED, gran, gran_again, dan, dan_again, screen, screen_again)
    never(SECRET, dad, dad_again, gran, gran_again, dan, dan_again, screen, screen_again)
    assert item_ids(dad_again.sync()) == [passed_id]
    for socket in (gran_again, dan_again, screen_again):
        assert socket.sync()["items"] == []

    # The pages, on both processes: the other party's phone, the professional's, the screen's.
    for page in (held.phone_pages("Dad"), held.phone_pages("Gran"), held.phone_pages("Dan"), held.screen_page()):
        assert "Shuttle mediation for the R. family" in page  # the live page, not an error
        assert SECRET not in page and TAKEN_BACK not in page
    for page in (held.phone_pages("Gran"), held.phone_pages("Dan"), held.screen_page()):
        assert PASSED not in page

    # Closed: the summaries (pages and PDFs) of every copy hold nothing unshared but in its
    # author's own, and what was passed on only in the copies of Dad and of the mediator.
    assert chair_b.call("close_meeting")["ok"]
    assert dad_again.wait_for(lambda: dad_again.named("meeting_closed"))
    chair_pages = [
        held.chair.get(f"{server.url}/meetings/{held.id}/summary{suffix}", timeout=30)
        for server in (a, b)
        for suffix in ("", "?copy=family", ".pdf", ".pdf?copy=family")
    ]
    assert all(page.status_code == 200 for page in chair_pages)
    copies = {
        "chair": [p.text if "pdf" not in p.url else pdf_text(p.content) for p in chair_pages],
        "screen": [held.screen_page()],
    }
    for name in ("Mum", "Dad", "Gran", "Dan"):
        phone = held.phones[name]
        printed = phone.get(f"{b.url}/join/{held.code}/summary", timeout=30)
        pdf = phone.get(f"{a.url}/join/{held.code}/summary.pdf", timeout=30)
        assert printed.status_code == pdf.status_code == 200, (name, printed.status_code, pdf.status_code)
        copies[name] = [printed.text, held.phone_pages(name), pdf_text(pdf.content)]
    for name, texts in copies.items():
        for text in texts:
            assert "Shuttle mediation for the R. family" in text, name  # a summary of this meeting
            assert TAKEN_BACK not in text, name
            if name != "Mum":  # unshared words are in no copy but their author's own
                assert SECRET not in text, name
    for name in ("Gran", "Dan", "screen"):
        assert all(PASSED not in text for text in copies[name]), name
    # The same pages do hold words their reader may read: Mum's own copy her own words, Dad's
    # what was passed on to him, the mediator's what passed between the parties.
    assert all(SECRET in text and PASSED in text for text in copies["Mum"])
    assert all(PASSED in text for text in copies["Dad"])
    assert PASSED in copies["chair"][0] and PASSED in copies["chair"][2]  # the professionals' copy, page and PDF


def test_rephrased_words_reach_the_other_party_only_once_approved_and_exactly_those(meetings):
    ORIGINAL = "He never turns up, he is useless"
    FIRST = "I worry when visits do not happen"
    SECOND = "I worry when visits are missed"
    WITHDRAWN = "It upsets me when plans change"
    held, chair_a = shuttle(meetings, "Shuttle mediation for the S. family")
    a, b = held.a, held.b
    chair_b = held.follow(b, "chair", "chair@B")
    mum = held.follow(a, "Mum", "Mum@A")
    dad_b, dad_a = held.follow(b, "Dad", "Dad@B"), held.follow(a, "Dad", "Dad@A")
    gran, dan = held.follow(b, "Gran", "Gran@B"), held.follow(a, "Dan", "Dan@A")
    screen = held.open_screen(a, "screen@A")
    ids = held.ids(chair_a)
    others = (dad_a, dad_b, gran, dan, screen)

    item_id = kept(mum, ORIGINAL, "worry")
    # The mediator, on B, suggests other words; only Mum (on A) and the mediator receive them.
    assert chair_b.call("suggest", {"item_id": item_id, "words": FIRST})["ok"]
    assert mum.wait_for(lambda: any(i.get("suggestion") == FIRST for i in mum.items())), mum.events
    assert chair_a.wait_for(lambda: any(i.get("suggestion") == FIRST for i in chair_a.items()))
    # The mediator changes the words again (revision 3): approving the first suggestion is refused.
    assert chair_b.call("suggest", {"item_id": item_id, "words": SECOND})["ok"]
    assert mum.wait_for(lambda: any(i.get("suggestion") == SECOND and i["revision"] == 3 for i in mum.items()))
    stale = refused(mum, "pass_on", {"item_id": item_id, "to": ids["Dad"], "wording": "suggested", "revision": 2}, "invalid")
    assert ORIGINAL not in json.dumps(stale) and FIRST not in json.dumps(stale)
    # Nor does a revision from the future, nor a wording nobody offered.
    refused(mum, "pass_on", {"item_id": item_id, "to": ids["Dad"], "wording": "suggested", "revision": 4}, "invalid")
    refused(mum, "pass_on", {"item_id": item_id, "to": ids["Dad"], "wording": "theirs", "revision": 3}, "invalid")
    settle(chair_a, chair_b, *others)
    for words in (ORIGINAL, FIRST, SECOND):
        never(words, *others)
    no_item_events(*others)
    for socket in others:
        assert socket.sync()["items"] == []
    assert [i["suggestion"] for i in mum.sync()["items"]] == [SECOND]

    # Approved: Dad, on both processes, receives exactly the approved words, as passed on.
    assert mum.call("pass_on", {"item_id": item_id, "to": ids["Dad"], "wording": "suggested", "revision": 3})["ok"]
    for socket in (dad_a, dad_b):
        assert socket.wait_for_text(SECOND), socket.events
        (event,) = socket.items()
        assert set(event) == PASSED_ON_FIELDS and event["text"] == SECOND and event["sharing"] == "party"
    # The mediator reads it whole: the author's words, and what was passed on.
    assert chair_a.wait_for(lambda: any(i.get("shared_text") == SECOND for i in chair_a.items()))
    settle(chair_a, chair_b, *others)
    for socket in (dad_a, dad_b):
        never(ORIGINAL, socket)
        never(FIRST, socket)
    for words in (ORIGINAL, FIRST, SECOND):
        never(words, gran, dan, screen)
    # Passed on, it never changes: the mediator cannot reword it, nor Mum pass it on again.
    refused(chair_b, "suggest", {"item_id": item_id, "words": "Something else"}, "invalid")
    refused(mum, "pass_on", {"item_id": item_id, "to": ids["Gran"], "wording": "mine", "revision": 4}, "invalid")
    refused(mum, "take_back", {"item_id": item_id}, "invalid")

    # A suggestion withdrawn cannot be approved; her own words, approved by her, go as written.
    other_id = kept(mum, "I am tired of the arguing", "feeling")
    assert chair_a.call("suggest", {"item_id": other_id, "words": WITHDRAWN})["ok"]
    assert chair_a.call("suggest", {"item_id": other_id, "words": None})["ok"]
    refused(mum, "pass_on", {"item_id": other_id, "to": "all", "wording": "suggested", "revision": 3}, "invalid")
    assert mum.call("pass_on", {"item_id": other_id, "to": "all", "wording": "mine", "revision": 3})["ok"]
    assert gran.wait_for_text("I am tired of the arguing") and dad_b.wait_for_text("I am tired of the arguing")
    settle(chair_a, chair_b, *others)
    never(WITHDRAWN, *others)
    never("I am tired of the arguing", dan, screen)

    # Reconnected on the other process, and on the pages: the approved words only.
    dad_b.sio.disconnect()
    dad_again = held.follow(a, "Dad", "Dad again@A")
    snapshot = dad_again.sync()
    assert [(i["id"], i["text"]) for i in snapshot["items"]] == [(item_id, SECOND), (other_id, "I am tired of the arguing")]
    dumped = json.dumps(snapshot)
    assert ORIGINAL not in dumped and FIRST not in dumped and WITHDRAWN not in dumped
    pages = held.phone_pages("Dad") + held.phone_pages("Gran") + held.phone_pages("Dan") + held.screen_page()
    assert "Shuttle mediation for the S. family" in pages
    for words in (ORIGINAL, FIRST, WITHDRAWN):
        assert words not in pages


# The child's three houses, in a Family Group Conference.


def houses(meetings, title, *, advocate_flags=("is_advocate",)):
    """An FGC with the child's voice on its agenda (added on the agenda page): Jay (the child),
    Sam (their advocate, a professional), Mum and Dan (a social worker), let in and started."""
    held = meetings("family_group_conference", title)
    held.add_childs_voice(held.b)
    held.join("Jay")
    held.join("Sam", "professional", server=held.b)
    held.join("Mum")
    held.join("Dan", "professional", server=held.b)
    chair_a = held.follow(held.a, "chair", "chair@A")
    assert chair_a.call("admit_all")["ok"]
    ids = held.ids(chair_a)
    held.edit_person(held.b, ids["Jay"], "Jay", "family", ["is_child"])
    held.edit_person(held.a, ids["Sam"], "Sam", "professional", list(advocate_flags))
    assert chair_a.call("start")["ok"]
    return held, chair_a, ids


def test_a_childs_houses_reach_whom_the_child_decides_on_either_process(meetings):
    WORRY = "I am scared when they shout"
    FOR_JAY = "Jay told me they miss their old school"
    GOOD = "Football with Grandad"
    DREAM = "A dog of my own"
    held, chair_a, ids = houses(meetings, "FGC for the J. family")
    a, b = held.a, held.b
    chair_b = held.follow(b, "chair", "chair@B")
    old_screen = held.open_screen(a, "old screen@A")
    jay, sam = held.follow(b, "Jay", "Jay@B"), held.follow(a, "Sam", "Sam@A")
    mum_a, mum_b = held.follow(a, "Mum", "Mum@A"), held.follow(b, "Mum", "Mum@B")
    dan = held.follow(b, "Dan", "Dan@B")

    # Unshared: the child and the advocate, on either process, whoever typed it.
    worry_id = kept(jay, WORRY, "house_of_worries")
    for_jay_id = kept(sam, FOR_JAY, "house_of_worries", child_id=ids["Jay"])
    for socket in (jay, sam):
        assert socket.wait_for(lambda s=socket: {WORRY, FOR_JAY} <= set(s.texts())), (socket, socket.events)
    assert next(i for i in jay.items() if i["id"] == for_jay_id)["written_by"] == "Sam"
    # A new room screen, opened mid-meeting on B: the old one stops following.
    screen = held.open_screen(b, "new screen@B")
    shut = (chair_a, chair_b, old_screen, screen, mum_a, mum_b, dan)
    settle(chair_a, jay, chair_a, chair_b, screen, mum_a, mum_b, dan)  # the old screen hears no more
    for words in (WORRY, FOR_JAY):
        never(words, *shut)
    no_item_events(*shut)
    for socket in (chair_a, chair_b, screen, mum_a, mum_b, dan):
        assert socket.sync()["items"] == []
    assert sorted(item_ids(sam.sync())) == sorted([worry_id, for_jay_id])
    # The chair cannot share a child's words, nor give them other words; a parent cannot share them.
    refused(chair_a, "share", {"item_id": worry_id, "sharing": "everyone"}, "forbidden")
    refused(chair_b, "suggest", {"item_id": worry_id, "words": "Jay is worried"}, "forbidden", "invalid")
    refused(mum_a, "share", {"item_id": worry_id, "sharing": "family"}, "forbidden")

    # Shared with the family: the parent receives the child's own words; the professional, the
    # chairs and the screen do not (outside private time).
    good_id = kept(jay, GOOD, "house_of_good_things")
    assert jay.call("share", {"item_id": good_id, "sharing": "family"})["ok"]
    for socket in (mum_a, mum_b):
        assert socket.wait_for_text(GOOD), (socket, socket.events)
        (event,) = socket.items()
        assert set(event) == PASSED_ON_FIELDS and event["own_words"] is True and event["sharing"] == "family"
    settle(chair_a, chair_b, mum_a, mum_b, screen, dan)
    never(GOOD, chair_a, chair_b, old_screen, screen, dan)
    never(WORRY, mum_a, mum_b)
    assert item_ids(mum_b.sync()) == [good_id]
    for socket in (chair_a, chair_b, screen, dan):
        assert socket.sync()["items"] == []
    # Once heard, it cannot be unheard.
    refused(jay, "share", {"item_id": good_id, "sharing": "nobody"}, "invalid")
    refused(sam, "take_back", {"item_id": good_id}, "invalid")

    # Shared with everyone (by the advocate, on A): everyone who sees the meeting receives it.
    dream_id = kept(jay, DREAM, "house_of_dreams")
    assert sam.call("share", {"item_id": dream_id, "sharing": "everyone"})["ok"]
    for socket in (chair_a, chair_b, screen, mum_a, mum_b, dan, jay):
        assert socket.wait_for_text(DREAM), (socket, socket.events)
    assert all(set(item) == PASSED_ON_FIELDS for item in chair_a.items() + screen.items() + dan.items())
    settle(chair_a, chair_b, screen, dan, mum_a)
    never(DREAM, old_screen)  # a screen whose link was replaced receives nothing at all
    for words in (WORRY, FOR_JAY):
        never(words, *shut)
    never(GOOD, chair_a, chair_b, old_screen, screen, dan)

    # Reconnected on the other process: each reads what they read before, nothing more.
    expected = {"Mum": [good_id, dream_id], "Dan": [dream_id], "chair": [dream_id], "Sam": [worry_id, for_jay_id, good_id, dream_id]}
    for who, server in (("Mum", b), ("Dan", a), ("chair", b), ("Sam", b)):
        socket = held.follow(server, who, f"{who} again")
        snapshot = socket.sync()
        assert sorted(item_ids(snapshot)) == sorted(expected[who]), (who, snapshot.get("items"))
        if who != "Sam":
            assert WORRY not in json.dumps(snapshot) and FOR_JAY not in json.dumps(snapshot)
    screen.sio.disconnect()
    screen_again = Socket(a, "", held.id, "screen again@A", screen=held.screen_token).connect()
    held.sockets.append(screen_again)
    assert item_ids(screen_again.sync()) == [dream_id]
    old_again = Socket(b, "", held.id, "old screen again@B", screen="x" * 32)
    with pytest.raises(socketio.exceptions.ConnectionError):
        old_again.connect()

    # The pages: the parent's and the professional's phone, the screen, the chair's console.
    for page in (held.phone_pages("Mum"), held.phone_pages("Dan"), held.screen_page(), held.console_page()):
        assert "FGC for the J. family" in page  # the live page, not an error
        assert WORRY not in page and FOR_JAY not in page
    assert GOOD not in held.phone_pages("Dan") + held.screen_page() + held.console_page()


def test_a_chair_in_private_family_time_receives_no_item_events(meetings):
    WORRY = "I do not want to go back to the flat"
    FAMILY = "I like it when Nan picks me up"
    EVERYONE = "I want to stay at my school"
    held, chair_a, ids = houses(
        meetings, "FGC for the K. family", advocate_flags=("is_advocate", "may_stay_in_private_time")
    )
    a, b = held.a, held.b
    chair_b = held.follow(b, "chair", "chair@B")
    screen = held.open_screen(b, "screen@B")
    jay, sam = held.follow(a, "Jay", "Jay@A"), held.follow(b, "Sam", "Sam@B")
    mum, dan = held.follow(b, "Mum", "Mum@B"), held.follow(a, "Dan", "Dan@A")
    private = next(s["position"] for s in chair_a.sync()["meeting"]["stages"] if s["kind"] == "private_time")
    assert chair_a.call("go_to", {"position": private})["ok"]
    assert chair_a.call("lobby", {"open": False})["ok"]
    assert chair_a.call("start_private_time", {"stay": [ids["Sam"]]})["ok"]
    for socket in (chair_a, chair_b, dan, mum, sam):
        assert socket.wait_for(lambda s=socket: s.named("private_time_changed")), (socket, socket.events)
    assert chair_b.sync()["meeting"]["private_time"] is not None

    worry_id = kept(jay, WORRY, "house_of_worries")
    family_id = kept(sam, FAMILY, "house_of_good_things")
    everyone_id = kept(jay, EVERYONE, "house_of_dreams")
    assert jay.call("share", {"item_id": family_id, "sharing": "family"})["ok"]
    assert sam.call("share", {"item_id": everyone_id, "sharing": "everyone"})["ok"]
    # The family (and the screen, in the family's room) receive what was shared with them.
    for socket in (mum, screen):
        assert socket.wait_for(lambda s=socket: {FAMILY, EVERYONE} <= set(s.texts())), (socket, socket.events)
    assert sam.wait_for(lambda: {WORRY, FAMILY, EVERYONE} <= set(sam.texts()))
    # A barrier the shut-out cannot hear: the lobby, which the chairs keep during private time.
    answer = chair_a.call("lobby", {"open": True})
    assert answer["ok"], answer
    for socket in (mum, screen, jay):
        assert socket.wait_for(lambda s=socket: any(d.get("version", 0) >= answer["version"] for d in s.named("meeting_changed")))
    time.sleep(0.5)
    no_item_events(chair_a, chair_b, dan)
    for words in (WORRY, FAMILY, EVERYONE):
        never(words, chair_a, chair_b, dan)
    never(WORRY, mum, screen)
    for socket in (chair_a, chair_b, dan):
        snapshot = socket.sync()
        assert snapshot.get("items", []) == [], (socket, snapshot)
    # Shut out, the chairs cannot share, take back or give other words either.
    refused(chair_b, "share", {"item_id": worry_id, "sharing": "everyone"}, "private_time", "forbidden")
    refused(chair_a, "suggest", {"item_id": worry_id, "words": "x"}, "private_time", "forbidden")

    # The family invites everyone back: the chairs and the professional receive what was shared
    # with everyone, and nothing more.
    assert mum.call("end_private_time")["ok"]
    for socket in (chair_a, chair_b, dan):
        assert socket.wait_for(lambda s=socket: len(s.named("private_time_changed")) >= 2), (socket, socket.events)
        back = socket.named("private_time_changed")[-1]
        assert item_ids(back["snapshot"]) == [everyone_id], (socket, back)
        assert item_ids(socket.sync()) == [everyone_id]
    assert sorted(item_ids(screen.sync())) == [everyone_id]  # back in the room: not the family's
    for words in (WORRY, FAMILY):
        never(words, chair_a, chair_b, dan)
    never(WORRY, mum, screen)
    assert sorted(item_ids(mum.sync())) == sorted([family_id, everyone_id])


# The edges: who someone is changes while they are connected.


def test_an_advocate_no_longer_an_advocate_or_removed_receives_nothing_more(meetings):
    BEFORE = "I hide in my room when it gets loud"
    AFTER = "I miss Dad at bedtime"
    LAST = "Sometimes I cannot sleep"
    held, chair_a, ids = houses(meetings, "FGC for the L. family")
    a, b = held.a, held.b
    held.join("Lee", "professional")
    assert chair_a.call("admit_all")["ok"]
    ids = held.ids(chair_a)
    held.edit_person(a, ids["Lee"], "Lee", "professional", ["is_advocate"])
    jay = held.follow(a, "Jay", "Jay@A")
    sam_a, sam_b = held.follow(a, "Sam", "Sam@A"), held.follow(b, "Sam", "Sam@B")
    lee = held.follow(b, "Lee", "Lee@B")
    mum = held.follow(b, "Mum", "Mum@B")

    before_id = kept(jay, BEFORE, "house_of_worries")
    for socket in (sam_a, sam_b, lee):
        assert socket.wait_for_text(BEFORE), (socket, socket.events)

    # The chair takes Sam's advocate flag off on the people page (on B); Sam's phones are told.
    held.edit_person(b, ids["Sam"], "Sam", "professional", [])
    for socket in (sam_a, sam_b):
        assert socket.wait_for(lambda s=socket: s.named("identity_changed")), (socket, socket.events)
    told = {socket.name: len(socket.events) for socket in (sam_a, sam_b)}
    after_id = kept(jay, AFTER, "house_of_worries")
    assert lee.wait_for_text(AFTER), lee.events  # the advocate still an advocate receives it
    settle(chair_a, sam_a, sam_b, lee, mum)
    never(AFTER, sam_a, sam_b, mum)
    no_item_events(sam_a, sam_b, about=after_id)
    for socket in (sam_a, sam_b):
        snapshot = socket.sync()
        assert snapshot["items"] == [] and BEFORE not in json.dumps(snapshot), snapshot
        assert snapshot["can"]["fill_houses"] is False
        refused(socket, "share", {"item_id": before_id, "sharing": "everyone"}, "forbidden")
        refused(socket, "take_back", {"item_id": before_id}, "forbidden")
        refused(socket, "keep", {"client_id": "sam-again-0001", "kind": "house_of_dreams", "text": "x"}, "forbidden")
        assert all(name != "item_saved" for name, _ in socket.events[told[socket.name]:])
    sam_again = held.follow(a, "Sam", "Sam again@A")
    assert sam_again.sync()["items"] == []
    assert sorted(item_ids(lee.sync())) == sorted([before_id, after_id])

    # Lee is taken off the list while connected (the people page, on A): told, disconnected,
    # and nothing more; Lee's phone cannot follow the meeting again.
    held.remove_person(a, ids["Lee"])
    assert lee.wait_for(lambda: not lee.sio.connected, timeout=10), lee.events
    assert lee.named("removed")
    heard_until_removed = len(lee.events)
    kept(jay, LAST, "house_of_worries")
    assert jay.wait_for_text(LAST)
    settle(chair_a, jay, mum)
    assert len(lee.events) == heard_until_removed and LAST not in lee.heard()
    never(LAST, sam_a, sam_b, sam_again, mum)
    with pytest.raises(socketio.exceptions.ConnectionError):
        Socket(a, cookies(held.phones["Lee"]), held.id, "Lee again").connect()
    for page in (held.phone_pages("Lee"), held.phone_pages("Sam")):
        assert BEFORE not in page and AFTER not in page and LAST not in page


def test_a_party_moved_to_the_professionals_or_removed_no_longer_reads_what_parties_were_passed(meetings):
    """A party's words, passed on, reach *the parties* they were passed on to (access.py:
    `item_audience`; the protocol's table). Someone the chair moves to the professionals'
    side is no longer a party: whatever was passed on to them as one, they read no more,
    like every other professional; and what is passed on to "all" after does not reach them."""
    TO_ALL = "I would like us to share the school runs"
    LATER = "I can do Tuesdays and Thursdays"
    LAST = "We could swap at Nan's house"
    held, chair_a = shuttle(meetings, "Shuttle mediation for the T. family")
    a, b = held.a, held.b
    held.join("Pat")
    assert chair_a.call("admit_all")["ok"]
    ids = held.ids(chair_a)
    mum = held.follow(a, "Mum", "Mum@A")
    dad, gran_a, gran_b = held.follow(b, "Dad", "Dad@B"), held.follow(a, "Gran", "Gran@A"), held.follow(b, "Gran", "Gran@B")
    pat = held.follow(a, "Pat", "Pat@A")
    gran_own = kept(gran_b, "My own thought", "thought")

    to_all = kept(mum, TO_ALL, "proposal")
    assert mum.call("pass_on", {"item_id": to_all, "to": "all", "wording": "mine", "revision": 1})["ok"]
    for socket in (dad, gran_a, gran_b, pat):
        assert socket.wait_for_text(TO_ALL), (socket, socket.events)

    # Gran is corrected to the professionals' side on the people page (on B) while connected.
    held.edit_person(b, ids["Gran"], "Gran", "professional", [])
    for socket in (gran_a, gran_b):
        assert socket.wait_for(lambda s=socket: s.named("identity_changed")), (socket, socket.events)
    for socket in (gran_a, gran_b):
        snapshot = socket.sync()  # as the page does on identity_changed
        assert snapshot["can"]["keep_space"] is False
        assert to_all not in item_ids(snapshot) and TO_ALL not in json.dumps(snapshot), snapshot["items"]
        assert item_ids(snapshot) == [gran_own]  # her own words are still hers
    assert to_all in item_ids(dad.sync())  # still passed on to the parties

    later = kept(mum, LATER, "proposal")
    refused(mum, "pass_on", {"item_id": later, "to": ids["Gran"], "wording": "mine", "revision": 1}, "invalid")
    assert mum.call("pass_on", {"item_id": later, "to": "all", "wording": "mine", "revision": 1})["ok"]
    for socket in (dad, pat):
        assert socket.wait_for_text(LATER), (socket, socket.events)
    settle(chair_a, dad, gran_a, gran_b)
    never(LATER, gran_a, gran_b)
    no_item_events(gran_a, gran_b, about=later)
    gran_again = held.follow(a, "Gran", "Gran again@A")
    snapshot = gran_again.sync()
    assert item_ids(snapshot) == [gran_own] and TO_ALL not in json.dumps(snapshot), snapshot
    for page in (held.phone_pages("Gran"),):
        assert TO_ALL not in page and LATER not in page

    # Pat is taken off the list while connected: told, disconnected, nothing more.
    held.remove_person(b, ids["Pat"])
    assert pat.wait_for(lambda: not pat.sio.connected, timeout=10), pat.events
    assert pat.named("removed")
    heard_until_removed = len(pat.events)
    last = kept(mum, LAST, "proposal")
    assert mum.call("pass_on", {"item_id": last, "to": "all", "wording": "mine", "revision": 1})["ok"]
    assert dad.wait_for_text(LAST)
    settle(chair_a, dad, gran_b, mum)
    assert len(pat.events) == heard_until_removed and LAST not in pat.heard()
    never(LAST, gran_a, gran_b, gran_again)
    with pytest.raises(socketio.exceptions.ConnectionError):
        Socket(b, cookies(held.phones["Pat"]), held.id, "Pat again").connect()
    assert LAST not in held.phone_pages("Pat") and TO_ALL not in held.phone_pages("Pat")


def test_forged_ids_are_refused_and_leak_nothing(meetings):
    """Ids from another meeting, and another person's items, in every command that names an
    item: refused, with nothing sent to anyone and nothing changed."""
    MUM = "I am frightened of losing the children"
    OTHER = "Only for the other meeting's mediator"
    OTHER_CHILD = "The other child's worry"
    JAY = "I want everyone to stop fighting"
    held, chair_a = shuttle(meetings, "Shuttle mediation for the U. family")
    a, b = held.a, held.b
    held.add_childs_voice(a)  # any format may have the child's voice
    held.join("Jay")
    held.join("Sam", "professional")
    assert chair_a.call("admit_all")["ok"]
    ids = held.ids(chair_a)
    held.edit_person(b, ids["Jay"], "Jay", "family", ["is_child"])
    held.edit_person(b, ids["Sam"], "Sam", "professional", ["is_advocate"])
    chair_b = held.follow(b, "chair", "chair@B")
    mum, dad = held.follow(a, "Mum", "Mum@A"), held.follow(b, "Dad", "Dad@B")
    jay, sam = held.follow(b, "Jay", "Jay@B"), held.follow(a, "Sam", "Sam@A")
    dan, screen = held.follow(a, "Dan", "Dan@A"), held.open_screen(b, "screen@B")

    # Another meeting of the same chair, on the same processes, with words of its own.
    other = meetings("shuttle_mediation", "Shuttle mediation for the V. family")
    other.add_childs_voice(b)
    other.join("Pip")
    other.join("Kit")
    other_chair = other.follow(b, "chair", "other chair@B")
    assert other_chair.call("admit_all")["ok"]
    other_ids = other.ids(other_chair)
    other.edit_person(a, other_ids["Kit"], "Kit", "family", ["is_child"])
    assert other_chair.call("start")["ok"]
    pip, kit = other.follow(a, "Pip", "Pip@A"), other.follow(b, "Kit", "Kit@B")
    other_item = kept(pip, OTHER, "worry")
    other_house = kept(kit, OTHER_CHILD, "house_of_worries")
    assert other_chair.wait_for(lambda: OTHER in other_chair.texts())

    mum_item = kept(mum, MUM, "feeling")
    jay_house = kept(jay, JAY, "house_of_worries")
    assert chair_a.call("suggest", {"item_id": mum_item, "words": "I worry about the children"})["ok"]
    for socket in (mum, chair_b):
        assert socket.wait_for(lambda s=socket: any(i.get("suggestion") for i in s.items()))
    assert sam.wait_for_text(JAY)
    # A client id Mum used: Dad's resend of it (below) is refused, not answered with her item.
    assert mum.call("keep", {"client_id": "forged-client-id", "kind": "thought", "text": "Mum's own"})["ok"]
    assert chair_b.wait_for_text("Mum's own")
    settle(chair_a, chair_b, dad, screen, mum)
    settle(other_chair, pip, kit)
    before = {socket.name: len(socket.events) for socket in (*held.sockets, *other.sockets)}

    forged = [
        # Another meeting's items, named by this meeting's sockets.
        (mum, "pass_on", {"item_id": other_item, "to": ids["Dad"], "wording": "mine", "revision": 1}),
        (mum, "take_back", {"item_id": other_item}),
        (mum, "keep_my_words", {"item_id": other_item}),
        (chair_a, "suggest", {"item_id": other_item, "words": "Reworded"}),
        (chair_b, "propose_term", {"client_id": "term-forged-001", "text": "A term", "from_item_id": other_item}),
        (jay, "share", {"item_id": other_house, "sharing": "everyone"}),
        (sam, "share", {"item_id": other_house, "sharing": "everyone"}),
        (sam, "take_back", {"item_id": other_house}),
        (sam, "keep", {"client_id": "sam-forged-0001", "kind": "house_of_dreams", "text": "x", "child_id": other_ids["Kit"]}),
        # Another party's item, or a child's, named by someone who does not keep it.
        (dad, "pass_on", {"item_id": mum_item, "to": ids["Dad"], "wording": "suggested", "revision": 2}),
        (dad, "pass_on", {"item_id": mum_item, "to": "all", "wording": "mine", "revision": 2}),
        (dad, "take_back", {"item_id": mum_item}),
        (dad, "keep_my_words", {"item_id": mum_item}),
        (dad, "suggest", {"item_id": mum_item, "words": "Reworded"}),
        (dad, "share", {"item_id": mum_item, "sharing": "everyone"}),
        (jay, "share", {"item_id": mum_item, "sharing": "everyone"}),
        (sam, "share", {"item_id": mum_item, "sharing": "everyone"}),
        (sam, "take_back", {"item_id": mum_item}),
        (mum, "share", {"item_id": jay_house, "sharing": "everyone"}),
        (mum, "take_back", {"item_id": jay_house}),
        (mum, "pass_on", {"item_id": jay_house, "to": ids["Dad"], "wording": "mine", "revision": 1}),
        (chair_b, "suggest", {"item_id": jay_house, "words": "Reworded"}),
        (chair_a, "propose_term", {"client_id": "term-forged-002", "text": "A term", "from_item_id": mum_item}),
        (dan, "share", {"item_id": jay_house, "sharing": "everyone"}),
        (dan, "pass_on", {"item_id": mum_item, "to": "all", "wording": "mine", "revision": 2}),
        (screen, "share", {"item_id": jay_house, "sharing": "everyone"}),
        (screen, "take_back", {"item_id": mum_item}),
        # Someone else's client id, sent again as if it were one's own.
        (dad, "keep", {"client_id": "forged-client-id", "kind": "thought", "text": "x"}),
        # Ids that are no ids.
        (mum, "pass_on", {"item_id": str(mum_item), "to": ids["Dad"], "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": True, "to": ids["Dad"], "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": mum_item, "to": str(ids["Dad"]), "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": mum_item, "to": other_ids["Pip"], "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": mum_item, "to": ids["Dan"], "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": mum_item, "to": ids["Mum"], "wording": "mine", "revision": 2}),
        (mum, "pass_on", {"item_id": mum_item, "to": -1, "wording": "mine", "revision": 2}),
        (mum, "take_back", {"item_id": 2**70}),
        (sam, "share", {"item_id": [jay_house], "sharing": "everyone"}),
        (mum, "pass_on", {"item_id": mum_item, "to": ids["Dad"], "wording": "mine", "revision": 2, "extra": 1}),
    ]
    for socket, command, payload in forged:
        answer = refused(socket, command, payload, "invalid", "forbidden")  # never "internal"
        dumped = json.dumps(answer)
        for words in (MUM, OTHER, OTHER_CHILD, JAY, "Mum's own"):
            assert words not in dumped, (command, payload, answer)
        assert "item_id" not in answer and "item" not in answer
    settle(chair_a, chair_b, dad, screen, jay, dan)
    settle(other_chair, pip, kit)
    for socket in (*held.sockets, *other.sockets):
        new = [(n, d) for n, d in socket.events[before[socket.name]:] if n.startswith("item_") or n.startswith("term_")]
        assert new == [], (socket, new)
    for socket in (dad, dan, screen, jay, pip, kit, other_chair):
        never(MUM, socket)
    for socket in (held.sockets):
        never(OTHER, socket)
        never(OTHER_CHILD, socket)
    for socket in (dad, dan, screen, chair_a, chair_b, mum):
        never(JAY, socket)
    # Nothing changed: Mum's item and the other meeting's are as they were, unshared.
    mine = {i["id"]: i for i in mum.sync()["items"]}
    assert mine[mum_item]["sharing"] == "nobody" and mine[mum_item]["revision"] == 2
    theirs = {i["id"]: i for i in other_chair.sync()["items"]}
    assert theirs[other_item]["sharing"] == "nobody" and theirs[other_item]["revision"] == 1
    assert {i["id"]: i["sharing"] for i in kit.sync()["items"]} == {other_house: "nobody"}
    assert chair_a.sync()["terms"] == []
    # And the channel was open all along: Mum's own pass_on reaches Dad at once.
    assert mum.call("pass_on", {"item_id": mum_item, "to": ids["Dad"], "wording": "suggested", "revision": 2})["ok"]
    assert dad.wait_for_text("I worry about the children"), dad.events
    settle(chair_a, chair_a, dad, screen)
    never(MUM, dad, dan, screen)
