"""Benchmark: 200 residents send a consultation at once; every accepted answer is stored.

Creates a throw-away PostgreSQL database (migrated from scratch) with one open consultation,
serves the portal with gunicorn and production settings (static files collected into a
temporary folder, HTTPS redirect off because the bench speaks plain HTTP to 127.0.0.1), then
starts 200 submitter threads. Each one, like a resident's browser, GETs the consultation's page
(CSRF cookie and token), and once all have their form, POSTs its answers. It reports
submissions per second (accepted POSTs over the time from the first POST to the last answer),
the full-cycle rate (GET + POST), the accepted count (a thank-you page or a redirect) and the
count stored in the database: nothing accepted may be missing (0 lost), nothing refused stored.

The rate limit is raised for the bench (every submitter comes from 127.0.0.1) through
``PARTICIPATION_RATE_LIMIT``; the limiter counts on Redis when one answers at ``BENCH_REDIS_URL``
(database 13, emptied), as in production. E-mail uses Django's dummy backend. The team's
notification is a task row per submission (``--tasks db``, production's database backend); with
``--worker`` a ``manage.py db_worker`` runs beside gunicorn and sends them during the load (its CPU
is reported apart); ``--tasks immediate`` runs it in the request, after the commit, as before.
An accepted POST is the redirect (303) to the thank-you, or a thank-you page; the bench does not
follow the redirect (the GET of ``?gracias=1`` is a page view, not part of taking the answer).

Besides the rates it prints the server's CPU time per submission (gunicorn's workers and
PostgreSQL's backends, from /proc), the figure that does not depend on what else the machine is
running, and the rate one dedicated core would sustain at that cost.

    .venv/bin/python bench/submissions.py [--submitters 200] [--rounds 1]
        [--config sync:4 --config gthread:2:8 ...] [--tasks db|immediate|dummy] [--worker] [--keep]

The database (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/mb_bench_submit``)
is created, migrated and dropped at the end unless ``--keep``.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mb_bench_submit")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
HOST = "localhost"
TARGET_PER_SECOND = 100

SETTINGS_MODULE = """
from portal.settings.production import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""

# "db": production's setting — the request stores a task row, `manage.py db_worker` sends the
# mail (with --worker, running beside gunicorn during the load; without, the rows wait);
# "immediate": the team's notification runs in the request, after the commit;
# "dummy": only enqueued in memory, nothing stored.
TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def check_database_name(url):
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or "bench" not in name:
        sys.exit("BENCH_DATABASE_URL must name a PostgreSQL database with 'bench' in its name (it is dropped).")
    return parts._replace(path="/postgres").geturl(), name


def recreate_database(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_answers():
    parts = urlparse(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


def server_environment(settings_dir, tasks_backend):
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(BASE_DIR)]),
            "DJANGO_SETTINGS_MODULE": "bench_submissions_settings",
            "DATABASE_URL": DATABASE_URL,
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PARTICIPATION_RATE_LIMIT": "1000000/600",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "60",
            "TASKS_BACKEND": TASK_BACKENDS[tasks_backend],
        }
    )
    env.pop("EMAIL_HOST", None)
    if redis_answers():
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], env=env, check=True, cwd=BASE_DIR)


def build_consultation(env):
    """One open consultation under a submunicipality, built in a child process with the
    server's settings; prints its path."""
    script = r"""
import datetime
import django
django.setup()
from django.utils import timezone
from wagtail.models import Locale
from home.models import HomePage
from participation.models import ConsultationFormField, ConsultationPage
from neighborhoods.models import SubmunicipalityPage

home = HomePage.objects.get(locale=Locale.get_default(), depth=2)
square = {"type": "Polygon", "coordinates": [[[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.49], [-68.14, -16.49], [-68.14, -16.51]]]}
area = SubmunicipalityPage(title="Subalcaldía Centro", summary="Centro", boundary=square)
home.add_child(instance=area)
area.save_revision().publish()
now = timezone.now()
page = ConsultationPage(
    title="¿Qué hacemos con la plaza?",
    question="¿Cómo mejoramos la plaza?",
    opens_at=now - datetime.timedelta(days=1),
    closes_at=now + datetime.timedelta(days=30),
    to_address="equipo@example.org",
    from_address="mibarrio@example.org",
    subject="Nueva respuesta",
    form_fields=[
        ConsultationFormField(clean_name="opinion", label="¿Qué opina?", field_type="multiline", required=True),
        ConsultationFormField(clean_name="prioridad", label="¿Qué es lo más urgente?", field_type="radio",
                              choices="Agua\nVías\nParques", required=True),
        ConsultationFormField(clean_name="edad", label="Su edad", field_type="number", required=False),
    ],
)
area.add_child(instance=page)
page.save_revision().publish()
page.refresh_from_db()
print(page.pk, page.url)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, cwd=BASE_DIR, capture_output=True, text=True
    )
    pk, path = result.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(pk), path


def stored_count(page_id):
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        row = connection.execute(
            "SELECT count(*) FROM participation_submission WHERE page_id = %s", [page_id]
        ).fetchone()
    return row[0]


def clear_submissions(page_id):
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        connection.execute("DELETE FROM participation_submission WHERE page_id = %s", [page_id])
        connection.execute("DELETE FROM django_tasks_database_dbtaskresult")


def task_counts():
    """Task rows by status (database backend): what the worker did and what still waits."""
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status ORDER BY status"
        ).fetchall()
    return dict(rows)


def start_worker(env):
    """``manage.py db_worker`` beside gunicorn, as in production (its own process group)."""
    return subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), "db_worker", "--interval", "0.2", "--no-reload", "-v", "0"],
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
    )


def flush_redis():
    if not redis_answers():
        return
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def start_gunicorn(env, port, worker_class, workers, threads):
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    server = subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not start")


def stop(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def cpu_seconds(server_pid, database, worker_pid=None):
    """CPU time used so far by the gunicorn processes (their process group), by PostgreSQL's
    backends serving the bench database and by the task worker, read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    gunicorn = postgres = worker = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        if int(fields[2]) == server_pid:  # process group
            gunicorn += used
        elif worker_pid is not None and int(fields[2]) == worker_pid:
            worker += used
        elif cmdline.startswith("postgres:") and f" {database} " in cmdline:
            postgres += used
    return gunicorn, postgres, worker


def request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, "Connection": "close", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


class Submitter(threading.Thread):
    """A resident: opens the form, waits for everyone, sends it (``rounds`` times)."""

    def __init__(self, number, port, path, ready, go, rounds):
        super().__init__(daemon=True)
        self.number, self.port, self.path, self.ready, self.go, self.rounds = number, port, path, ready, go, rounds
        self.accepted = self.refused = self.errors = 0
        self.statuses = []
        self.finished_at = None

    def open_form(self):
        status, headers, html = request(self.port, "GET", self.path)
        cookie = next(
            (
                value.split(";", 1)[0]
                for name, value in headers
                if name.lower() == "set-cookie" and value.startswith("csrftoken=")
            ),
            None,
        )
        match = TOKEN.search(html)
        if status != 200 or not cookie or not match:
            raise RuntimeError(f"form page: HTTP {status}, cookie {bool(cookie)}, token {bool(match)}")
        return cookie, match.group(1)

    def send(self, cookie, token, round_number):
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "opinion": f"Respuesta {self.number}-{round_number}: más luz y bancos en la plaza.",
                "prioridad": ("Agua", "Vías", "Parques")[self.number % 3],
                "edad": str(18 + self.number % 60),
            }
        )
        status, headers, html = request(
            self.port,
            "POST",
            self.path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://{HOST}{self.path}",
            },
        )
        self.statuses.append(status)
        # Accepted: a redirect to the thank-you, or the thank-you page itself (no form in it).
        if status in (301, 302, 303) or (status == 200 and 'name="opinion"' not in html):
            self.accepted += 1
        else:
            self.refused += 1

    def run(self):
        forms = []
        try:
            for _ in range(self.rounds):
                forms.append(self.open_form())
        except Exception as error:  # noqa: BLE001 - counted and reported
            self.errors += 1
            print(f"submitter {self.number}: {error}", file=sys.stderr)
        self.ready.wait()
        self.go.wait()
        for round_number, (cookie, token) in enumerate(forms):
            try:
                self.send(cookie, token, round_number)
            except Exception as error:  # noqa: BLE001 - counted and reported
                self.errors += 1
                print(f"submitter {self.number}: {error}", file=sys.stderr)
        self.finished_at = time.perf_counter()


def run_load(port, path, submitters, rounds, server_pid, database, worker_pid=None):
    ready = threading.Barrier(submitters + 1)
    go = threading.Event()
    threads = [Submitter(n, port, path, ready, go, rounds) for n in range(submitters)]
    cycle_start = time.perf_counter()
    for thread in threads:
        thread.start()
    ready.wait()
    forms_ready = time.perf_counter()
    cpu_before = cpu_seconds(server_pid, database, worker_pid)
    go.set()
    for thread in threads:
        thread.join()
    end = max(thread.finished_at or time.perf_counter() for thread in threads)
    cpu_after = cpu_seconds(server_pid, database, worker_pid)
    statuses = {}
    for thread in threads:
        for status in thread.statuses:
            statuses[status] = statuses.get(status, 0) + 1
    return {
        "accepted": sum(t.accepted for t in threads),
        "refused": sum(t.refused for t in threads),
        "errors": sum(t.errors for t in threads),
        "statuses": statuses,
        "post_seconds": end - forms_ready,
        "app_cpu": cpu_after[0] - cpu_before[0],
        "db_cpu": cpu_after[1] - cpu_before[1],
        "worker_cpu": cpu_after[2] - cpu_before[2],
        "cycle_seconds": end - cycle_start,
    }


def parse_config(value):
    parts = value.split(":")
    worker_class, workers = parts[0], int(parts[1])
    threads = int(parts[2]) if len(parts) > 2 else 1
    return worker_class, workers, threads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submitters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1, help="submissions per submitter")
    parser.add_argument("--config", action="append", help="worker_class:workers[:threads], e.g. gthread:4:8")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--tasks",
        choices=sorted(TASK_BACKENDS),
        default="db",
        help="db: a task row per submission, as in production (default); immediate: the notification runs "
        "in the request; dummy: only enqueued in memory",
    )
    parser.add_argument(
        "--worker",
        action="store_true",
        help="with --tasks db: run manage.py db_worker beside gunicorn during the load (its CPU is reported "
        "apart, PostgreSQL's includes its queries)",
    )
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    configs = [parse_config(value) for value in (args.config or ["sync:4", "gthread:4:8", "sync:8"])]

    admin, name = check_database_name(DATABASE_URL)
    settings_dir = Path(tempfile.mkdtemp(prefix="mibarrio-bench-"))
    (settings_dir / "bench_submissions_settings.py").write_text(
        SETTINGS_MODULE.format(static_root=str(settings_dir / "static"))
    )
    env = server_environment(settings_dir, args.tasks)
    print(
        f"database {name}; cache: {'Redis ' + REDIS_URL if 'REDIS_URL' in env else 'per-process memory'}; "
        f"e-mail: dummy backend; tasks: {args.tasks}{' + db_worker' if args.worker else ''}; {os.cpu_count()} CPUs"
    )
    recreate_database(admin, name)
    failed = False
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        page_id, path = build_consultation(env)
        print(f"consultation {page_id} at {path}; {args.submitters} submitters x {args.rounds}")
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        print(
            f"{'gunicorn':<26} {'subm/s':>7} {'cycle/s':>7} {'accepted':>8} {'stored':>6} {'lost':>4} "
            f"{'refused':>7} {'errors':>6} {'app ms':>6} {'db ms':>6}  statuses"
        )
        for worker_class, workers, threads in configs:
            clear_submissions(page_id)
            flush_redis()
            server = start_gunicorn(env, args.port, worker_class, workers, threads)
            worker = start_worker(env) if args.worker and args.tasks == "db" else None
            try:
                result = run_load(
                    args.port, path, args.submitters, args.rounds, server.pid, name, worker.pid if worker else None
                )
                if worker is not None:  # let it finish the queue, then stop it
                    deadline = time.monotonic() + 60
                    while task_counts().get("READY") and time.monotonic() < deadline:
                        time.sleep(0.5)
            finally:
                stop(server)
                if worker is not None:
                    stop(worker)
            stored = stored_count(page_id)
            lost = result["accepted"] - stored
            rate = result["accepted"] / result["post_seconds"]
            cycle = result["accepted"] / result["cycle_seconds"]
            label = f"{worker_class} -w {workers}" + (f" --threads {threads}" if worker_class == "gthread" else "")
            # Server CPU per accepted submission (POST only): gunicorn's workers and PostgreSQL.
            app_ms = 1000 * result["app_cpu"] / max(1, result["accepted"])
            db_ms = 1000 * result["db_cpu"] / max(1, result["accepted"])
            print(
                f"{label:<26} {rate:>7.1f} {cycle:>7.1f} {result['accepted']:>8} {stored:>6} {lost:>4} "
                f"{result['refused']:>7} {result['errors']:>6} {app_ms:>6.1f} {db_ms:>6.1f}  {result['statuses']}"
            )
            print(
                f"{'':<26} server CPU {app_ms + db_ms:.0f} ms per submission: about "
                f"{1000 / max(1.0, app_ms + db_ms):.0f} submissions/s per dedicated core"
            )
            if args.tasks == "db":
                worker_ms = 1000 * result["worker_cpu"] / max(1, result["accepted"])
                print(
                    f"{'':<26} task rows: {task_counts()}"
                    + (f"; worker CPU {worker_ms:.1f} ms per submission (while the load ran)" if args.worker else "")
                )
            if lost != 0 or result["refused"] or result["errors"] or rate < TARGET_PER_SECOND:
                failed = True
    finally:
        if not args.keep:
            drop_database(admin, name)
        flush_redis()
        shutil.rmtree(settings_dir, ignore_errors=True)
    print(f"target: >= {TARGET_PER_SECOND} submissions/s, 0 lost: {'NOT MET' if failed else 'met'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
