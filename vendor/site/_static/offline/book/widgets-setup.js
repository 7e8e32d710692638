/* Book-specific set-up for saved ipywidgets, loaded (via nb_ipywidgets_js in _config.yml)
 * after require.js and before @jupyter-widgets/html-manager's embed-amd.js, only on pages
 * that contain saved widgets. Written for this book (not vendored); see vendor/README.md.
 *
 * 1. Fonts: embed-amd.js finds its own files (Font Awesome webfonts) relative to the URL
 *    require.js gives its module "@jupyter-widgets/html-manager/dist/...". By default that
 *    is relative to the page, where the files are not. Map it to this vendored folder.
 * 2. MathJax: html-manager 1.0.6 typesets widget labels with the MathJax 2 call
 *    MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]) whenever window.MathJax exists.
 *    The book loads MathJax 3, which has no Hub, so every label raised a TypeError.
 *    Give MathJax 3 a Hub.Queue that does the same with MathJax 3's typesetPromise.
 * 3. Accessibility: a slider handle (role="slider") has no accessible name; the visible
 *    description next to it is a separate element. Copy that description into the handle's
 *    aria-label when the widget appears.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (here && window.require && window.require.config) {
    var offline = here.slice(0, here.lastIndexOf("/book/") + 1);
    window.require.config({
      paths: {"@jupyter-widgets/html-manager/dist": offline + "html-manager-1.0.6"}
    });
  }

  function addHub(mj) {
    if (mj && typeof mj === "object" && mj.version && !mj.Hub) {
      mj.Hub = {
        Queue: function (job) {
          var element = job && job[2];
          if (window.MathJax && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise(element ? [element] : undefined).catch(function () {});
          }
        }
      };
    }
    return mj;
  }
  // MathJax 3 replaces window.MathJax with its own object (version already set) when its
  // script runs; give that object a Hub at that moment, before any widget is rendered.
  var current = addHub(window.MathJax);
  try {
    Object.defineProperty(window, "MathJax", {
      configurable: true,
      enumerable: true,
      get: function () { return current; },
      set: function (value) { current = addHub(value); }
    });
  } catch (e) { /* leave MathJax alone if the property cannot be redefined */ }
  document.addEventListener("DOMContentLoaded", function () { addHub(current); });

  function nameSliders(root) {
    var handles = (root.querySelectorAll ? root : document).querySelectorAll(
      '.jupyter-widgets [role="slider"]:not([aria-label])');
    Array.prototype.forEach.call(handles, function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widgets.widget-inline-hbox");
      var label = widget && widget.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      if (text) { handle.setAttribute("aria-label", text); }
    });
  }
  new MutationObserver(function () { nameSliders(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
