"""Each chapter's main path reads in about 15 minutes (tools/main_path_words.py, issue 11).

The counter itself is tested on small notebooks whose count is known by hand, so the limit
cannot pass because the counter missed text, and cannot fail because it counted hidden text.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("main_path_words", ROOT / "tools" / "main_path_words.py")
words_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(words_tool)

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))


def _notebook(tmp_path, *cells) -> Path:
    """A notebook of (cell_type, source, tags) cells."""
    nb = {"cells": [{"cell_type": kind, "metadata": {"tags": list(tags)}, "source": source,
                     **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                    for kind, source, tags in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_plain_prose_is_counted(tmp_path):
    nb = _notebook(tmp_path, ("markdown", "# A title\n\nOne two three, four.", ()))
    assert words_tool.main_path_words(nb) == 6


def test_code_solutions_and_removed_cells_are_not_counted(tmp_path):
    nb = _notebook(
        tmp_path,
        ("markdown", "one two", ()),
        ("code", "print('many many words here')", ()),
        ("markdown", "```{solution-start} ex-a\n:class: dropdown\n```\nhidden words", ()),
        ("markdown", "still hidden", ()),
        ("markdown", "```{solution-end}\n```", ()),
        ("markdown", "tagged solution words", ("solution",)),
        ("markdown", "removed words", ("remove-cell",)),
        ("markdown", "three", ()),
    )
    assert words_tool.main_path_words(nb) == 3


def test_collapsed_boxes_count_only_their_titles(tmp_path):
    source = (
        "Before the box.\n\n"
        ":::{admonition} Going deeper: the bound\n:class: dropdown\n"
        "Ten words of derivation that the main path does not need.\n"
        "```{math}\nx = 1\n```\n:::\n\n"
        ":::{admonition} Python note: f-strings\n:class: dropdown tip\nHidden note.\n:::\n\n"
        "```{dropdown} Open me\nHidden too.\n```\n\n"
        ":::{note}\nA visible note.\n:::\n"
    )
    nb = _notebook(tmp_path, ("markdown", source, ()))
    # "Before the box." 3 + titles 4 + 3 + 2 + "A visible note." 3
    assert words_tool.main_path_words(nb) == 15


def test_markup_is_not_counted_as_words(tmp_path):
    source = (
        "(sec-label)=\n## Heading here\n\n"
        "A [link with text](sec-x), {term}`STDP`, `code`, $x^2$ and {cite:t}`key`.\n\n"
        "$$\ny = 2\n$$\n\n| a | b |\n|---|---|\n| c | d |\n<!-- a comment -->\n"
        "```python\nprint('code block')\n```\n"
    )
    nb = _notebook(tmp_path, ("markdown", source, ()))
    # Heading here 2; A, link, with, text, STDP, code, x^2, and, cite = 9; table a b c d = 4
    assert words_tool.main_path_words(nb) == 15


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_main_path_is_within_the_limit(chapter):
    words = words_tool.main_path_words(chapter)
    assert words <= words_tool.MAIN_PATH_LIMIT, (
        f"{chapter.name}: {words} words on the main path, limit {words_tool.MAIN_PATH_LIMIT}. "
        "Move derivations, bounds and extra checks into collapsed 'Going deeper' boxes.")
