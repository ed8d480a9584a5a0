"""Measure sign-in throughput, page latency and memory; write docs/benchmarks.md.

``make bench`` runs this. It serves the site with gunicorn in production
mode on 127.0.0.1, with a fresh SQLite database in a temporary directory,
drives it with locust for fixed-length phases, and stops the server by its
process id at the end. Every request goes to 127.0.0.1.
"""

import base64
import csv
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

PROJECT_DIR = Path(__file__).resolve().parent.parent
REPORT = PROJECT_DIR / "docs" / "benchmarks.md"
# Server and locust logs of the last run, kept for reading after it.
LOG_DIR = PROJECT_DIR / "test-artifacts" / "bench"
VENV_BIN = Path(sys.executable).parent
PHASE_SECONDS = int(os.environ.get("BENCH_PHASE_SECONDS", "20"))
SIGNIN_CLIENTS = (1, 4, 16)
PAGE_CLIENTS = 4
USER_COUNTS = (1_000, 10_000, 100_000)
ADMINS = 16
ARGON2_SAMPLES = 30
PAGES = ("/users/me/", "/users/", "/users/?q=")
SEARCH_TERM = "Turing"
PASSWORD = "benchmark password " + secrets.token_hex(8)
KEY_SEED = secrets.token_hex(16)


@dataclass
class Phase:
    """One fixed-length locust run and what was measured during it."""

    label: str
    stats: dict[str, dict[str, str]] = field(default_factory=dict)
    worker_rss_mib: dict[int, float] = field(default_factory=dict)
    server_cpu_seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(workdir: Path) -> dict[str, str]:
    """Production settings for plain HTTP on 127.0.0.1, with fresh keys.

    DJANGO_HTTPS=0 turns off the HTTPS redirect, HSTS and secure cookies,
    which plain HTTP cannot carry.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "twofactor_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_TOTP_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_KEY_SEED": KEY_SEED,
        "BENCH_SEARCH_TERM": SEARCH_TERM,
        "PYTHONPATH": str(PROJECT_DIR),
    }


def setup_django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    import django

    django.setup()


def measure_argon2_seconds() -> tuple[float, float]:
    """Return the median wall-clock and CPU time of one verification with the site's hasher.

    The CPU time grows far less than the wall-clock time when other
    processes compete for the cores, so it is the steadier cost to compare.
    """
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(PASSWORD)
    wall, cpu = [], []
    for _ in range(ARGON2_SAMPLES):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        if not check_password(PASSWORD, encoded):
            raise RuntimeError("the site's hasher rejected the password it just hashed")
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return statistics.median(wall), statistics.median(cpu)


def seed(count: int, *, prefix: str, start: int = 0, admin: bool = False) -> None:
    from accounts.models import Role
    from bench.seeding import seed_users

    role = Role.ADMIN if admin else Role.USER
    seed_users(
        count=count,
        password=PASSWORD,
        key_seed=KEY_SEED.encode(),
        prefix=prefix,
        start=start,
        role=role,
    )


def worker_count() -> int:
    # gunicorn's documented starting point: two workers per core, plus one.
    return 2 * (os.cpu_count() or 1) + 1


def start_server(environment: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "twofactor_site.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(worker_count()),
        "--log-level",
        "warning",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            command,
            cwd=PROJECT_DIR,
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wait_until_serving(f"http://127.0.0.1:{port}/accounts/login/", server)
    return server


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not serve {url} within {timeout} s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def sample_worker_rss(server_pid: int, phase: Phase, done: threading.Event) -> None:
    """Record the highest RSS of each gunicorn worker until ``done`` is set."""
    master = psutil.Process(server_pid)
    while not done.wait(1.0):
        for worker in master.children():
            try:
                rss = worker.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                continue
            phase.worker_rss_mib[worker.pid] = max(rss, phase.worker_rss_mib.get(worker.pid, 0))


def workers_cpu_seconds(server_pid: int) -> float:
    """Return the CPU time (user and system) that the gunicorn workers used so far."""
    total = 0.0
    for worker in psutil.Process(server_pid).children():
        try:
            times = worker.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def run_locust(
    phase: Phase,
    user_class: str,
    clients: int,
    *,
    host: str,
    server_pid: int,
    environment: dict[str, str],
    workdir: Path,
) -> Phase:
    prefix = workdir / phase.label.replace(" ", "_")
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(PROJECT_DIR / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--users",
        str(clients),
        "--spawn-rate",
        str(clients),
        "--run-time",
        f"{PHASE_SECONDS}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        user_class,
    ]
    done = threading.Event()
    sampler = threading.Thread(target=sample_worker_rss, args=(server_pid, phase, done))
    sampler.start()
    cpu_before = workers_cpu_seconds(server_pid)
    try:
        with (workdir / "locust.log").open("a") as log:
            subprocess.run(  # noqa: S603
                command,
                cwd=PROJECT_DIR,
                env={**os.environ, **environment},
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=PHASE_SECONDS + 120,
                check=False,
            )
    finally:
        done.set()
        sampler.join()
    phase.server_cpu_seconds = workers_cpu_seconds(server_pid) - cpu_before

    with Path(f"{prefix}_stats.csv").open() as stats:
        phase.stats = {row["Name"]: row for row in csv.DictReader(stats)}
    print(f"{phase.label}: done", flush=True)
    return phase


def machine_facts() -> dict[str, str]:
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    import django

    return {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu_model,
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "SQLite": __import__("sqlite3").sqlite_version,
        "load average before the run (1, 5, 15 min)": " ".join(
            f"{value:.2f}" for value in os.getloadavg()
        ),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="twofactor-bench-") as temporary:
        workdir = Path(temporary)
        environment = bench_environment(workdir)
        setup_django(environment)
        facts = machine_facts()

        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        argon2_seconds, argon2_cpu_seconds = measure_argon2_seconds()
        print(f"Argon2 verification: {argon2_seconds * 1000:.1f} ms", flush=True)

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = start_server(environment, port, workdir / "gunicorn.log")
        try:
            page_phases = run_page_phases(host, server.pid, environment, workdir)
            signin_phases = run_signin_phases(host, server.pid, environment, workdir)
        finally:
            stop_server(server)
        facts["load average after the run (1, 5, 15 min)"] = " ".join(
            f"{value:.2f}" for value in os.getloadavg()
        )
        server_errors = (workdir / "gunicorn.log").read_text().count("ERROR")
        keep_logs(workdir)

    from bench.report import write_report

    write_report(
        REPORT,
        facts=facts,
        argon2_seconds=argon2_seconds,
        argon2_cpu_seconds=argon2_cpu_seconds,
        workers=worker_count(),
        phase_seconds=PHASE_SECONDS,
        signin_phases=signin_phases,
        page_phases=page_phases,
        page_clients=PAGE_CLIENTS,
        server_errors=server_errors,
    )
    print(f"Wrote {REPORT.relative_to(PROJECT_DIR)}", flush=True)


def keep_logs(workdir: Path) -> None:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("gunicorn.log", "locust.log"):
        shutil.copyfile(workdir / name, LOG_DIR / name)


def run_page_phases(host: str, pid: int, environment: dict, workdir: Path) -> dict[int, Phase]:
    """Measure the pages at each database size, growing the user table in between."""
    seed(ADMINS, prefix="admin", admin=True)
    phases = {}
    seeded = ADMINS
    for index, total in enumerate(USER_COUNTS):
        seed(total - seeded, prefix="user", start=seeded - ADMINS)
        seeded = total
        environment["BENCH_FIRST_ADMIN"] = str(index * PAGE_CLIENTS)
        phases[total] = run_locust(
            Phase(f"pages {total} users"),
            "PagesUser",
            PAGE_CLIENTS,
            host=host,
            server_pid=pid,
            environment=environment,
            workdir=workdir,
        )
    return phases


def run_signin_phases(host: str, pid: int, environment: dict, workdir: Path) -> dict[int, Phase]:
    """Measure full sign-ins at each concurrency, each phase with users not used before."""
    phases = {}
    for index, clients in enumerate(SIGNIN_CLIENTS):
        environment["BENCH_FIRST_USER"] = str(index * 20_000)
        phases[clients] = run_locust(
            Phase(f"sign-ins {clients} clients"),
            "SigninUser",
            clients,
            host=host,
            server_pid=pid,
            environment=environment,
            workdir=workdir,
        )
    return phases


if __name__ == "__main__":
    main()
