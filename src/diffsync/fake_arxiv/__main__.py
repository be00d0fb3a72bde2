"""``python -m diffsync.fake_arxiv``: run the fake arXiv API until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys

from .feed import CURRENT, DIALECTS, load_papers, synthetic_papers
from .server import FAULT_KINDS, FakeArxiv, Fault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m diffsync.fake_arxiv", description=__doc__)
    parser.add_argument("--papers", help="JSON list of PaperRecord-shaped objects to serve")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N", help="also serve N generated papers (2301.00001...)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--dialect", choices=DIALECTS, default=CURRENT)
    parser.add_argument("--delay-check", type=float, default=0.0, help="flag requests closer than this many seconds")
    parser.add_argument("--log", help="append every query request to this JSONL file")
    parser.add_argument("--max-page", type=int, help="cap entries per page (provokes truncation)")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="SPEC",
        help=f"KIND[:first=K,every=N,retry_after=S,seconds=T]; KIND one of {', '.join(FAULT_KINDS)}",
    )
    args = parser.parse_args(argv)
    try:
        papers = load_papers(args.papers) if args.papers else []
        faults = [Fault.parse(spec) for spec in args.fault]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"fake_arxiv: {exc}", file=sys.stderr)
        return 2
    papers += synthetic_papers(args.synthetic)
    fake = FakeArxiv(
        papers, delay_check=args.delay_check, faults=faults, dialect=args.dialect,
        max_page=args.max_page, host=args.host, port=args.port, log_path=args.log,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(fake.url, flush=True)
    try:
        fake.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
