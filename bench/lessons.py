"""Time lesson pages and count Markdown parses made while serving them.

Run: .venv/bin/python bench/lessons.py [requests]
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.courses import rendering  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.learning.models import Enrolment  # noqa: E402


class BenchConfig(TestingConfig):
    WTF_CSRF_ENABLED = False


def main(requests=500):
    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        user = User(email="bench@example.org", name="Bench")
        user.set_password("bench password")
        db.session.add_all([user, Enrolment(user=user, track="ambassador")])
        db.session.commit()

    track = app.extensions["courses"].get("ambassador")
    urls = [
        f"/learn/ambassador/{module.slug}/{lesson.slug}"
        for module in track.modules
        for lesson in module.lessons
    ]
    client = app.test_client()
    client.post(
        "/login", data={"email": "bench@example.org", "password": "bench password"}
    )

    parses = 0
    original = rendering.parser.parse

    def counting_parse(*args, **kwargs):
        nonlocal parses
        parses += 1
        return original(*args, **kwargs)

    rendering.parser.parse = counting_parse
    timings = []
    for number in range(requests):
        started = time.perf_counter()
        response = client.get(urls[number % len(urls)])
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200

    timings.sort()
    print(f"lesson pages served: {requests} over {len(urls)} lessons")
    print(
        f"median {statistics.median(timings) * 1000:.2f} ms, "
        f"95th percentile {timings[int(len(timings) * 0.95)] * 1000:.2f} ms"
    )
    print(f"Markdown parses while serving: {parses}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
