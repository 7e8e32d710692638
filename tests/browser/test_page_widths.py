"""Every page fits a phone (390 px) and a laptop (1200 px): nothing cut off, no sideways page.

At each width, on every page of the built book:

- the page itself never scrolls sideways (its content is no wider than the window);
- nothing is cut off: every figure, table, code block, displayed equation and live canvas
  either fits inside the boxes around it or sits in a box of its own that scrolls
  (``overflow-x: auto``), so a reader can still see all of it. An element that sticks out of
  an ancestor that hides overflow is cut off and fails the test;
- figures are shown at most as wide as the text column (never wider than the window);
- at 1200 px no code cell needs a horizontal scroll bar (code lines are at most 79
  characters, tests/test_code_lines.py; this checks that they really fit the column);
- at 390 px axe-core finds nothing serious (a box that scrolls only on a phone must be
  reachable by keyboard).
"""
from __future__ import annotations

import pytest

from .conftest import book_pages

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "laptop": 1200}

# Finds what sticks out. Returns a list of short descriptions of the problems on the page.
_FIND_PROBLEMS = r"""
(checkCodeScroll) => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => {
    const cls = (el.className && el.className.baseVal === undefined) ? el.className : '';
    const text = (el.innerText || el.getAttribute('alt') || '').trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}${cls ? ' class="' + cls + '"' : ''}> "${text}"`;
  };
  const page = document.scrollingElement || document.documentElement;
  if (page.scrollWidth > viewport + 1) {
    problems.push(`the page scrolls sideways: content ${page.scrollWidth} px wide in a ${viewport} px window`);
  }
  const selector = 'img, table, pre, mjx-container[display="true"], canvas, svg.live, .beat-live, .cell_output';
  for (const el of document.querySelectorAll('article ' + selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;        // hidden (a closed dropdown)
    if (el.closest('details:not([open])')) continue;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const overflow = style.overflowX;
      if (overflow === 'auto' || overflow === 'scroll') break;  // scrolls in its own box: fine
      if (overflow === 'hidden' || overflow === 'clip') {
        const outer = a.getBoundingClientRect();
        if (box.right > outer.right + 1 || box.left < outer.left - 1) {
          problems.push(`${describe(el)} is cut off: ${Math.round(box.left)}..${Math.round(box.right)} px ` +
                        `inside a box that hides overflow at ${Math.round(outer.left)}..${Math.round(outer.right)} px`);
          break;
        }
      }
    }
    if (el.tagName === 'IMG' && box.right > viewport + 1) {
      problems.push(`${describe(el)} is wider than the window: ends at ${Math.round(box.right)} px`);
    }
  }
  if (checkCodeScroll) {
    for (const pre of document.querySelectorAll('article .cell_input pre')) {
      if (pre.scrollWidth > pre.clientWidth + 1) {
        problems.push(`code needs a horizontal scroll bar at this width: ${describe(pre)} ` +
                      `(${pre.scrollWidth} px of code in ${pre.clientWidth} px)`);
      }
    }
  }
  return problems;
}
"""


@pytest.mark.parametrize("width_name", sorted(WIDTHS))
def test_page_fits_the_screen(open_page, page_path, width_name):
    width = WIDTHS[width_name]
    page, _visit = open_page(page_path)
    page.set_viewport_size({"width": width, "height": 844})
    page.wait_for_timeout(150)  # let the theme's layout settle after the resize
    problems = page.evaluate(_FIND_PROBLEMS, width >= 1200)
    assert not problems, f"{page_path} at {width} px:\n  " + "\n  ".join(problems)
    if width < 1200:
        # What scrolls only on a phone must still be reachable by keyboard (the laptop
        # width is covered by test_book_pages.py).
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_timeout(300)  # a11y-fixes.js looks again after a resize
        violations = Axe().run(page).response["violations"]
        serious = [f"{v['id']}: {v['help']} -- e.g. {v['nodes'][0]['target']}"
                   for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, f"{page_path} at {width} px: axe-core found:\n  " + "\n  ".join(serious)


def test_the_check_sees_a_cut_off_element(open_page):
    """The check can fail: a wide box inserted into a clipping container is reported."""
    intro = next((p for p in book_pages() if p.endswith("intro.html")), "<no built book>")
    page, _visit = open_page(intro)
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("""() => {
      const holder = document.createElement('div');
      holder.style.overflowX = 'hidden';
      holder.innerHTML = '<table><tr><td style="min-width: 900px">wide</td></tr></table>';
      document.querySelector('article').prepend(holder);
    }""")
    problems = page.evaluate(_FIND_PROBLEMS, False)
    assert any("is cut off" in p for p in problems), problems
