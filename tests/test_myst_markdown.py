"""tools/myst_markdown.py: every MyST construct the book uses becomes plain Markdown, and
what cannot be converted is refused loudly. One tiny fixture per construct."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("myst_markdown", ROOT / "tools" / "myst_markdown.py")
mm = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = mm
_spec.loader.exec_module(mm)


@pytest.fixture
def book():
    """A toy book: chapter 3 (this notebook) and chapter 4, an intro page, two citations."""
    return mm.BookIndex(
        labels={
            "sec-here": mm.Target("03_here.ipynb", "A section here"),
            "sec-there": mm.Target("04_there.ipynb", "A section there"),
            "sec-running": mm.Target("intro.md", "Running the notebooks"),
            "ex-ch04-b": mm.Target("04_there.ipynb", "Exercise 4.2", "4.2"),
        },
        chapter_numbers={"03_here.ipynb": "3", "04_there.ipynb": "4"},
        citations={"bi1998": ("Bi and Poo", "1998"), "song2000": ("Song et al.", "2000")},
        notebooks={"03_here.ipynb", "04_there.ipynb"},
    )


def md(text: str, book, doc: str = "03_here.ipynb") -> str:
    out = mm.to_markdown(text, doc, book)
    assert mm.leftovers(out) == [], out
    return out


# --- directives -------------------------------------------------------------------------

def test_exercises_become_numbered_headings_with_grade_and_title(book):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
                    f"```{{exercise}} {grade}: title {k}\n:label: ex-{k}\n\nDo *this* with {{term}}`dt`.\n```")
                for k, grade in enumerate(["Reproduce", "Modify", "Design"], start=1)]
    nb.cells.append(nbformat.v4.new_markdown_cell("```{exercise} No grade\n```"))
    mm.convert_notebook(nb, "03_here.ipynb", book)
    assert [c.source for c in nb.cells] == [
        "### Exercise 3.1 (reproduce): title 1\n\nDo *this* with dt.",
        "### Exercise 3.2 (modify): title 2\n\nDo *this* with dt.",
        "### Exercise 3.3 (design): title 3\n\nDo *this* with dt.",
        "### Exercise 3.4: No grade",
    ]


def test_gated_exercises_become_a_heading_and_nothing(book):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{exercise-start} Design: gated\n:label: ex-g\n```"),
                nbformat.v4.new_markdown_cell("Text."),
                nbformat.v4.new_markdown_cell("```{exercise-end}\n```"),
                nbformat.v4.new_markdown_cell("```{exercise} Modify: next\n```")]
    mm.convert_notebook(nb, "03_here.ipynb", book)
    assert [c.source for c in nb.cells] == ["### Exercise 3.1 (design): gated", "Text.", "",
                                            "### Exercise 3.2 (modify): next"]


def test_exercises_of_an_unnumbered_notebook_are_numbered_by_order(book):
    assert md("```{exercise} Modify: x\n```", book, doc="extra.ipynb") == "### Exercise 1 (modify): x"


@pytest.mark.parametrize("fence", ["```", ":::"])
def test_admonitions_and_dropdowns_become_quoted_boxes_with_a_bold_title(book, fence):
    text = (f"{fence}{{admonition}} Going deeper: why {{term}}`dt` matters\n:class: dropdown\n\n"
            f"Body with [a link](sec-there).\n\nSecond paragraph.\n{fence}")
    assert md(text, book) == ("> **Going deeper: why dt matters**\n>\n"
                              "> Body with [a link](04_there.ipynb).\n>\n> Second paragraph.")


def test_python_note_with_two_classes(book):
    text = (":::{admonition} Python note: f-strings\n:class: dropdown tip\n"
            "`f\"{x:.2f}\"` formats `x`. More in [Just enough Python](sec-here).\n:::")
    assert md(text, book) == ("> **Python note: f-strings**\n>\n"
                              "> `f\"{x:.2f}\"` formats `x`. More in Just enough Python.")


def test_nested_boxes_nest_as_quotes(book):
    text = "::::{note}\nOuter.\n\n:::{warning}\nInner.\n:::\n::::"
    assert md(text, book) == "> **Note**\n>\n> Outer.\n>\n> > **Warning**\n> >\n> > Inner."


def test_a_titled_note_keeps_its_first_line_as_text(book):
    assert md("```{note} Short text.\n```", book) == "> **Note**\n>\n> Short text."


def test_dropdown_directive(book):
    assert md("```{dropdown} More\nHidden text.\n```", book) == "> **More**\n>\n> Hidden text."


def test_code_inside_a_box_stays_code(book):
    text = "````{tip}\nRun:\n\n```python\nx = {term}`y`\n```\n````"
    assert md(text, book) == "> **Tip**\n>\n> Run:\n>\n> ```python\n> x = {term}`y`\n> ```"


def test_math_directive_and_amsmath_become_display_math(book):
    assert md("```{math}\n:label: eq-1\na = b\n```", book) == "$$\na = b\n$$"
    assert md("\\begin{align}\na &= b\\\\\nc &= d\n\\end{align}", book) == \
        "$$\n\\begin{align}\na &= b\\\\\nc &= d\n\\end{align}\n$$"
    assert md("$$ x_{pre} $$", book) == "$$ x_{pre} $$"


def test_figures_and_images_become_markdown_images(book):
    assert md("```{figure} img/a.png\n:alt: A plot\n:width: 80%\n\nThe caption.\n```", book) == \
        "![A plot](img/a.png)\n\n*The caption.*"
    assert md(":::{image} b.png\n:alt: B\n:::", book) == "![B](b.png)"


def test_code_directives_become_code_blocks(book):
    assert md("```{code-block} python\nx = 1\n```", book) == "```python\nx = 1\n```"


@pytest.mark.parametrize("name", ["glossary", "bibliography", "toctree", "tableofcontents",
                                  "list-table", "include", "eval-rst", "some-new-thing"])
def test_directives_without_a_plain_form_are_refused(book, name):
    with pytest.raises(mm.MystConversionError, match=name):
        mm.to_markdown(f"```{{{name}}}\nx\n```", "03_here.ipynb", book)


@pytest.mark.parametrize("name", ["solution", "solution-start", "solution-end"])
def test_a_solution_directive_is_refused(book, name):
    with pytest.raises(mm.MystConversionError, match="solutions must be removed"):
        mm.to_markdown(f"```{{{name}}} ex-1\n:class: dropdown\n```", "03_here.ipynb", book)


def test_an_unclosed_directive_is_refused(book):
    with pytest.raises(mm.MystConversionError, match="never closed"):
        mm.to_markdown(":::{note}\ntext", "03_here.ipynb", book)


# --- roles ------------------------------------------------------------------------------

def test_term_roles_become_their_text(book):
    assert md("A {term}`spike` and {term}`pre-synaptic <Pre-synaptic neuron>` one.", book) == \
        "A spike and pre-synaptic one."


def test_citations_author_year(book):
    assert md("{cite:t}`bi1998` found it {cite:p}`bi1998,song2000`; see {cite}`song2000`.", book) == \
        "Bi and Poo (1998) found it (Bi and Poo, 1998; Song et al., 2000); see (Song et al., 2000)."


def test_an_unknown_citation_is_refused(book):
    with pytest.raises(mm.MystConversionError, match="nobody2020"):
        mm.to_markdown("{cite:t}`nobody2020`", "03_here.ipynb", book)


def test_ref_and_numref(book):
    assert md("{ref}`the design exercise <ex-ch04-b>`", book) == "[the design exercise](04_there.ipynb)"
    assert md("{numref}`Exercise %s <ex-ch04-b>` asks", book) == "[Exercise 4.2](04_there.ipynb) asks"
    assert md("{ref}`sec-here`", book) == "A section here"


def test_math_sub_and_code_roles(book):
    assert md("{math}`x^2`, H{sub}`2`O, {code}`f()`", book) == "$x^2$, H<sub>2</sub>O, `f()`"


def test_an_unknown_role_is_refused(book):
    with pytest.raises(mm.MystConversionError, match="madeup"):
        mm.to_markdown("{madeup}`x`", "03_here.ipynb", book)


def test_roles_inside_inline_code_are_code(book):
    assert md("Write `{term}`x`` and `f\"{x:spec}\"`.", book) == "Write `{term}`x`` and `f\"{x:spec}\"`."


def test_math_braces_are_not_roles(book):
    assert md("$t_{pre} - t_{post}$ and $\\text{pre}$", book) == "$t_{pre} - t_{post}$ and $\\text{pre}$"


# --- labels and links -------------------------------------------------------------------

def test_labels_and_comments_are_dropped(book):
    assert md("(sec-here)=\n## A section here\n\n% a comment\nText.", book) == "## A section here\n\nText."


def test_links_to_labels(book):
    assert md("[above](sec-here), [there](sec-there), [how](sec-running)", book) == \
        "above, [there](04_there.ipynb), how"


def test_links_to_notebooks_pages_and_the_web(book):
    text = ("[ch 4](04_there.ipynb), [gone](09_missing.ipynb), [glossary](glossary.md), "
            "[web](https://briansimulator.org), [anchor](#top), ![img](a.png)")
    assert md(text, book) == ("[ch 4](04_there.ipynb), gone, glossary, "
                              "[web](https://briansimulator.org), [anchor](#top), ![img](a.png)")


def test_a_link_to_an_unknown_label_is_refused(book):
    with pytest.raises(mm.MystConversionError, match="sec-nowhere"):
        mm.to_markdown("[x](sec-nowhere)", "03_here.ipynb", book)


def test_a_definition_list_becomes_bold_terms(book):
    assert md("Spike\n: an event", book) == "**Spike**\n> an event"


def test_substitutions_are_refused(book):
    with pytest.raises(mm.MystConversionError, match="substitution"):
        mm.to_markdown("Version {{ version }}.", "03_here.ipynb", book)


# --- solution wording -------------------------------------------------------------------

def test_hidden_solution_wording_is_rewritten(book):
    out = md("Each exercise has a cell for your answer, a hidden solution, and a check.", book)
    assert out == "Each exercise has a cell for your answer, a solution (in the web book, not in this notebook), and a check."


def test_leftovers_finds_each_kind():
    text = ("{term}`x`\n```{note}\n```\n(sec-a)=\n[x](sec-a) [g](glossary.md)\n"
            "a hidden solution\n```python\n{term}`in code`\n```")
    kinds = [found.split(":")[0] for found in mm.leftovers(text)]
    assert kinds == ["role", "directive", "label", "link to a label or page",
                     "link to a label or page", "solution"]


# --- the real book ----------------------------------------------------------------------

def test_the_book_index_reads_labels_numbers_and_citations():
    index = mm.book_index(ROOT / "chapters")
    assert index.labels["sec-running"].doc == "intro.md"
    assert index.labels["ex-ch01-last-vs-final"].number == "1.1"
    assert index.chapter_numbers["03_pacemakers.ipynb"] == "3"
    authors, year = index.citations["bi1998synaptic"]
    assert (authors, year) == ("Bi and Poo", "1998")


def test_numbers_match_the_built_book_when_there_is_one():
    """The exercise numbers the converter gives are the ones the HTML book shows."""
    import re

    html = ROOT / "_build" / "html" / "chapters"
    if not html.is_dir():
        pytest.skip("no built book in _build/html")
    index = mm.book_index(ROOT / "chapters")
    compared = 0
    for label, target in index.labels.items():
        page = html / target.doc.replace(".ipynb", ".html")
        if target.number and page.exists():
            shown = re.findall(r'caption-number">Exercise ([\d.]+)', page.read_text(encoding="utf-8"))
            if shown:
                assert target.number in shown, f"{label}: {target.number} not in {shown}"
                compared += 1
    assert compared, "no exercise numbers found in the built book"
