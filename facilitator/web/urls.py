"""Addresses that leave the screen: printed, read aloud or encoded in QR codes."""

from flask import current_app, url_for

from facilitator.models import Meeting


def external_url(endpoint: str, **values) -> str:
    """An absolute address, on PUBLIC_URL when one is set (phones cannot reach 127.0.0.1)."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        return public + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def join_url(meeting: Meeting) -> str:
    return external_url("join.meeting", code=meeting.join_code)
