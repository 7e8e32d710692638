/* Accessibility fixes for markup the book's theme and Sphinx produce, loaded on every page
 * (html_js_files in _config.yml). Written for this book; see vendor/README.md. Each fix
 * answers a "serious" or "critical" finding of axe-core in tests/browser/.
 *
 * 1. sphinx-book-theme / pydata-sphinx-theme 0.15: in the left sidebar, a chapter with
 *    sections gets a <details><summary> toggle that holds only an icon, so a screen reader
 *    announces an unnamed control (axe: summary-name). Name it after its chapter.
 * 2. docutils citations (references page): role="list" whose entries carry the deprecated
 *    role "doc-biblioentry", which axe (and assistive technology) does not count as a list
 *    item (axe: aria-required-children). Give the entries role="listitem".
 * 3. Wide tables and displayed equations scroll inside their own box (a11y-fixes.css), and
 *    a keyboard user must be able to scroll them too (axe: scrollable-region-focusable):
 *    a box that really scrolls gets tabindex="0" and a name. Checked again after a resize,
 *    because whether a box scrolls depends on the width of the screen.
 */
(function () {
  "use strict";
  function fix() {
    Array.prototype.forEach.call(document.querySelectorAll("summary"), function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) { return; }
      var item = summary.closest("li");
      var link = item && item.querySelector(":scope > a");
      var title = link ? link.textContent.trim() : "";
      summary.setAttribute("aria-label", title ? "Show or hide the sections of " + title
                                               : "Show or hide the sections");
    });
    Array.prototype.forEach.call(
      document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]'),
      function (entry) { entry.setAttribute("role", "listitem"); });
    focusableScrollBoxes();
  }
  function focusableScrollBoxes() {
    var boxes = document.querySelectorAll(
      'article .cell_output table, article .pst-scrollable-table-container, ' +
      'article mjx-container[display="true"]');
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroll-fix", "");
          if (box.tagName !== "TABLE" && !box.hasAttribute("aria-label")) {
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", "Equation (scrolls sideways)");
          }
        }
      } else if (box.hasAttribute("data-scroll-fix")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-fix");
      }
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(focusableScrollBoxes, 100);
  });
  // MathJax typesets after the page loads: look again once it is done.
  window.addEventListener("load", function () {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(focusableScrollBoxes);
    }
    setTimeout(focusableScrollBoxes, 500);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
