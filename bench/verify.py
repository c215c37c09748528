"""Requests per second of the public verification page beside a bare Flask route,
both served by gunicorn in the same run.

Run: .venv/bin/python bench/verify.py [seconds-per-route]
"""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import DevelopmentConfig  # noqa: E402

CLIENTS = 4
WORKERS = 2


def bench_config():
    """Settings read when called, after main() has set the environment."""

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = os.environ["BENCH_DATABASE_URL"]
        SIGNING_KEYS_DIR = os.environ["BENCH_KEYS_DIR"]
        RATELIMIT_ENABLED = False
        SECRET_KEY = "bench"

    return BenchConfig


def server_app():
    """The portal with one extra, bare route: what gunicorn serves."""
    from portal import create_app

    app = create_app(bench_config())

    @app.get("/bare")
    def bare():
        return "ok"

    return app


def prepare(folder):
    """A database with one certificate, signed by a fresh key; returns its id."""
    from portal import create_app
    from portal.auth.models import User
    from portal.credentials.keystore import create_key
    from portal.credentials.services import issue
    from portal.extensions import db

    app = create_app(bench_config())
    with app.app_context():
        db.create_all()
        create_key()
        user = User(email="holder@example.org", name="Ирина Петрова")
        user.set_password("bench password")
        db.session.add(user)
        db.session.commit()
        track = app.extensions["courses"].get("activator")
        return issue(user, track).public_id


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def load(port, path, seconds):
    """Requests per second from CLIENTS keep-alive clients for `seconds`."""
    counts = [0] * CLIENTS
    deadline = time.monotonic() + seconds

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            counts[number] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def main(seconds=5.0):
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite"
        os.environ["BENCH_KEYS_DIR"] = f"{folder}/keys"
        public_id = prepare(folder)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers", str(WORKERS),
                "--bind", f"127.0.0.1:{port}",
                "--log-level", "warning",
                "bench.verify:server_app()",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )  # fmt: skip
        try:
            wait_for(port)
            load(port, "/bare", 1)  # warm both workers
            load(port, f"/verify/{public_id}", 1)
            bare = load(port, "/bare", seconds)
            page = load(port, f"/verify/{public_id}", seconds)
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(
        f"gunicorn, {WORKERS} workers, {CLIENTS} keep-alive clients, {seconds:g} s each"
    )
    print(f"bare Flask route        {bare:8.0f} requests/s")
    print(f"verification page       {page:8.0f} requests/s")
    print(f"page / bare             {page / bare:8.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
