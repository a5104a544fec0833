"""What every form page shares: showing a service's refusal beside the field it is about."""

from flask_wtf import FlaskForm

from facilitator.services.errors import ServiceError


def show_error(form: FlaskForm, error: ServiceError) -> None:
    """Put the message on the field the person typed in, or above the form (a refusal about no
    one field, such as someone else's edit in between)."""
    field = form._fields.get(getattr(error, "field", None))
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def status_of(form: FlaskForm) -> int:
    """400 for a page that answers a refused form, so tools and tests can tell."""
    return 400 if form.errors else 200
