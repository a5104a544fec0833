"""GET /healthz: what a load balancer and a monitoring system see."""

import pytest

from facilitator import __version__, create_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "async_mode": "threading",
        "message_queue": "off",
        "version": __version__,
    }


@pytest.mark.parametrize(
    "broken_url",
    [
        "sqlite:////nonexistent-folder/for/sure/facilitator.sqlite3",
        "postgresql://nobody@127.0.0.1:1/nothing",
    ],
    ids=["sqlite-missing-folder", "postgresql-closed-port"],
)
def test_unreachable_database_is_503_with_the_reason(broken_url):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": broken_url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["database"] == "unreachable"
    assert response.json["reason"] == "the database cannot be reached"
    # The raw driver error names hosts and paths: it stays in the log.
    assert "nonexistent-folder" not in response.get_data(as_text=True)
    assert "127.0.0.1" not in response.get_data(as_text=True)
