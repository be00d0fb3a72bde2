"""A fake Semantic Scholar, OpenReview and DBLP on 127.0.0.1, in their real answer formats."""

from .server import FakeVenues
from .world import FakeVenuePaper, World, load_world

__all__ = ["FakeVenuePaper", "FakeVenues", "World", "load_world"]
