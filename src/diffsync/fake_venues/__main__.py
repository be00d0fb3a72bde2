"""``python -m diffsync.fake_venues --papers PAPERS.json``: serve until interrupted, print the base URL."""

from __future__ import annotations

import argparse
import sys

from .server import FakeVenues
from .world import World, load_world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m diffsync.fake_venues")
    parser.add_argument("--papers", help="JSON list of FakeVenuePaper fields")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    world = load_world(args.papers) if args.papers else World(())
    fake = FakeVenues(world, port=args.port)
    print(fake.base_url, flush=True)
    try:
        fake.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
