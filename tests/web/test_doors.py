"""Doors closed to attackers: where sign-in sends you, guessing join codes, guessing passwords,
and limits counted in one place for every process (memory, or Redis when there is one)."""

from __future__ import annotations

import logging
import os
import secrets
import time

import pytest
import redis

from facilitator import create_app, database
from facilitator.services import accounts, joining, people, throttle
from facilitator.extensions import db
from facilitator.models import Meeting
from tests.conftest import CHAIR_EMAIL, CHAIR_PASSWORD, AuthActions, csrf_token

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STRANGER = "203.0.113.9"
FRESH = "198.51.100.7"


def phone_at(app, address):
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = address
    return phone


def random_code():
    return "".join(secrets.choice("ACDEFGHJKMNPQRTUVWXY34679") for _ in range(7))


# --- Where signing in sends you -------------------------------------------------------------


@pytest.mark.parametrize(
    "next_path",
    [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%00/evil.example",
        "/%7f/evil.example",
        "/%c2%85/evil.example",  # NEL, a control character outside ASCII
        "//evil.example",
        "/%2F/evil.example",  # decoded: //evil.example
        "/\\evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "https:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "%09/evil.example",
        "",
    ],
)
def test_signing_in_never_leaves_the_site(auth, chair, next_path):
    response = auth.login(next_path=next_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/"


@pytest.mark.parametrize("next_path", ["/meetings/3", "/meetings/3/console?tab=people", "/account/password"])
def test_signing_in_still_returns_to_the_page_asked_for(auth, chair, next_path):
    response = auth.login(next_path=next_path.replace("?", "%3F"))
    assert response.status_code == 302
    assert response.headers["Location"] == next_path


# --- Guessing join codes -------------------------------------------------------------------


@pytest.fixture
def meeting(make_meeting):
    return make_meeting("FGC for the N. family")


def test_guessing_join_codes_is_stopped_calmly(app, meeting):
    guesser = phone_at(app, STRANGER)
    answers = [guesser.get(f"/join/{random_code()}").status_code for _ in range(300)]
    assert answers[: joining.MISSED_LOOKUPS_PER_ADDRESS] == [404] * joining.MISSED_LOOKUPS_PER_ADDRESS
    assert set(answers[joining.MISSED_LOOKUPS_PER_ADDRESS :]) == {429}

    refused = guesser.get(f"/join/{random_code()}")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many tries" in html
    assert "Please wait 10 minutes, then try again." in html
    assert "Exit this page" in html and "data-quick-exit" in html  # the phone's quick exit
    assert "Something went wrong" not in html

    # A right code from that address is refused alike: the refusal says nothing about which exist.
    assert guesser.get(f"/join/{meeting.join_code}").status_code == 429
    assert guesser.get("/join/", query_string={"code": meeting.join_code}).status_code == 429
    assert guesser.get("/join/invite/" + secrets.token_urlsafe(24)).status_code == 429


def test_the_refusal_lifts_with_time(app, meeting, monkeypatch):
    guesser = phone_at(app, STRANGER)
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        guesser.get(f"/join/{random_code()}")
    assert guesser.get(f"/join/{meeting.join_code}").status_code == 429
    later = time.time() + joining.LOOKUP_WINDOW.total_seconds() + 1
    monkeypatch.setattr(throttle, "now", lambda: later)
    assert guesser.get(f"/join/{meeting.join_code}").status_code == 200


def test_guessing_personal_links_is_counted_too(app, meeting):
    guesser = phone_at(app, STRANGER)
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        assert guesser.get("/join/invite/" + secrets.token_urlsafe(24)).status_code == 404
    assert guesser.get("/join/invite/" + secrets.token_urlsafe(24)).status_code == 429
    assert guesser.get(f"/join/{meeting.join_code}").status_code == 429


def join(phone, code, name="Kerry"):
    page = phone.get(f"/join/{code}")
    assert page.status_code == 200
    data = {"name": name, "relation": "Mum", "side": "family", "csrf_token": csrf_token(page.get_data(as_text=True))}
    return phone.post(f"/join/{code}", data=data)


def test_a_normal_phone_still_joins_while_a_stranger_guesses(app, meeting):
    guesser = phone_at(app, STRANGER)
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS + 5):
        guesser.get(f"/join/{random_code()}")
    phone = phone_at(app, FRESH)
    typed = phone.get("/join/", query_string={"code": meeting.join_code.lower()})
    assert typed.status_code == 302
    assert join(phone, meeting.join_code).status_code == 302
    assert "Kerry" in phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)


def test_a_phone_already_in_the_meeting_is_never_held_up(app, meeting):
    venue = phone_at(app, STRANGER)  # the venue's Wi-Fi, shared with someone mistyping a lot
    assert join(venue, meeting.join_code).status_code == 302
    other = phone_at(app, STRANGER)
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        other.get(f"/join/{random_code()}")
    assert other.get(f"/join/{meeting.join_code}").status_code == 429
    page = venue.get(f"/join/{meeting.join_code}")
    assert page.status_code == 200
    assert "Kerry" in page.get_data(as_text=True)


def test_a_few_mistyped_codes_do_not_stop_a_phone(app, meeting):
    phone = phone_at(app, FRESH)
    for _ in range(3):
        assert phone.get(f"/join/{random_code()}").status_code == 404
    assert join(phone, meeting.join_code).status_code == 302


def test_a_personal_link_still_works_from_a_fresh_address(app, meeting):
    with app.test_request_context():
        loaded = db.session.get(Meeting, meeting.id)
        person = people.add_person(loaded, people.PersonDetails("Pat", "Nan", "family"))
        _, token = people.issue_invite(loaded, person.id)
    guesser = phone_at(app, STRANGER)
    for _ in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        guesser.get("/join/invite/" + secrets.token_urlsafe(24))
    assert guesser.get(f"/join/invite/{token}").status_code == 429
    page = phone_at(app, FRESH).get(f"/join/invite/{token}")
    assert page.status_code == 200
    assert "Join as Pat" in page.get_data(as_text=True)


# --- Guessing a chair's password -----------------------------------------------------------


def guess(app, address, times, email=CHAIR_EMAIL):
    stranger = AuthActions(app.test_client(), address=address)
    return [stranger.login(email=email, password="not the password").status_code for _ in range(times)]


def test_a_stranger_guessing_cannot_lock_the_chair_out(app, chair):
    answers = guess(app, STRANGER, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS + 10)
    limit = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS
    assert answers[:limit] == [400] * limit
    assert set(answers[limit:]) == {429}
    # The stranger, even with the right password, is refused unheard.
    assert AuthActions(app.test_client(), address=STRANGER).login().status_code == 429
    # The chair, from their own address, signs in.
    assert AuthActions(app.test_client(), address=FRESH).login().status_code == 302


def test_guessing_from_many_addresses_is_stopped_without_locking_the_chair_out(app, chair):
    per_address = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1
    addresses = [f"203.0.113.{n}" for n in range(1, 60)]
    failures = 0
    for address in addresses:
        if failures >= accounts.MAX_FAILURES_PER_ACCOUNT:
            break
        assert guess(app, address, per_address) == [400] * per_address
        failures += per_address
    # The account has been guessed at enough: every address that guessed is refused unheard,
    # the right password included, though none reached its own limit.
    assert AuthActions(app.test_client(), address=addresses[0]).login().status_code == 429
    # A new address is heard once: a wrong guess, then refused.
    assert guess(app, "203.0.113.200", 2) == [400, 429]
    # The chair, from an address that has not been guessing, signs in.
    assert AuthActions(app.test_client(), address=FRESH).login().status_code == 302


def test_the_chairs_own_mistakes_do_not_count_against_them_after_signing_in(app, chair):
    own = AuthActions(app.test_client(), address=FRESH)
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1):
        assert own.login(password="a wrong password here").status_code == 400
    assert own.login().status_code == 302
    own.logout()
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1):
        assert own.login(password="a wrong password here").status_code == 400
    assert own.login().status_code == 302


def test_an_address_trying_many_accounts_is_stopped(app, chair):
    per_account = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS - 1
    tried = 0
    n = 0
    while tried < accounts.MAX_FAILURES_PER_ADDRESS:
        tries = min(per_account, accounts.MAX_FAILURES_PER_ADDRESS - tried)
        assert guess(app, STRANGER, tries, email=f"guess{n}@council.example") == [400] * tries
        tried, n = tried + tries, n + 1
    assert AuthActions(app.test_client(), address=STRANGER).login().status_code == 429
    assert AuthActions(app.test_client(), address=FRESH).login().status_code == 302


# --- Where the counts are kept -------------------------------------------------------------


def test_without_a_message_queue_counts_are_kept_in_memory(app):
    assert isinstance(throttle.store_for(app), throttle.MemoryStore)


def check_a_store(store: throttle.Store):
    key = secrets.token_hex(32)
    start = time.time()
    assert store.count(key, start - 60) == (0, None)
    store.add((key,), start - 120)
    store.add((key,), start - 30)
    store.add((key,), start - 10)
    assert store.count(key, start - 60) == (2, pytest.approx(start - 30))
    assert store.count(key, start - 600)[0] == 3
    store.clear(key)
    assert store.count(key, start - 600) == (0, None)


def test_the_memory_store_counts_within_a_window():
    check_a_store(throttle.MemoryStore())


@pytest.fixture
def redis_url():
    """Redis, for counts shared by every process; a skip (a failure under CI=true) when away."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def two_processes(tmp_path, redis_url):
    """Two apps as two server processes of one installation: one database, one secret key, one
    Redis channel."""
    settings = {
        "ENV_NAME": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "SECRET_KEY": secrets.token_hex(32),
        "SOCKETIO_MESSAGE_QUEUE": redis_url,
        "SOCKETIO_CHANNEL": f"facilitator-test-{secrets.token_hex(4)}",
    }
    a, b = create_app(settings), create_app(settings)
    with a.app_context():
        database.upgrade_schema()
        accounts.create_chair(CHAIR_EMAIL, CHAIR_PASSWORD, display_name="Sam Patel")
    yield a, b
    client = redis.Redis.from_url(redis_url)
    for name in client.scan_iter(f"{settings['SOCKETIO_CHANNEL']}:throttle:*"):
        client.delete(name)
    for app in (a, b):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_redis_store_counts_within_a_window(redis_url):
    check_a_store(throttle.RedisStore(redis_url, f"facilitator-test-{secrets.token_hex(4)}:throttle:"))


def test_with_redis_every_process_counts_the_same_failures(two_processes):
    a, b = two_processes
    assert isinstance(throttle.store_for(a), throttle.RedisStore)
    limit = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS
    first = AuthActions(a.test_client(), address=STRANGER)
    second = AuthActions(b.test_client(), address=STRANGER)
    for n in range(limit):
        guesser = first if n % 2 else second
        assert guesser.login(password="not the password").status_code == 400
    assert first.login().status_code == 429
    assert second.login().status_code == 429
    assert AuthActions(b.test_client(), address=FRESH).login().status_code == 302


def test_with_redis_join_code_guesses_on_one_process_count_on_the_other(two_processes):
    a, b = two_processes
    for n in range(joining.MISSED_LOOKUPS_PER_ADDRESS):
        app = a if n % 2 else b
        assert phone_at(app, STRANGER).get(f"/join/{random_code()}").status_code == 404
    assert phone_at(a, STRANGER).get(f"/join/{random_code()}").status_code == 429
    assert phone_at(b, STRANGER).get(f"/join/{random_code()}").status_code == 429


def test_when_redis_does_not_answer_each_process_still_counts(app, caplog):
    store = throttle.RedisStore("redis://127.0.0.1:1/0", "facilitator-test:throttle:")
    with caplog.at_level(logging.WARNING, logger="facilitator.services.throttle"):
        check_a_store(store)
    assert len([r for r in caplog.records if "Redis did not answer" in r.getMessage()]) == 1


# --- Which address is counted --------------------------------------------------------------


def guess_codes(app, times, **headers):
    phone = phone_at(app, "127.0.0.1")  # every request arrives from the proxy on this machine
    return [phone.get(f"/join/{random_code()}", headers=headers).status_code for _ in range(times)]


def test_behind_nginx_each_client_is_counted_by_its_own_address(tmp_path):
    app = create_app(
        {"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}", "TRUSTED_PROXIES": 1}
    )
    with app.app_context():
        database.upgrade_schema()
    limit = joining.MISSED_LOOKUPS_PER_ADDRESS
    # nginx appends the address it saw to whatever the client claimed.
    assert set(guess_codes(app, limit, **{"X-Forwarded-For": f"10.0.0.1, {STRANGER}"})) == {404}
    assert guess_codes(app, 1, **{"X-Forwarded-For": f"10.0.0.2, {STRANGER}"}) == [429]
    assert guess_codes(app, 1, **{"X-Forwarded-For": FRESH}) == [404]
    # The scheme too: the phone reached nginx over HTTPS, so the page tells it to stay there.
    phone = phone_at(app, "127.0.0.1")
    secure = phone.get("/login", headers={"X-Forwarded-For": FRESH, "X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in phone.get("/login", headers={"X-Forwarded-For": FRESH}).headers
    with app.app_context():
        db.engine.dispose()


def test_without_a_proxy_a_forwarded_address_is_not_believed(app):
    limit = joining.MISSED_LOOKUPS_PER_ADDRESS
    for n in range(limit):
        assert guess_codes(app, 1, **{"X-Forwarded-For": f"10.0.0.{n}"}) == [404]
    assert guess_codes(app, 1, **{"X-Forwarded-For": FRESH}) == [429]
