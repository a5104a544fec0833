"""What `make bench` prints: each figure beside the baseline it is compared with."""

from bench.__main__ import calibration_table, capacity_table, processes_table, side_by_side


def result(target, p99, work=None, cpu=12.0):
    return {
        "target": target,
        "async_mode": "eventlet",
        "relay_work_ms": work,
        "meetings": 100,
        "people": 30,
        "connected": 3200,
        "steps": 6000,
        "failed": 0,
        "failures": [],
        "connect_failures": 0,
        "expected": 100,
        "delivered": 100,
        "completeness": 100.0,
        "p50": 3.0,
        "p95": 7.0,
        "p99": p99,
        "max": 90.0,
        "cpu_seconds": cpu,
        "cpu_percent": 20.0,
        "database_cpu_percent": 30.0,
        "rss_idle": 100 << 20,
        "rss_connected": 300 << 20,
        "rss_peak": 310 << 20,
        "server_sockets": 3201,
        "connect_seconds": 2.0,
        "reconnect_seconds": 1.5 if target == "relay" else 2.4,
        "reconnect_cpu_seconds": 1.0 if target == "relay" else 1.8,
        "reconnect_failures": 0,
        "reconnect_news": 0 if target == "relay" else 4800,
        "client_cpu_percent": 30.0,
        "private_leaks": 0,
        "meetings_in_private_time": 100,
        "by_command": {},
    }


def test_each_calibration_run_is_set_beside_the_first_bare_relay():
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


def test_the_fan_out_shows_cpu_per_submission_beside_the_relay():
    lines = side_by_side(result("product", 42.0, cpu=24.0), result("relay", 14.0, 0.0)).splitlines()
    assert "| server CPU per submission, ms | 4.00 | 2.00 | 2.00x |" in lines
    assert "| latency p99 ms | 42.0 | 14.0 | 3.00x |" in lines
    assert "| reconnect storm: everyone back and caught up, s | 2.4 | 1.5 | 1.60x |" in lines
    assert "| reconnect storm: server CPU, s (failed reconnects) | 1.8 (0) | 1.0 (0) | 1.80x |" in lines
    assert "| reconnect storm: who-is-here news delivered | 4800 | 0 |  |" in lines


def test_the_product_on_two_processes_is_set_beside_one_and_the_relay():
    one = {**result("product", 40.0, cpu=24.0), "processes": 1, "database": "postgresql"}
    two = {**result("product", 30.0, cpu=30.0), "processes": 2, "database": "postgresql", "private_leaks": 1}
    table = processes_table([one, two], result("relay", 14.0, 0.0)).splitlines()
    assert table[0] == "| | product, 1 process | product, 2 processes | bare relay |"
    assert "| p50 / p99 ms | 3.0 / 40.0 | 3.0 / 30.0 | 3.0 / 14.0 |" in table
    assert "| server CPU per submission, ms | 4.00 | 5.00 | 2.00 |" in table
    assert "| sent anything in private time | 0 | 1 | n/a |" in table  # a leak on two processes shows
    header = side_by_side(two, result("relay", 14.0, 0.0)).splitlines()[0]
    assert "2 processes through the message queue on postgresql" in header


def test_a_capacity_that_never_failed_is_a_lower_bound_and_names_its_server():
    held = [{**result("relay", 20.0), "meetings": m} for m in (100, 150)]
    assert capacity_table(150, held).splitlines()[0].startswith("Capacity, bare relay: at least 150 meetings")
    tried = [{**result("product", 20.0), "meetings": 100}, {**result("product", 300.0), "meetings": 150}]
    assert capacity_table(100, tried).splitlines()[0].startswith("Capacity, product: 100 meetings")
