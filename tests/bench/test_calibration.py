"""The calibration table: each run named by what it was, beside the first bare relay."""

from bench.__main__ import calibration_table


def result(target, p99, work=None, cpu=12.0):
    return {
        "target": target,
        "relay_work_ms": work,
        "meetings": 100,
        "people": 30,
        "cpu_seconds": cpu,
        "steps": 6000,
        "p50": 3.0,
        "p95": 7.0,
        "p99": p99,
        "completeness": 100.0,
    }


def test_each_run_is_set_beside_the_first_bare_relay():
    table = calibration_table(
        [
            result("relay", 14.0, 0.0),
            result("product", 42.0, cpu=24.0),
            result("relay", 21.0, 0.5),
            result("relay", 28.0, 0.0),
        ]
    ).splitlines()
    rows = [line for line in table if line.startswith("| ") and not line.startswith("| server")]
    assert rows == [
        "| bare relay | 2.00 | 3.0 | 7.0 | 14.0 | 1.00x | 100.00% |",
        "| product | 4.00 | 3.0 | 7.0 | 42.0 | 3.00x | 100.00% |",
        "| relay + 0.5 ms per submission | 2.00 | 3.0 | 7.0 | 21.0 | 1.50x | 100.00% |",
        "| bare relay | 2.00 | 3.0 | 7.0 | 28.0 | 2.00x | 100.00% |",
    ]
