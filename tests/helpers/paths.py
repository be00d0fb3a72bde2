"""Where the tests' inputs live: the fixtures folder, the repository, the real lists."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
# The two real lists live beside the project in ../shared/lists (or $DIFFSYNC_SHARED_LISTS).
SHARED_LISTS = Path(os.environ.get("DIFFSYNC_SHARED_LISTS") or REPO.parent / "shared" / "lists")
