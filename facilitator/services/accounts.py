"""Chair accounts: creating them, checking passwords."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from facilitator.extensions import db
from facilitator.models import Chair
from facilitator.services import throttle
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
        password_hash=_hash(password),
        is_admin=is_admin,
    )
    db.session.add(chair)
    db.session.commit()
    return chair


def set_password(chair: Chair, password: str) -> None:
    """Give the chair a new password and end every session signed in with the old one."""
    chair.password_hash = _hash(validate_password(password))
    chair.session_version += 1
    db.session.commit()


def change_password(chair: Chair, current: str, new: str, confirmation: str) -> None:
    """A chair changes their own password, proving they know the current one."""
    if not check_password_hash(chair.password_hash, current):
        raise ValidationError("current_password", _("That is not your current password."))
    validate_password(new)
    if new != confirmation:
        raise ValidationError(
            "confirmation", _("The two new passwords are different. Type the same one twice.")
        )
    if new == current:
        raise ValidationError("password", _("Choose a password different from the current one."))
    set_password(chair, new)


# Lower case without l, o, 0 or 1: read over the phone without mistakes.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_temporary_password() -> str:
    """A password an admin hands over once, for the new chair to change: 4 groups of 4 (about 79 bits)."""
    groups = ("".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def all_chairs() -> list[Chair]:
    return list(db.session.scalars(select(Chair).order_by(Chair.display_name, Chair.email)))


def authenticate(email: str, password: str) -> Chair | None:
    """Return the chair whose e-mail and password these are, or None.

    An unknown e-mail costs the same hashing time as a wrong password, so the
    answer's timing does not tell which of the two was wrong.
    """
    chair = find_chair(email)
    if chair is None:
        check_password_hash(_unused_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return chair if check_password_hash(chair.password_hash, password) else None


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _unused_hash(method: str) -> str:
    return generate_password_hash("a password nobody has", method=method)


# Sign-in throttling: it stops guessing, and does not let a stranger lock a chair out.
FAILURE_WINDOW = timedelta(minutes=15)
# One network address guessing, whichever accounts it tries.
MAX_FAILURES_PER_ADDRESS = 20
# One network address guessing one account's password.
MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS = 5
# One account guessed at from many addresses: from then on, only addresses that have not
# failed on it are heard, so each further guess needs an address of its own.
MAX_FAILURES_PER_ACCOUNT = 20


def sign_in(email: str, password: str, address: str) -> Chair | None:
    """Check a sign-in attempt, refusing it unheard (TooManyAttempts) while its address or the
    account has been guessing; failures are counted for the address, the account, and the
    account from this address, each within FAILURE_WINDOW.

    Refused: an address with MAX_FAILURES_PER_ADDRESS failures (any accounts); an account from
    an address that has failed on it MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS times; and, once
    an account has had MAX_FAILURES_PER_ACCOUNT failures from anywhere, that account from any
    address that has failed on it at all. An address that has not been guessing is always
    heard: a chair with the right password signs in while a stranger guesses elsewhere. The
    refusals lift as the failures age; a success clears this address's failures on the account.
    """
    account = normalise_email(email)
    account_key = throttle.key("sign-in account", account)
    address_key = throttle.key("sign-in address", address)
    pair_key = throttle.key("sign-in account from address", f"{account} {address}")
    throttle.check(address_key, MAX_FAILURES_PER_ADDRESS, FAILURE_WINDOW)
    throttle.check(pair_key, MAX_FAILURES_PER_ACCOUNT_FROM_ADDRESS, FAILURE_WINDOW)
    if throttle.count(pair_key, FAILURE_WINDOW):
        throttle.check(account_key, MAX_FAILURES_PER_ACCOUNT, FAILURE_WINDOW)
    chair = authenticate(email, password)
    if chair is None:
        throttle.record(account_key, address_key, pair_key)
    else:
        throttle.clear(pair_key)
    return chair
