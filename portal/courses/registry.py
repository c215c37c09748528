"""The tracks this process serves, parsed once at start-up."""

import logging
from dataclasses import dataclass, field

from portal.courses.parser import discover_tracks, load_track

logger = logging.getLogger(__name__)


@dataclass
class CourseRegistry:
    tracks: dict = field(default_factory=dict)
    broken: dict = field(default_factory=dict)

    @classmethod
    def load(cls, root):
        registry = cls()
        for directory in discover_tracks(root):
            track, errors = load_track(directory)
            if track is None:
                registry.broken[directory.name] = errors
            else:
                registry.tracks[track.slug] = track
        return registry

    def log_problems(self):
        for slug, errors in self.broken.items():
            logger.error(
                "track %s is not served: %d problem(s), first: %s",
                slug,
                len(errors),
                errors[0],
            )

    def get(self, slug):
        return self.tracks.get(slug)

    def all_errors(self):
        return [error for errors in self.broken.values() for error in errors]
