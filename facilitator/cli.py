"""Commands for whoever runs the server: ``flask --app facilitator <command>``."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from facilitator import database
from facilitator.extensions import db
from facilitator.models import Meeting
from facilitator.services import accounts, meetings, people, retention
from facilitator.services.errors import ValidationError
from facilitator.web.urls import external_url, join_url

DEMO_EMAIL = "chair@demo.invalid"
DEMO_MEETING_TITLE = "Family Group Conference for the J. family"
DEFAULT_URL = "http://127.0.0.1:5000"
DEMO_PEOPLE = (
    ("Kerry", "Mum", "family", ()),
    ("Pat", "Nan", "family", ()),
    ("J.", "", "family", ("is_child",)),
    ("Amira", "J.'s advocate", "professional", ("is_advocate", "may_stay_in_private_time")),
    ("Dan", "Social worker", "professional", ("is_referrer",)),
)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or bring its schema up to date. Safe to run again."""
    database.upgrade_schema()
    click.echo("The database is ready.")
    # Built when the app was created, as at every start: said here for whoever deploys.
    click.echo(f"The static files are built in {current_app.extensions['facilitator_assets'].folder}.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Piped in, as a provisioning script does: the first line is the password.
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-chair")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="The name people see, e.g. 'Sam Patel'.")
@click.option("--admin", is_flag=True, help="May create other chairs' accounts.")
def create_chair(email: str, name: str, admin: bool) -> None:
    """Create a chair account; the password is prompted for, or read from stdin."""
    try:
        accounts.validate_email(email)
        chair = accounts.create_chair(email, _read_password(), display_name=name, is_admin=admin)
    except ValidationError as error:
        raise click.BadParameter(error.message, param_hint=error.field) from None
    click.echo(f"Created chair account {chair.email}.")


@click.command("demo")
@with_appcontext
@click.option("--url", "base_url", default=None, help=f"Where the server is reached [default: PUBLIC_URL or {DEFAULT_URL}].")
def demo(base_url: str | None) -> None:
    """Create (or refresh) a demo chair and meeting, and print how to open them."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError("demo creates an account with a printed password: it is not for production.")
    base_url = (base_url or current_app.config["PUBLIC_URL"] or DEFAULT_URL).rstrip("/")
    password = secrets.token_urlsafe(12)
    chair = accounts.find_chair(DEMO_EMAIL)
    if chair is None:
        chair = accounts.create_chair(DEMO_EMAIL, password, display_name="Demo chair")
    else:
        accounts.set_password(chair, password)
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.owner_id == chair.id, Meeting.title == DEMO_MEETING_TITLE)
    )
    if meeting is None or not meeting.is_open:
        meeting = meetings.create_meeting(
            chair,
            meetings.Details(
                title=DEMO_MEETING_TITLE,
                purpose="To make a plan, with the family, for J. to be safe and well.",
                venue="Riverside Family Centre, room 2",
            ),
            format_key="family_group_conference",
        )
        for name, relation, side, flags in DEMO_PEOPLE:
            people.add_person(meeting, people.PersonDetails(name, relation, side, frozenset(flags)))
    with current_app.test_request_context(base_url=base_url):
        console = external_url("meetings.console", meeting_id=meeting.id)
        join = join_url(meeting)
    click.echo(
        "\n".join(
            [
                "Demo chair login:",
                f"  e-mail:    {chair.email}",
                f"  password:  {password}",
                f"Chair console: {console}",
                f"Join URL:      {join}   (join code {meeting.join_code})",
            ]
        )
    )


@click.command("purge-expired")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would be deleted, and delete nothing.")
def purge_expired(dry_run: bool) -> None:
    """Delete closed meetings past MEETING_RETENTION_DAYS, and audit entries past
    AUDIT_RETENTION_DAYS. Safe to run again, and on a schedule."""
    days = current_app.config["MEETING_RETENTION_DAYS"]
    audit_days = current_app.config["AUDIT_RETENTION_DAYS"]
    purge = retention.purge_expired(dry_run=dry_run)
    if dry_run:
        # For the operator at a terminal: titles, to check what is about to go.
        click.echo(f"Dry run: nothing deleted. Closed meetings kept {days} days after closing.")
        for meeting in purge.meetings:
            rows = ", ".join(f"{table} {count}" for table, count in meeting.rows.items())
            click.echo(
                f"  would delete meeting {meeting.id} \"{meeting.title}\", "
                f"closed {meeting.closed_at.date().isoformat()}: {meeting.total_rows} rows ({rows})"
            )
        click.echo(f"Would delete {len(purge.meetings)} meetings.")
        click.echo(f"Would delete {purge.audit_entries} audit entries older than {audit_days} days.")
        return
    # Run by the timer, into the journal: ids, dates and counts, never a title or a name.
    for meeting in purge.meetings:
        click.echo(
            f"Deleted meeting {meeting.id}, closed {meeting.closed_at.date().isoformat()}: "
            f"{meeting.total_rows} rows."
        )
    click.echo(f"Deleted {len(purge.meetings)} meetings closed more than {days} days ago.")
    click.echo(f"Deleted {purge.audit_entries} audit entries older than {audit_days} days.")


def init_app(app: Flask) -> None:
    for command in (init_db, create_chair, demo, purge_expired):
        app.cli.add_command(command)
