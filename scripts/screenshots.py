"""Render the review report and the job summary as GitHub shows them, and screenshot them.

    .venv/bin/pip install cmarkgfm            # GitHub's own Markdown (cmark-gfm)
    npm install --prefix /tmp/gh github-markdown-css
    apt-get install chromium                  # Debian's headless Chromium
    .venv/bin/python scripts/screenshots.py --css /tmp/gh/node_modules/github-markdown-css/github-markdown-light.css

writes docs/report.png (the report file viewed on GitHub) and docs/github-summary.png (the
job summary of `check --format markdown`), from the bundled example list with planted
drift against the fake arXiv, offline.  Look at them before committing: what reads badly
there reads badly for every maintainer.  Not a test: it needs a browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]
# GitHub's file view and job summary: the Markdown body is about 1012 px wide at a
# 1280 px window; the summary box adds a title bar above it.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>{css}
body {{ background: #f6f8fa; margin: 0; padding: 16px; }}
.box {{ box-sizing: border-box; width: {width}px; margin: 0 auto; background: #fff;
        border: 1px solid #d0d7de; border-radius: 6px; }}
.bar {{ padding: 12px 16px; border-bottom: 1px solid #d0d7de; font: 600 14px -apple-system,
        "Segoe UI", Helvetica, Arial, sans-serif; background: #f6f8fa; }}
.markdown-body {{ padding: 32px; }}
</style></head><body><div class="box">{bar}<article class="markdown-body">{html}</article></div>
</body></html>"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "diffsync", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode not in (0, 1):
        raise SystemExit(f"diffsync {' '.join(args)}: {done.stderr}")
    return done.stdout


def shoot(markdown: str, out: Path, css: str, bar: str, width: int, height: int, chromium: str) -> None:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp, "page.html")
        page.write_text(PAGE.format(css=css, width=width, bar=f'<div class="bar">{bar}</div>' if bar else "",
                                    html=html), encoding="utf-8")
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={width + 40},{height}",
                        f"--screenshot={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {out.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--css", required=True, type=Path, help="github-markdown-light.css")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    css = args.css.read_text(encoding="utf-8")

    sys.path.insert(0, str(REPO / "src"))
    from diffsync.fake_arxiv import FakeArxiv
    from diffsync.fake_arxiv.example import EXAMPLE_LIST, example_papers

    with tempfile.TemporaryDirectory() as tmp, FakeArxiv(example_papers()) as fake:
        work = Path(tmp)
        (work / "docs").mkdir()
        shutil.copyfile(EXAMPLE_LIST, work / "docs" / "list.md")
        env = {**os.environ, "DIFFSYNC_ARXIV_URL": fake.url, "DIFFSYNC_ARXIV_DELAY": "0",
               "DIFFSYNC_DATABASE_URL": f"sqlite:///{work / 'd.db'}", "PYTHONPATH": str(REPO / "src")}
        env.pop("DIFFSYNC_CONFIG", None)
        # In a workflow: the summary links each line to the list at the commit checked.
        summary_env = {**env, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "owner/papers",
                       "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "GITHUB_WORKSPACE": str(work)}
        summary = run(["check", "docs/list.md", "--format", "markdown"], work, summary_env)
        run(["check", "docs/list.md", "--offline", "--report", "diffsync-report.md"], work, env)
        report = (work / "diffsync-report.md").read_text(encoding="utf-8")
        shoot(report, REPO / "docs" / "report.png", css, "diffsync-report.md", 1012, args.height, args.chromium)
        shoot(summary, REPO / "docs" / "github-summary.png", css, "check summary", 1012, args.height,
              args.chromium)


if __name__ == "__main__":
    main()
