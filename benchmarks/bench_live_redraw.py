"""Benchmark: how long the live beat explorer takes to redraw in the browser.

Run by hand with `make bench` (or `.venv/bin/python benchmarks/bench_live_redraw.py`),
after building the book (`make book`). It serves the built book on 127.0.0.1, opens the
explorer page in headless Chromium (Debian's `chromium`, as the browser tests do) and
moves the beat slider 41 times, for a run of 1 s and of 10 s at dt = 0.1 ms. Each time
it measures, inside the page, the time from the slider's input event to a finished
redraw: the whole experiment recomputed by window.beatExperiment.run, the canvas drawn,
the text line written, and the canvas's pixels read back (which forces the drawing to
complete). It prints the medians and compares them with the book's goals: under 16 ms
(one screen frame at 60 Hz) for 1 s, under 50 ms for 10 s. For information it also
times 10 s at dt = 0.01 ms (a million time steps).

Set BOOK_HTML to test another build (as for `make browser`).
"""
import functools
import http.server
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

BOOK_HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
GOALS_MS = {1: 16.0, 10: 50.0}
MOVES = 41  # beat from -20 to +20 Hz in steps of 1 Hz

# Runs inside the page: set duration and dt, warm up, then time MOVES slider moves.
MEASURE = """async ([duration, dtIndex, moves]) => {
  const el = document.querySelector('.beat-live[data-live="explorer"]');
  const set = (name, value) => {
    const input = el.querySelector(`input[name=${name}]`);
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
  };
  set('dt', dtIndex); set('duration', duration); set('pre_rate', 200); set('phase', 0);
  const beat = el.querySelector('input[name=beat]');
  const ctx = el.querySelector('canvas').getContext('2d');
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  for (let k = 0; k < 10; k++) { set('beat', 30 + k); }  // warm up the JIT
  const times = [];
  for (let k = 0; k < moves; k++) {
    await frame();  // one move per frame, like a reader dragging
    beat.value = String(-20 + k);
    const start = performance.now();
    beat.dispatchEvent(new Event('input', {bubbles: true}));
    ctx.getImageData(0, 0, 1, 1);  // wait until the canvas is really drawn
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const result = el.beatLive.result;
  return {median: times[Math.floor(times.length / 2)], max: times[times.length - 1],
          steps: result.n_steps, spikes: result.pre_count + result.post_count,
          redraws: el.beatLive.redraws};
}"""


def skip(reason: str) -> None:
    print(f"SKIPPED: {reason}")
    raise SystemExit(1 if os.environ.get("CI", "").lower() == "true" else 0)


def main() -> None:
    pages = sorted((BOOK_HTML / "chapters").glob("*beat_explorer*.html"))
    if not pages:
        skip(f"no built beat explorer page in {BOOK_HTML}: run `make book` first")
    exe = chromium_path()
    if exe is None:
        skip("no Chromium found (install Debian's `chromium` package or set CHROMIUM=/path/to/chromium)")
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(BOOK_HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{pages[0].relative_to(BOOK_HTML).as_posix()}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            local = f"127.0.0.1:{server.server_address[1]}"
            page.route("**/*", lambda r: r.continue_() if local in r.request.url else r.abort())
            page.goto(url, wait_until="load")
            page.wait_for_selector('.beat-live[data-mounted="true"]')
            page.locator('.beat-live[data-live="explorer"]').scroll_into_view_if_needed()
            results = {}
            for duration, dt_index, dt_text in [(1, 0, "0.1"), (10, 0, "0.1"), (10, 2, "0.01")]:
                r = page.evaluate(MEASURE, [duration, dt_index, MOVES])
                results[(duration, dt_text)] = r
                print(f"live explorer redraw, {duration:2d} s at dt = {dt_text:4s} ms ({r['steps']:>7,} steps, "
                      f"{r['spikes']:>5,} spikes): median {r['median']:5.1f} ms, max {r['max']:5.1f} ms "
                      f"over {MOVES} slider moves")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    ok = True
    for duration, goal in GOALS_MS.items():
        median = results[(duration, "0.1")]["median"]
        met = median < goal
        ok &= met
        print(f"goal: {duration:2d} s at dt = 0.1 ms under {goal:g} ms -> {'met' if met else 'NOT met'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
