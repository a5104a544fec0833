"""The live side speaks each person's language: a refusal comes back in the language chosen on
that phone, and every stage carries what the pages need to show the format's words in theirs."""

from __future__ import annotations

from babel.support import Translations

from facilitator.i18n import LANGUAGE_COOKIE
from tests.browser.test_languages_in_browsers import CATALOGUES
from tests.live.conftest import ack, sync

cy = Translations.load(str(CATALOGUES), ["cy"]).gettext


def test_a_refusal_is_in_the_language_of_the_phone_that_asked(room, live):
    kerry = room.phone("Kerry")
    kerry.http.set_cookie(LANGUAGE_COOKIE, "cy")
    welsh = live(http_client=kerry.http, auth={"meeting": room.meeting.id})
    refused = ack(welsh, "go_to", {"position": 2})  # only a chair moves the meeting
    assert refused["ok"] is False
    assert refused["error"]["message"] == cy("Only the meeting's chairs can do that.")
    assert cy("Only the meeting's chairs can do that.") != "Only the meeting's chairs can do that."
    english = ack(kerry.socket, "go_to", {"position": 2})  # her socket from before she chose
    assert english["error"]["message"] == "Only the meeting's chairs can do that."


def test_every_stage_says_which_format_stage_its_words_come_from(room):
    stages = sync(room.chair)["meeting"]["stages"]
    assert [stage["template"] for stage in stages] == [f"family_group_conference/{n}" for n in range(len(stages))]
    assert stages[1]["title"] == "Check-in"  # the format's words, for each page to show in its language
