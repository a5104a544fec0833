"""Two processes served by gevent (ASYNC_MODE=gevent) on PostgreSQL and Redis: the same checks
as under eventlet, for what depends on the library that serves: events crossing processes
through Redis, PostgreSQL's waits made cooperative (psycogreen), and a process that dies."""

from __future__ import annotations

import pytest
import requests

from tests.scale.test_sockets_follow_identity import (  # noqa: F401 - collected again here, under gevent
    test_pages_and_sockets_writing_at_once_on_two_processes_never_share_a_version,
)
from tests.scale.test_two_processes import (  # noqa: F401 - collected again here, under gevent
    test_what_is_done_through_one_process_reaches_phones_on_the_other,
    test_when_a_process_dies_its_phones_carry_on_through_the_other,
)

pytestmark = pytest.mark.server


@pytest.fixture
def cluster_async_mode():
    return "gevent"


def test_both_processes_are_served_by_gevent(cluster):
    for server in cluster:
        assert requests.get(server.url + "/healthz", timeout=5).json()["async_mode"] == "gevent"
