"""Demo data: the fictional company Calico with one cohort mid-way."""

import random
from calendar import FRIDAY, MONDAY, THURSDAY, TUESDAY, WEDNESDAY
from datetime import date, time, timedelta
from typing import NamedTuple

import click
from flask import current_app
from flask.cli import AppGroup

from portal.auth.models import User
from portal.cohorts.models import Cohort, CohortProfessional, HoursLog, Organisation
from portal.courses.grading import shuffled_layout
from portal.credentials.keystore import signing_key
from portal.credentials.models import TrackPolicy
from portal.credentials.services import issue
from portal.database import utcnow
from portal.extensions import db
from portal.learning.models import ChecklistTick, Enrolment, LessonRead, QuizAttempt
from portal.planner.meetings import every_months
from portal.planner.models import Meeting, Post, PostEvent, PostShare
from portal.planner.services import entries, save_strategy
from portal.planner.times import in_zone, local_to_utc

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")

DEMO_PASSWORD = "calico-demo-2026"

# (name, email, role, track, group, modules finished, days since last activity)
PEOPLE = [
    ("Ada Admin", "admin@calico.example", "admin", None, None, 0, None),
    (
        "Priya Jansen",
        "priya@calico.example",
        "professional",
        "professional",
        None,
        2,
        3,
    ),
    ("Daan de Wit", "daan@calico.example", "professional", "professional", None, 1, 9),
    ("Anna Bakker", "anna@calico.example", "trainee", "ambassador", "Sales", 0, None),
    ("Ben Visser", "ben@calico.example", "trainee", "ambassador", "Sales", 1, 12),
    ("Chloé Martin", "chloe@calico.example", "trainee", "ambassador", "Service", 2, 5),
    ("Dirk Smit", "dirk@calico.example", "trainee", "ambassador", "Warehouse", 4, 2),
    ("Eva Mulder", "eva@calico.example", "trainee", "ambassador", "Warehouse", 0, 45),
    (
        "Fatima El Amrani",
        "fatima@calico.example",
        "trainee",
        "creator",
        "Service",
        1,
        8,
    ),
    ("Gijs Peters", "gijs@calico.example", "trainee", "creator", "Sales", 3, 4),
    (
        "Hanna Kowalska",
        "hanna@calico.example",
        "trainee",
        "creator",
        "Warehouse",
        0,
        38,
    ),
    ("Ivo de Jong", "ivo@calico.example", "trainee", "creator", "Service", 5, 1),
    (
        "Julia Hendriks",
        "julia@calico.example",
        "trainee",
        "activator",
        "Management",
        2,
        6,
    ),
    (
        "Karel van Dijk",
        "karel@calico.example",
        "trainee",
        "activator",
        "Management",
        0,
        None,
    ),
    ("Lotte Vos", "lotte@calico.example", "trainee", "activator", "Management", 5, 3),
]


def correct_answers(question):
    if question.type == "short":
        return [question.options[0].text]
    return sorted(question.correct_ids)


def finish_module(enrolment, track, module, when, rng, reviewer=None):
    """Record what a diligent trainee would have done in one module. Items for
    review are approved when a reviewer is given, and wait for one otherwise."""
    for lesson in module.lessons:
        db.session.add(
            LessonRead(
                enrolment=enrolment,
                module=module.slug,
                lesson=lesson.slug,
                read_at=when,
            )
        )
    if module.quiz:
        answers = {q.id: correct_answers(q) for q in module.quiz.questions}
        total = len(module.quiz.questions)
        db.session.add(
            QuizAttempt(
                enrolment=enrolment,
                module=module.slug,
                course_version=track.version,
                layout=shuffled_layout(module.quiz, rng),
                answers=answers,
                correct=total,
                total=total,
                score=100,
                passed=True,
                started_at=when,
                submitted_at=when + timedelta(minutes=12),
            )
        )
    if module.checklist:
        for item in module.checklist.items:
            evidence = None
            if item.evidence == "link":
                evidence = "https://www.linkedin.com/feed/"
            elif item.evidence == "text":
                evidence = "Done during the pilot week; notes shared with the team."
            tick = ChecklistTick(
                enrolment=enrolment,
                module=module.slug,
                item=item.id,
                course_version=track.version,
                evidence=evidence,
                review_status="pending" if item.review else "none",
                ticked_at=when + timedelta(minutes=30),
            )
            if item.review and reviewer is not None:
                tick.review_status = "approved"
                tick.reviewer_id = reviewer.id
                tick.reviewed_at = when + timedelta(days=2)
            db.session.add(tick)


@demo_cli.command("load")
def load():
    """Create Calico's cohort and people, unless they exist already."""
    if db.session.scalar(db.select(Organisation).filter_by(name="Calico")):
        click.echo("Demo data is already there; nothing changed.")
        return

    registry = current_app.extensions["courses"]
    rng = random.Random(2026)
    now = utcnow()
    calico = Organisation(name="Calico")
    cohort = Cohort(
        organisation=calico,
        name="Calico pilot",
        start_date=date.today() - timedelta(weeks=10),
        timezone="Europe/Amsterdam",
    )
    db.session.add_all([calico, cohort])
    started = now - timedelta(weeks=10)

    users, professionals = {}, []
    for name, email, role, track_slug, group, finished, quiet_days in PEOPLE:
        user = User(email=email, name=name, role=role, organisation=calico)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users[email] = user
        if role == "professional":
            db.session.add(CohortProfessional(cohort=cohort, user=user))
        if track_slug is None:
            continue
        enrolment = Enrolment(
            user=user, track=track_slug, cohort=cohort, group=group, created_at=started
        )
        db.session.add(enrolment)
        if quiet_days is not None:
            enrolment.last_activity_at = now - timedelta(days=quiet_days)
        track = registry.get(track_slug)
        if track is None:
            continue
        if track_slug == "professional":
            professionals.append((enrolment, track, finished))
            continue
        # Certificate holders had their items for review signed off by Priya.
        holder = any(email == held for held, _track, _state in CERTIFICATES)
        reviewer = users.get("priya@calico.example") if holder else None
        for number, module in enumerate(track.modules[:finished]):
            finish_module(
                enrolment,
                track,
                module,
                started + timedelta(days=7 * number),
                rng,
                reviewer=reviewer,
            )
    db.session.flush()

    # The professionals review each other: Priya's first two milestones are
    # signed off by Daan, her third waits for him; Daan is behind on the second.
    priya, daan = users["priya@calico.example"], users["daan@calico.example"]
    for enrolment, track, finished in professionals:
        colleague = daan if enrolment.user is priya else priya
        for number, module in enumerate(track.modules[: finished + 1]):
            when = started + timedelta(weeks=3 * number + 2)
            reviewer = colleague if number < finished else None
            finish_module(enrolment, track, module, when, rng, reviewer=reviewer)
        db.session.add_all(
            HoursLog(
                enrolment_id=enrolment.id,
                day=date.today() - timedelta(weeks=week),
                hours=hours,
                note=note,
            )
            for week, hours, note in [
                (9, 3.0, "Kick-off with the management team"),
                (6, 2.5, "Editorial meeting and curating stories"),
                (2, 1.5, "Supporting the pilot group"),
            ]
        )
    db.session.commit()
    CalendarLoader(cohort, users, now).load()
    load_certificates(registry, users, now)
    click.echo(f"Loaded Calico's demo cohort with {len(PEOPLE)} people.")


# The content calendar ---------------------------------------------------------

CALENDAR_GOALS = "\n".join(
    [
        "Calico roasts coffee in Utrecht and runs four cafés. This quarter:",
        "- more people know where our beans come from and how we roast them;",
        "- more applications for the roastery and the cafés come through "
        "colleagues' own networks;",
        "- two or three posts a week, each shared by ten colleagues or more.",
    ]
)
# Every demo post names one of these topics, and through it the pillar.
PILLARS = [
    ("From bean to cup", ["Sourcing", "Roasting", "Brewing at home"]),
    ("Our people", ["A day at the roastery", "New colleagues", "Learning on the job"]),
    ("Good neighbours", ["Fair prices for farmers", "Less waste", "Local events"]),
]
TARGET_GROUPS = ["Coffee lovers", "Job seekers", "Business customers"]

# The workflow steps that bring a post to each status after it was created.
STEPS = {
    "draft": [],
    "submitted": ["submitted"],
    "returned": ["submitted", "returned"],
    "approved": ["submitted", "approved"],
    "scheduled": ["submitted", "approved", "scheduled"],
    "published": ["submitted", "approved", "scheduled", "published"],
}
AUTHOR_STEPS = ("created", "submitted")


class DemoPost(NamedTuple):
    """A planned post: who wrote it, how far it got and who reviewed it; when in
    the quarter; on which channel, about which topic, for whom; what it says."""

    flow: tuple  # (author, status, reviewer or None)
    # (week, weekday, local time or None for all day). Weeks count from the
    # Monday of the quarter's first week; weekdays of weeks 1 to 12 are in it.
    when: tuple
    place: tuple  # (channel, topic, target group)
    title: str
    text: str
    link: str | None = None
    note: str | None = None


# Priya's own posts leave her milestone 4 exercise two posts short. Ivo's meet his
# creator exercise, as his finished track needs; Gijs is one story short of his.
DEMO_POSTS = [
    DemoPost(
        ("priya", "published", "daan"),
        (1, TUESDAY, time(9)),
        ("linkedin", "A day at the roastery", "Job seekers"),
        "Six in the morning at the roastery",
        "Before the first café opens, Sanne has roasted 200 kilos. She tells what "
        "the early shift is like, and why she would not swap it.",
        link="https://calico.example/jobs",
    ),
    DemoPost(
        ("priya", "published", "daan"),
        (2, THURSDAY, None),
        ("instagram", "Roasting", "Coffee lovers"),
        "First crack: what our roasters listen for",
        "Halfway through a roast the beans crack like popcorn. Our roasters explain "
        "why that sound decides how your coffee tastes.",
    ),
    DemoPost(
        ("priya", "published", "daan"),
        (4, TUESDAY, time(12)),
        ("linkedin", "Fair prices for farmers", "Business customers"),
        "What a fair price means in Huila",
        "We pay the Huila cooperative well above the market price. Its farmers "
        "tell what that money pays for.",
        link="https://calico.example/sourcing/huila",
    ),
    DemoPost(
        ("priya", "scheduled", "daan"),
        (10, TUESDAY, time(9)),
        ("linkedin", "New colleagues", "Job seekers"),
        "Welcome to our three new baristas",
        "Noor, Tim and Yara started in our cafés this month. Meet them, and read "
        "why they chose Calico.",
        link="https://calico.example/jobs",
    ),
    DemoPost(
        ("priya", "scheduled", "daan"),
        (10, FRIDAY, None),
        ("instagram", "Brewing at home", "Coffee lovers"),
        "Three mistakes with a French press",
        "Too fine a grind, water that is too hot, and waiting too long. Our "
        "trainers show how to avoid all three.",
    ),
    DemoPost(
        ("priya", "approved", "daan"),
        (11, WEDNESDAY, time(12)),
        ("linkedin", "Less waste", "Business customers"),
        "Where our coffee chaff goes",
        "The papery skins that come off the beans in the roaster now feed a "
        "mushroom farm down the road.",
    ),
    DemoPost(
        ("priya", "submitted", None),
        (11, FRIDAY, time(9)),
        ("facebook", "Local events", "Coffee lovers"),
        "Cupping evening at the Oudegracht café",
        "Taste four coffees side by side with our head roaster. Free, but places "
        "are limited.",
        link="https://calico.example/events",
    ),
    DemoPost(
        ("priya", "submitted", None),
        (12, MONDAY, time(9)),
        ("linkedin", "Sourcing", "Business customers"),
        "Planning next year's harvest with our importers",
        "How we decide, a year ahead, which coffees will be in your office machine.",
    ),
    DemoPost(
        ("priya", "draft", None),
        (12, WEDNESDAY, time(17)),
        ("instagram", "Learning on the job", "Job seekers"),
        "From dishwasher to head roaster",
        "Kees started at Calico washing cups. Twelve years later he runs the roastery.",
    ),
    DemoPost(
        ("priya", "draft", None),
        (12, FRIDAY, None),
        ("linkedin", "Roasting", "Coffee lovers"),
        "Our year in roasting, in numbers",
        "Kilos roasted, origins tried, and the one roast we will never make again.",
    ),
    DemoPost(
        ("daan", "published", "priya"),
        (3, WEDNESDAY, time(9)),
        ("linkedin", "Sourcing", "Business customers"),
        "Our coffee buyer is back from Colombia",
        "Marieke spent three weeks with the farmers we buy from. What she saw, and "
        "what it means for next year's coffee.",
    ),
    DemoPost(
        ("daan", "approved", "priya"),
        (10, THURSDAY, time(12)),
        ("facebook", "Local events", "Coffee lovers"),
        "Latte art for beginners",
        "Learn to pour a heart in one evening at our Lombok café. Milk, cups and "
        "patience provided.",
        link="https://calico.example/events",
    ),
    DemoPost(
        ("daan", "draft", None),
        (11, MONDAY, time(9)),
        ("linkedin", "Learning on the job", "Job seekers"),
        "How our baristas train each other",
        "Every new barista learns from a colleague, not from a manual.",
    ),
    DemoPost(
        ("ivo", "published", "priya"),
        (2, MONDAY, time(12)),
        ("instagram", "Brewing at home", "Coffee lovers"),
        "Pour-over in four steps",
        "Rinse the filter, weigh the coffee, let it bloom for thirty seconds, pour "
        "slowly. That is all.",
    ),
    DemoPost(
        ("ivo", "published", "daan"),
        (5, WEDNESDAY, None),
        ("linkedin", "A day at the roastery", "Job seekers"),
        "My first year as a roaster",
        "I came from a bakery and knew nothing about coffee. What I learned in a "
        "year, and who taught me.",
    ),
    DemoPost(
        ("ivo", "scheduled", "priya"),
        (10, THURSDAY, time(17)),
        ("instagram", "Less waste", "Coffee lovers"),
        "Bring your own cup week",
        "Bring your own cup to any Calico café next week and your coffee costs 50 "
        "cents less.",
    ),
    DemoPost(
        ("gijs", "approved", "daan"),
        (11, TUESDAY, time(12)),
        ("linkedin", "Fair prices for farmers", "Business customers"),
        "Meet the cooperative behind our house blend",
        "Forty families in Huila grow the beans of our house blend. This is "
        "Doña Rosa, who has sold to us for nine years.",
    ),
    DemoPost(
        ("gijs", "submitted", None),
        (11, THURSDAY, time(9)),
        ("instagram", "A day at the roastery", "Coffee lovers"),
        "Cleaning the roaster: our Friday ritual",
        "Every Friday at four the roaster stops and the whole team cleans it. "
        "Here is why.",
    ),
    DemoPost(
        ("gijs", "draft", None),
        (12, TUESDAY, time(12)),
        ("instagram", "Brewing at home", "Coffee lovers"),
        "Cold brew in winter?",
        "Yes, really. Why our cold brew sells all year round.",
    ),
    DemoPost(
        ("fatima", "returned", "daan"),
        (9, FRIDAY, time(9)),
        ("instagram", "New colleagues", "Job seekers"),
        "Behind the counter on a Saturday",
        "Saturday is our busiest day. Fatima and Lars show how they serve 600 "
        "cups between nine and five.",
        note="A lovely story. Before it goes out, ask Lars whether he agrees to be "
        "in the photo, and say which café this is. Then submit it again.",
    ),
    DemoPost(
        ("fatima", "submitted", None),
        (10, MONDAY, time(12)),
        ("facebook", "Local events", "Coffee lovers"),
        "Our café joins the neighbourhood clean-up",
        "On Saturday morning the Lombok team swaps aprons for litter pickers. "
        "Coffee for every helper.",
    ),
]

# (ambassador, title of the post they shared, address of their share)
DEMO_SHARES = [
    (
        "dirk",
        "Our coffee buyer is back from Colombia",
        "https://www.linkedin.com/feed/",
    ),
    ("dirk", "Pour-over in four steps", None),
    ("chloe", "Six in the morning at the roastery", None),
]

# (kind, title, (week of the quarter, weekday, local time), minutes, count, agenda)
DEMO_MEETINGS = [
    (
        "editorial",
        "Editorial meeting",
        (0, TUESDAY, time(10)),
        60,
        12,
        "Last month's posts and what they did; the coming month's plan; new "
        "stories from the Creators.",
    ),
    (
        "management",
        "Management meeting",
        (1, THURSDAY, time(14)),
        90,
        4,
        "The quarter in numbers, what the pilot group needs from management, "
        "and the plan for the next quarter.",
    ),
]


def quarter_start(day):
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def weekday_from(day, weekday):
    """The first given weekday on or after a day."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


class CalendarLoader:
    """Calico's content calendar for the quarter the demo is loaded in, counted
    in the cohort's zone, so that the calendar opens on a month full of posts."""

    def __init__(self, cohort, users, now):
        self.cohort, self.zone, self.now = cohort, cohort.timezone, now
        self.people = {email.split("@")[0]: user for email, user in users.items()}
        self.today = in_zone(now, self.zone).date()
        self.first_day = quarter_start(self.today)

    def load(self):
        priya = self.people["priya"]
        save_strategy(
            self.cohort, priya, CALENDAR_GOALS, PILLARS, TARGET_GROUPS, version=0
        )
        topics = {t.name: t for t in entries(self.cohort, "topic")}
        groups = {g.name: g for g in entries(self.cohort, "group")}

        posts = {
            plan.title: self.add_post(number, plan, topics, groups)
            for number, plan in enumerate(DEMO_POSTS, start=1)
        }
        self.add_shares(posts)
        self.add_meetings(priya)
        db.session.commit()

    def planned_day(self, plan):
        """The post's day; a published one lies in the past even when the demo is
        loaded in the quarter's first weeks."""
        week, weekday, _clock = plan.when
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        day = monday + timedelta(weeks=week, days=weekday)
        if plan.flow[1] == "published":
            day = max(self.first_day, min(day, self.today - timedelta(days=1)))
        return day

    def add_post(self, number, plan, topics, groups):
        (author, status, _reviewer), clock = plan.flow, plan.when[2]
        channel, topic_name, group_name = plan.place
        day, topic = self.planned_day(plan), topics[topic_name]
        planned_at = local_to_utc(day, clock, self.zone) if clock else None
        post = Post(
            cohort_id=self.cohort.id,
            author=self.people[author],
            title=plan.title,
            channel=channel,
            pillar_id=topic.parent_id,
            topic_id=topic.id,
            group_id=groups[group_name].id,
            text=plan.text,
            link=plan.link,
            planned_at=planned_at,
            planned_date=None if clock else day,
            timezone=self.zone,
            status=status,
            note=plan.note,
        )
        if status == "published":
            post.published_url = f"https://www.{channel}.com/calico/demo-post-{number}"
        db.session.add(post)
        moment = planned_at or local_to_utc(day, time(9), self.zone)
        self.add_history(post, plan, moment)
        return post

    def add_history(self, post, plan, moment):
        """One event per step, about a day apart, by the author or the reviewer.
        A post is published at its planned moment; other steps end two days
        before theirs, and every step before now."""
        author, status, reviewer = plan.flow
        steps = ["created", *STEPS[status]]
        last = moment if status == "published" else moment - timedelta(days=2)
        last = min(last, self.now - timedelta(hours=1))
        times = [
            last - timedelta(days=1, hours=2) * (len(steps) - 1 - number)
            for number in range(len(steps))
        ]
        for action, at in zip(steps, times, strict=True):
            actor = author if action in AUTHOR_STEPS else reviewer
            note = plan.note if action == "returned" else None
            db.session.add(
                PostEvent(
                    post=post, actor=self.people[actor], at=at, action=action, note=note
                )
            )
        # Each step after creation raised the version by one, as the services do.
        post.version = len(steps)
        post.created_at, post.updated_at = times[0], times[-1]

    def add_shares(self, posts):
        for ambassador, title, url in DEMO_SHARES:
            post, user = posts[title], self.people[ambassador]
            at = min(post.updated_at + timedelta(hours=5), self.now)
            db.session.add(PostShare(post=post, user=user, url=url, shared_at=at))
            db.session.add(PostEvent(post=post, actor=user, at=at, action="shared"))

    def add_meetings(self, organiser):
        for kind, title, when, minutes, count, agenda in DEMO_MEETINGS:
            week, weekday, clock = when
            day = weekday_from(self.first_day + timedelta(weeks=week), weekday)
            db.session.add(
                Meeting(
                    cohort_id=self.cohort.id,
                    kind=kind,
                    title=title,
                    agenda=agenda,
                    starts_at=local_to_utc(day, clock, self.zone),
                    timezone=self.zone,
                    minutes=minutes,
                    every_months=every_months(kind),
                    by_weekday=True,
                    count=count,
                    created_by_id=organiser.id,
                )
            )


# (holder, track, how it stands)
CERTIFICATES = [
    ("lotte@calico.example", "activator", "valid"),
    ("ivo@calico.example", "creator", "valid"),
    ("dirk@calico.example", "ambassador", "expired"),
    ("julia@calico.example", "activator", "revoked"),
]


def load_certificates(registry, users, now):
    """Certificates in each state, for trying the verification pages."""
    if signing_key() is None:
        click.echo(
            "No signing key, so no demo certificates; see 'certificates new-key'."
        )
        return
    # Ambassadors renew every year; the other tracks' certificates do not expire.
    if db.session.get(TrackPolicy, "ambassador") is None:
        db.session.add(TrackPolicy(track="ambassador", validity_months=12))
    for email, track_slug, state in CERTIFICATES:
        track = registry.get(track_slug)
        if track is None:
            continue
        if state == "expired":
            issued_at = now - timedelta(days=400)
            certificate = issue(
                users[email],
                track,
                now=issued_at,
                valid_until=issued_at + timedelta(days=365),
            )
        else:
            certificate = issue(users[email], track, now=now - timedelta(days=20))
        if state == "revoked":
            certificate.revoked_at = now - timedelta(days=2)
            certificate.revoked_reason = (
                "Issued before the final checklist was reviewed."
            )
    db.session.commit()


@demo_cli.command("logins")
def logins():
    """Print how to log in to the demo."""
    click.echo("")
    click.echo("SRO Academy runs on http://127.0.0.1:5000")
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}, unless you changed it):")
    click.echo("  anna@calico.example    trainee, Social Ambassador, just started")
    click.echo("  lotte@calico.example   trainee, Social Activator, certified")
    click.echo("  gijs@calico.example    trainee, Social Creator, three modules done")
    click.echo(
        "  priya@calico.example   SRO Professional, runs the Calico pilot cohort"
    )
    click.echo("  daan@calico.example    SRO Professional, behind on milestone 2")
    click.echo("  admin@calico.example   administrator")
    click.echo("")
