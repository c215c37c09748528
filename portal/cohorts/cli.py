import click
from flask import current_app
from flask.cli import AppGroup

from portal.cohorts.reminders import send_deadline_reminders

cohorts_cli = AppGroup("cohorts", help="Run cohorts: reminders.")


@cohorts_cli.command("remind")
def remind():
    """Email professionals whose milestones are due soon or overdue; each
    reminder goes out once, however often this runs (a daily scheduler job)."""
    sent = send_deadline_reminders(current_app.extensions["courses"])
    click.echo(f"{len(sent)} reminder(s) sent.")
