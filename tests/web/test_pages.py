"""What every page carries: security headers, the base template, errors."""

import re
from pathlib import Path

import pytest

import facilitator

STATIC = Path(facilitator.__file__).parent / "static"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_base_template_has_language_skip_link_and_csrf_token(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert re.search(r'<html lang="en(-GB)?" dir="ltr" data-locale="en-GB" data-zone="Europe/London">', html)
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert re.search(r'<meta name="csrf-token" content="[^"]{20,}">', html)


def test_vendored_socketio_client_is_served_with_its_licence(client):
    clients = sorted(STATIC.glob("vendor/socket.io-*.esm.min.js"))
    assert len(clients) == 1
    version = re.match(r"socket\.io-(\d+\.\d+\.\d+)\.esm\.min\.js", clients[0].name).group(1)
    assert version.startswith("4.")
    assert (STATIC / "vendor" / f"socket.io-{version}.LICENSE").read_text().startswith("The MIT License")
    response = client.get(f"/static/vendor/{clients[0].name}")
    assert response.status_code == 200
    assert f"Socket.IO v{version}" in response.get_data(as_text=True)
    response.close()


def test_live_page_scripts_import_the_vendored_client(client):
    shared = (STATIC / "js" / "lib" / "live.js").read_text()
    imported = re.search(r'from "\.\./\.\./vendor/(socket\.io-[^"]+)"', shared).group(1)
    assert (STATIC / "vendor" / imported).is_file()


def test_not_found_is_a_page_for_people(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "We could not find that page" in response.get_data(as_text=True)


def test_not_found_is_json_for_programs(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"]["status"] == 404
    assert "We could not find that page" in response.json["error"]["message"]


@pytest.mark.parametrize("path", ["/", "/meetings/", "/meetings/1"])
def test_chair_pages_ask_for_sign_in(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/login"
