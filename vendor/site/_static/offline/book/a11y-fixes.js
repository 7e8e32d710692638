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
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
