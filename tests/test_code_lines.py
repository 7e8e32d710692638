"""The chapters' code fits the text column: formatted by ruff, no line over 79 characters.

`ruff format chapters` (settings in pyproject.toml) formats the code cells; it cannot break a
long string or comment, so the second test checks every line itself. The browser test
tests/browser/test_page_widths.py checks that 79 characters really fit at 1200 px.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
MAX_LINE = 79


def _ruff() -> list[str]:
    """ruff from this environment (pinned in requirements.txt)."""
    candidate = Path(sys.executable).with_name("ruff")
    if candidate.is_file():
        return [str(candidate)]
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: `make venv` installs it (requirements.txt)")
    return [found]


def test_chapters_are_formatted_by_ruff():
    result = subprocess.run(_ruff() + ["format", "--check", *map(str, CHAPTERS)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        "Some chapters are not formatted; run `.venv/bin/ruff format chapters` and refresh them:\n"
        + result.stdout + result.stderr)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_no_code_line_is_longer_than_79_characters(chapter):
    long_lines = []
    for number, cell in enumerate(json.loads(chapter.read_text(encoding="utf-8"))["cells"], 1):
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            if len(line) > MAX_LINE:
                long_lines.append(f"cell {number}: {len(line)} characters: {line[:60]}...")
    assert not long_lines, f"{chapter.name}: wrap these lines:\n  " + "\n  ".join(long_lines)
