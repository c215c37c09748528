import sys

import click
from flask import current_app
from flask.cli import AppGroup

from portal.courses.models import CourseVersion
from portal.courses.registry import CourseRegistry
from portal.extensions import db

courses_cli = AppGroup("courses", help="Check and publish the Markdown courses.")


@courses_cli.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
def check(folder):
    """Validate every track and print path:line: message for each mistake."""
    registry = CourseRegistry.load(folder or current_app.config["COURSES_DIR"])
    for error in registry.all_errors():
        click.echo(str(error))
    for track in registry.tracks.values():
        questions = sum(len(m.quiz.questions) for m in track.modules if m.quiz)
        click.echo(
            f"ok  {track.slug}: {len(track.modules)} modules, {questions} questions, "
            f"version {track.version}",
            err=True,
        )
    if registry.broken:
        click.echo(f"{len(registry.broken)} track(s) with problems", err=True)
        sys.exit(1)
    if not registry.tracks:
        click.echo("no tracks found", err=True)
        sys.exit(1)


@courses_cli.command("load")
def load():
    """Record the version of every valid track, so attempts can refer to it."""
    registry = current_app.extensions["courses"]
    for track in registry.tracks.values():
        known = db.session.scalar(
            db.select(CourseVersion).filter_by(track=track.slug, version=track.version)
        )
        if known is None:
            db.session.add(
                CourseVersion(
                    track=track.slug, version=track.version, title=track.title
                )
            )
            click.echo(f"published {track.slug} version {track.version}")
        else:
            click.echo(f"{track.slug} version {track.version} is current")
    db.session.commit()
    for slug, errors in registry.broken.items():
        click.echo(
            f"not served: {slug} ({len(errors)} problem(s)); run 'flask courses check'"
        )
