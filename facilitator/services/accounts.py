"""Chair accounts: creating them, checking passwords."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from facilitator.extensions import db
from facilitator.models import Chair
from facilitator.services.errors import ValidationError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# Deliberately loose: the only real check of an address is mail reaching it.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        raise ValidationError("email", _("Enter an e-mail address like name@council.gov.uk."))
    return email


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password",
            _("Use a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            "password",
            _("Use a password of at most %(count)d characters.", count=MAX_PASSWORD_LENGTH),
        )
    if not password.strip():
        raise ValidationError("password", _("A password cannot be only spaces."))
    return password


def find_chair(email: str) -> Chair | None:
    return db.session.scalar(select(Chair).where(Chair.email == normalise_email(email)))


def create_chair(email: str, password: str, display_name: str = "", is_admin: bool = False) -> Chair:
    """Create a chair account; the e-mail must be new and the password long enough."""
    email = validate_email(email)
    password = validate_password(password)
    display_name = display_name.strip() or email.split("@", 1)[0]
    if len(display_name) > 120:
        raise ValidationError("display_name", _("Use a name of at most 120 characters."))
    if find_chair(email) is not None:
        raise ValidationError("email", _("There is already an account for that e-mail address."))
    chair = Chair(
        email=email,
        display_name=display_name,
        password_hash=generate_password_hash(password),
        is_admin=is_admin,
    )
    db.session.add(chair)
    db.session.commit()
    return chair


def set_password(chair: Chair, password: str) -> None:
    chair.password_hash = generate_password_hash(validate_password(password))
    db.session.commit()


def authenticate(email: str, password: str) -> Chair | None:
    """Return the chair whose e-mail and password these are, or None.

    An unknown e-mail costs the same hashing time as a wrong password, so the
    answer's timing does not tell which of the two was wrong.
    """
    chair = find_chair(email)
    if chair is None:
        check_password_hash(_unused_hash(), password)
        return None
    return chair if check_password_hash(chair.password_hash, password) else None


@cache
def _unused_hash() -> str:
    return generate_password_hash("a password nobody has")
