"""Under CI=true a skipped test fails the run: a skip must never hide a missing browser or service."""

import pytest

SUITE = """
import pytest

def test_needs_something_missing():
    pytest.skip("no browser here")

def test_runs():
    pass
"""


@pytest.fixture
def suite(pytester):
    pytester.makeconftest("from tests.conftest import pytest_runtest_makereport  # noqa: F401")
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_a_skip_fails_under_ci(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*skipped under CI=true, where every test must run: *no browser here*"])
    assert result.ret != 0


def test_a_skip_is_only_a_skip_elsewhere(suite, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest()
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == 0
