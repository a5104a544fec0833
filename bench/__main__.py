"""`make bench`: every benchmark, each beside its baseline measured in the same run.

1. The phone's join page and all it loads, as the app sends it, first load and second visit.
2. `sync` of a meeting with 200 plan items, beside the same meeting with an empty plan.
3. Live fan-out: N meetings of M people on one process, the product beside a bare
   Flask-SocketIO relay under the identical script, with their ratio; both served with
   eventlet, or with gevent (`--async-mode gevent`). With `--processes 2 --postgres URL`, the
   product again on two processes sharing events through Redis.
4. Capacity: the most meetings of 30 people one process holds with every event delivered
   and p99 under 250 ms, for the product and for the relay.
5. Calibration (`--only calibrate`, not in the default run): the relay again with a little CPU
   spent on each submission, to show how fast its tail grows with the work done per message,
   and where the product's own work puts it.

Figures are printed, never asserted: a benchmark reports, the tests decide.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
from pathlib import Path

from bench import fanout

P99_LIMIT_MS = 250.0
CAPACITY_PEOPLE = 30
CALIBRATION_WORK_MS = (0.25, 0.5, 1.0, 2.0)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores ({model}), {int(memory) // 1024 // 1024} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def _mb(value: float) -> str:
    return f"{value / 1024 / 1024:.1f}"


def per_socket(result: dict) -> float:
    """Memory the server gained from idle to everyone connected, per socket."""
    return (result["rss_connected"] - result["rss_idle"]) / max(1, result["connected"])


def side_by_side(product: dict, relay: dict) -> str:
    """The product's figures beside the bare relay's, and their ratio."""

    def ratio(key: str) -> str:
        a, b = product[key], relay[key]
        return "-" if not b or math.isnan(a) or math.isnan(b) else f"{a / b:.2f}x"

    sockets = product["connected"]
    rows = [
        ("sockets connected", f"{product['connected']}", f"{relay['connected']}", ""),
        (
            "steps sent (failed)",
            f"{product['steps']} ({product['failed']})",
            f"{relay['steps']} ({relay['failed']})",
            "",
        ),
        (
            "deliveries (complete)",
            f"{product['delivered']}/{product['expected']} ({product['completeness']:.2f}%)",
            f"{relay['delivered']}/{relay['expected']} ({relay['completeness']:.2f}%)",
            "",
        ),
        ("latency p50 ms", _ms(product["p50"]), _ms(relay["p50"]), ratio("p50")),
        ("latency p95 ms", _ms(product["p95"]), _ms(relay["p95"]), ratio("p95")),
        ("latency p99 ms", _ms(product["p99"]), _ms(relay["p99"]), ratio("p99")),
        ("latency max ms", _ms(product["max"]), _ms(relay["max"]), ratio("max")),
        (
            "server CPU, % of one core",
            f"{product['cpu_percent']:.0f}",
            f"{relay['cpu_percent']:.0f}",
            ratio("cpu_percent"),
        ),
        (
            "server CPU per submission, ms",
            f"{cpu_per_step_ms(product):.2f}",
            f"{cpu_per_step_ms(relay):.2f}",
            f"{cpu_per_step_ms(product) / cpu_per_step_ms(relay):.2f}x" if relay["cpu_seconds"] else "-",
        ),
        ("server RSS idle MB", _mb(product["rss_idle"]), _mb(relay["rss_idle"]), ""),
        ("server RSS connected MB", _mb(product["rss_connected"]), _mb(relay["rss_connected"]), ""),
        ("server RSS peak MB", _mb(product["rss_peak"]), _mb(relay["rss_peak"]), ratio("rss_peak")),
        (
            "RSS per connected socket KB",
            f"{per_socket(product) / 1024:.1f}",
            f"{per_socket(relay) / 1024:.1f}",
            "",
        ),
        ("server's open sockets", f"{product['server_sockets']}", f"{relay['server_sockets']}", ""),
        (
            "connecting everyone, s",
            f"{product['connect_seconds']:.1f}",
            f"{relay['connect_seconds']:.1f}",
            "",
        ),
        (
            "reconnect storm: everyone back and caught up, s",
            f"{product['reconnect_seconds']:.1f}",
            f"{relay['reconnect_seconds']:.1f}",
            f"{product['reconnect_seconds'] / relay['reconnect_seconds']:.2f}x" if relay["reconnect_seconds"] > 0 else "-",
        ),
        (
            "reconnect storm: server CPU, s (failed reconnects)",
            f"{product['reconnect_cpu_seconds']:.1f} ({product['reconnect_failures']})",
            f"{relay['reconnect_cpu_seconds']:.1f} ({relay['reconnect_failures']})",
            f"{product['reconnect_cpu_seconds'] / relay['reconnect_cpu_seconds']:.2f}x" if relay["reconnect_cpu_seconds"] > 0 else "-",
        ),
        (
            "reconnect storm: who-is-here news delivered",
            f"{product['reconnect_news']}",
            f"{relay['reconnect_news']}",
            "",
        ),
        (
            "PostgreSQL's CPU, % of one core",
            f"{product['database_cpu_percent']:.0f}" if product.get("database") == "postgresql" else "-",
            "-",
            "",
        ),
        (
            "load clients' CPU, % of one core",
            f"{product['client_cpu_percent']:.0f}",
            f"{relay['client_cpu_percent']:.0f}",
            "",
        ),
        (
            "professionals/chairs sent anything in private time",
            f"{product['private_leaks']} (in {product['meetings_in_private_time']} meetings)",
            "n/a",
            "",
        ),
    ]
    lines = [
        (
            f"Live fan-out: {product['meetings']} meetings x {product['people']} phones "
            f"+ screen + chair = {sockets} sockets, {_processes(product)}, {product['async_mode']}"
        ),
        "",
        "| | product | bare relay | ratio |",
        "|---|---|---|---|",
        *(f"| {label} | {a} | {b} | {r} |" for label, a, b, r in rows),
        "",
        "Latency by step (product): "
        + "; ".join(
            f"{command} p50 {_ms(x['p50'])} / p99 {_ms(x['p99'])} ms (n={x['n']})"
            for command, x in product["by_command"].items()
        ),
    ]
    if product["failures"]:
        lines.append("Failed steps: " + "; ".join(product["failures"]))
    return "\n".join(lines)


def _processes(result: dict) -> str:
    count = result.get("processes", 1)
    where = f" on {result['database']}" if result.get("database") else ""
    return ("one process" if count == 1 else f"{count} processes through the message queue") + where


def processes_table(runs: list[dict], relay: dict) -> str:
    """The product on one process and on several, beside the relay: what more processes hold."""
    lines = [
        "| | " + " | ".join(f"product, {r['processes']} process{'es' if r['processes'] > 1 else ''}" for r in runs)
        + " | bare relay |",
        "|---|" + "---|" * (len(runs) + 1),
    ]
    rows = [
        ("delivered", lambda r: f"{r['completeness']:.2f}%"),
        ("p50 / p99 ms", lambda r: f"{_ms(r['p50'])} / {_ms(r['p99'])}"),
        ("server CPU, % of one core (all processes)", lambda r: f"{r['cpu_percent']:.0f}"),
        ("server CPU per submission, ms", lambda r: f"{cpu_per_step_ms(r):.2f}"),
        ("PostgreSQL's CPU, % of one core", lambda r: f"{r['database_cpu_percent']:.0f}" if r.get("database") == "postgresql" else "-"),
        ("RSS connected MB (all processes)", lambda r: _mb(r["rss_connected"])),
        ("connecting everyone, s", lambda r: f"{r['connect_seconds']:.1f}"),
        ("reconnect storm, s", lambda r: f"{r['reconnect_seconds']:.1f}"),
        ("sent anything in private time", lambda r: f"{r['private_leaks']}" if r.get("database") else "n/a"),
    ]
    for label, value in rows:
        lines.append(f"| {label} | " + " | ".join(value(r) for r in [*runs, relay]) + " |")
    return "\n".join(lines)


def holds(result: dict) -> bool:
    return (
        result["connect_failures"] == 0
        and result["failed"] == 0
        and result["completeness"] == 100.0
        and result["p99"] < P99_LIMIT_MS
        and result["private_leaks"] == 0
    )


def capacity(
    start: int,
    load: fanout.Load,
    postgres: str | None,
    step_limit: int,
    async_mode: str = "eventlet",
    target: str = "product",
) -> tuple[int, list[dict]]:
    """Grow the number of meetings by half until one process of `target` fails, then halve
    the gap."""
    tried: list[dict] = []

    def attempt(meetings: int) -> bool:
        result = fanout.run(
            target,
            fanout.Load(meetings, CAPACITY_PEOPLE, load.workers, load.spread, load.seed),
            postgres,
            async_mode=async_mode,
        )
        tried.append(result)
        print(
            f"  {meetings} meetings: delivered {result['completeness']:.2f}%, p99 {_ms(result['p99'])} ms, "
            f"CPU {result['cpu_percent']:.0f}%, failed {result['failed']} -> {'holds' if holds(result) else 'fails'}",
            flush=True,
        )
        return holds(result)

    good, bad = 0, None
    meetings = start
    while bad is None and len(tried) < step_limit:
        if attempt(meetings):
            good, meetings = meetings, int(meetings * 1.5)
        else:
            bad = meetings
    while bad is not None and bad - good > max(10, good // 10) and len(tried) < step_limit:
        middle = (good + bad) // 2
        if attempt(middle):
            good = middle
        else:
            bad = middle
    return good, tried


def capacity_table(found: int, tried: list[dict]) -> str:
    server = "bare relay" if tried[0]["target"] == "relay" else "product"
    bound = "" if any(not holds(r) for r in tried) else "at least "  # never failed within the steps
    lines = [
        f"Capacity, {server}: {bound}{found} meetings of {CAPACITY_PEOPLE} "
        f"(p99 < {P99_LIMIT_MS:.0f} ms, 100% delivered, nothing failed)",
        "",
        "| meetings | sockets | delivered | p50 ms | p99 ms | max ms | server CPU % | RSS MB | holds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(tried, key=lambda r: r["meetings"]):
        lines.append(
            f"| {r['meetings']} | {r['connected']} | {r['completeness']:.2f}% | {_ms(r['p50'])} | {_ms(r['p99'])} | "
            f"{_ms(r['max'])} | {r['cpu_percent']:.0f} | {_mb(r['rss_peak'])} | {'yes' if holds(r) else 'no'} |"
        )
    return "\n".join(lines)


def cpu_per_step_ms(result: dict) -> float:
    """The server's CPU over the script, per submission (each also fans out to its meeting)."""
    return 1000 * result["cpu_seconds"] / max(1, result["steps"])


def calibrate(load: fanout.Load, postgres: str | None, async_mode: str = "eventlet") -> list[dict]:
    """The bare relay, the product, the relay with more and more work per submission, and the
    bare relay again (how much the machine drifted meanwhile)."""
    runs = [
        fanout.run("relay", load, async_mode=async_mode),
        fanout.run("product", load, postgres, async_mode=async_mode),
    ]
    runs += [
        fanout.run("relay", load, relay_work_ms=work, async_mode=async_mode) for work in CALIBRATION_WORK_MS
    ]
    return [*runs, fanout.run("relay", load, async_mode=async_mode)]


def calibration_table(runs: list[dict]) -> str:
    bare = runs[0]["p99"]

    def label(r: dict) -> str:
        if r["target"] == "product":
            return "product"
        return f"relay + {r['relay_work_ms']:g} ms per submission" if r["relay_work_ms"] else "bare relay"

    lines = [
        f"Calibration: {runs[0]['meetings']} meetings x {runs[0]['people']} phones, {runs[0]['async_mode']}, "
        "in the order run",
        "",
        "| server | CPU per submission ms | p50 ms | p95 ms | p99 ms | p99 / first bare relay | delivered |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {label(r)} | {cpu_per_step_ms(r):.2f} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} | "
            f"{r['p99'] / bare:.2f}x | {r['completeness']:.2f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument(
        "--people", type=int, default=30, help="phones per meeting (each also has a screen and a chair)"
    )
    parser.add_argument("--workers", type=int, default=4, help="load-generating processes")
    parser.add_argument("--spread", type=float, default=30.0, help="seconds over which the meetings start")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--postgres",
        help="run the product on PostgreSQL: a fresh database for each run, made on this server "
        "(e.g. postgresql://127.0.0.1:5432/test); default: a fresh SQLite file",
    )
    parser.add_argument(
        "--capacity-steps", type=int, default=6, help="runs for the capacity search (0: none)"
    )
    parser.add_argument(
        "--async-mode",
        choices=("eventlet", "gevent"),
        default="eventlet",
        help="what serves the product and the relay, as run.py's ASYNC_MODE (default: eventlet)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="also run the product on this many processes sharing events through --redis "
        "(needs --postgres); each socket sticks to one, as behind nginx",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="the message queue for --processes")
    parser.add_argument(
        "--only", choices=("page", "sync", "fanout", "capacity", "calibrate"), action="append"
    )
    args = parser.parse_args(argv)
    if args.processes > 1 and not args.postgres:
        parser.error("--processes needs --postgres: the processes share one database")
    parts = set(args.only or ("page", "sync", "fanout", "capacity"))
    print(f"Machine: {machine()}\n", flush=True)

    if "page" in parts:
        from bench import page_weight

        print(page_weight.report(page_weight.run()), "\n", flush=True)
    if "sync" in parts:
        from bench import sync_time

        print(sync_time.report(sync_time.run()), "\n", flush=True)
    load = fanout.Load(args.meetings, args.people, args.workers, args.spread, args.seed)
    if "fanout" in parts:
        print(
            f"Running the bare relay, then the product, with {args.async_mode}: "
            f"{args.meetings} meetings x {args.people} phones",
            flush=True,
        )
        relay = fanout.run("relay", load, async_mode=args.async_mode)
        product = fanout.run("product", load, args.postgres, async_mode=args.async_mode)
        print(side_by_side(product, relay), "\n", flush=True)
        if args.processes > 1:
            print(f"The product again, on {args.processes} processes through {args.redis}", flush=True)
            several = fanout.run(
                "product", load, args.postgres, async_mode=args.async_mode, processes=args.processes, queue=args.redis
            )
            print(side_by_side(several, relay), "\n", flush=True)
            print(processes_table([product, several], relay), "\n", flush=True)
    if "capacity" in parts and args.capacity_steps:
        for target in ("product", "relay"):
            print(f"Capacity search, meetings of 30, {target}:", flush=True)
            found, tried = capacity(
                args.meetings, load, args.postgres, args.capacity_steps, args.async_mode, target
            )
            print(capacity_table(found, tried), "\n", flush=True)
    if "calibrate" in parts:
        print(
            "Running the bare relay, the product, the relay with "
            + ", ".join(f"{work:g}" for work in CALIBRATION_WORK_MS)
            + " ms of work per submission, and the bare relay again",
            flush=True,
        )
        print(calibration_table(calibrate(load, args.postgres, args.async_mode)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
