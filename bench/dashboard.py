"""Render the cohort dashboard for 20, 200 and 2,000 participants and print the times.

Run: .venv/bin/python bench/dashboard.py
"""

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from config import TestingConfig  # noqa: E402
from portal import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.cohorts.models import Cohort, CohortProfessional, Organisation  # noqa: E402
from portal.extensions import db  # noqa: E402
from tests.factories import add_participants  # noqa: E402

SIZES = (20, 200, 2000)
RUNS = 5


class BenchConfig(TestingConfig):
    WTF_CSRF_ENABLED = False


def main():
    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        organisation = Organisation(name="Bench")
        cohort = Cohort(
            organisation=organisation,
            name="Bench",
            start_date=date.today() - timedelta(weeks=10),
            timezone="Europe/Amsterdam",
        )
        user = User(email="pro@example.org", name="Pro", role="professional")
        user.set_password("bench password")
        db.session.add_all([organisation, cohort, user])
        db.session.add(CohortProfessional(cohort=cohort, user=user))
        db.session.commit()
        cohort_id = cohort.id

        client = app.test_client()
        client.post(
            "/login", data={"email": "pro@example.org", "password": "bench password"}
        )
        queries = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: queries.append(1)
        )

        print(f"{'participants':>12} {'median ms':>10} {'queries':>8}")
        have = 0
        for size in SIZES:
            add_participants(db.session.get(Cohort, cohort_id), size - have)
            have = size
            timings = []
            for _ in range(RUNS):
                queries.clear()
                started = time.perf_counter()
                response = client.get(f"/cohorts/{cohort_id}")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200
            median = statistics.median(timings) * 1000
            print(f"{size:>12} {median:>10.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
