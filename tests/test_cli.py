"""The commands whoever runs the server uses: init-db, create-chair, demo."""

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from facilitator import create_app
from facilitator.extensions import db
from facilitator.models import Chair, Meeting
from facilitator.services import accounts
from tests.conftest import AuthActions


def test_init_db_twice_is_harmless(app, runner):
    with app.app_context():
        accounts.create_chair("keep.me@council.example", "a long enough password")
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "The database is ready." in result.output
    with app.app_context():
        assert {"chair", "meeting", "alembic_version"} <= set(inspect(db.engine).get_table_names())
        assert db.session.scalar(select(Chair.email)) == "keep.me@council.example"
        assert db.session.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_init_db_says_where_it_built_the_static_files(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    folder = re.search(r"The static files are built in (.+)\.\n", result.output).group(1)
    hashed = app.extensions["facilitator_assets"].names["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed)
    assert (Path(folder) / hashed).is_file() and (Path(folder) / f"{hashed}.gz").is_file()


def test_create_chair_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["create-chair", "Alex@Council.Example", "--name", "Alex Morgan"],
        input="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created chair account alex@council.example." in result.output
    with app.app_context():
        chair = accounts.authenticate("alex@council.example", "correct horse battery")
        assert chair is not None and chair.display_name == "Alex Morgan"
        assert "correct horse battery" not in chair.password_hash


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", "correct horse battery", "Enter an e-mail address like name@council.gov.uk."),
        ("alex@council.example", "short", "Use a password of at least 12 characters."),
        ("alex@council.example", " " * 20, "A password cannot be only spaces."),
    ],
    ids=["bad-email", "short-password", "blank-password"],
)
def test_create_chair_rejects_bad_input_with_a_clear_error(app, runner, email, password, message):
    result = runner.invoke(args=["create-chair", email], input=password + "\n")
    assert result.exit_code == 2
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(Chair)) is None


def test_create_chair_rejects_a_second_account_for_one_email(runner, chair):
    result = runner.invoke(args=["create-chair", chair.email.upper()], input="another long password\n")
    assert result.exit_code == 2
    assert "There is already an account for that e-mail address." in result.output


def test_demo_prints_links_that_work(app, runner, client):
    result = runner.invoke(args=["demo", "--url", "http://192.0.2.10:8080"])
    assert result.exit_code == 0, result.output
    email = re.search(r"e-mail:\s+(\S+)", result.output).group(1)
    password = re.search(r"password:\s+(\S+)", result.output).group(1)
    console = re.search(r"Chair console: http://192\.0\.2\.10:8080(/\S+)", result.output).group(1)
    join = re.search(r"Join URL:\s+http://192\.0\.2\.10:8080(/\S+)", result.output).group(1)

    assert client.get(join).status_code == 200
    assert (
        AuthActions(client).login(email=email, password=password, next_path=console).headers["Location"]
        == console
    )
    assert client.get(console).status_code == 200


def test_demo_run_again_refreshes_the_password_and_keeps_one_meeting(app, runner):
    first = runner.invoke(args=["demo"]).output
    second = runner.invoke(args=["demo"]).output
    password = re.search(r"password:\s+(\S+)", second).group(1)
    assert re.search(r"password:\s+(\S+)", first).group(1) != password
    with app.app_context():
        assert accounts.authenticate("chair@demo.invalid", password) is not None
        assert len(db.session.scalars(select(Meeting)).all()) == 1


def test_demo_is_refused_in_production(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        }
    )
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 2
    assert "not for production" in result.output
