/* beat-experiment.js: the beat experiment of chapter 5, computed in the reader's browser.
 *
 * Written for this book (see vendor/README.md). It repeats Brian's arithmetic step by step,
 * in the same order as the book's Python reference, so that a figure drawn here shows what
 * Brian 2 (numpy target) computes. Each function names the Python it mirrors:
 *
 *   nSteps               helpers/clock.py       n_steps (Brian's Clock._calc_timestep)
 *   firstCrossing        helpers/pacemakers.py  _first_crossing (x = increment + x, x > 1)
 *   pacemakerSpikeSteps  helpers/pacemakers.py  pacemaker_spike_steps
 *   stepsPerPeriod       helpers/pacemakers.py  steps_per_period
 *   effectiveRate        helpers/pacemakers.py  effective_rate
 *   dApost               helpers/stdp.py        PairRule.dApost
 *   replayPairRule       helpers/events.py      replay_trace_rule, with the on_pre/on_post
 *                                               updates of helpers/stdp.py stdp_reference
 *   stdpWindow           helpers/stdp.py        stdp_window
 *
 * JavaScript numbers are IEEE 754 doubles, like numpy's float64, and every sum and product
 * below is done in the same order as in Python, so spike steps come out identical. The one
 * operation that may differ is exp(): Math.exp and the C library's exp (which Python's
 * math.exp calls) can differ in the last bit, so weights agree to about 1e-15, not always
 * bit for bit. tests/browser/test_live_figures.py compares this file with the Python
 * reference in headless Chromium (identical spike counts and steps, weights within 1e-12).
 *
 * Units: the functions take SI numbers: rates in Hz, times in seconds. A slider in
 * milliseconds is converted with `value * MS`, MS = 0.001, which is what Brian computes
 * for `value*ms` (so 0.1 ms becomes exactly float(0.1*ms)).
 *
 * What it provides, as window.beatExperiment:
 *   run({pre_rate, post_rate, duration, phase, dt, taupre, taupost, dApre,
 *        depression_ratio, w0, gmax})
 *       The beat experiment: a pre pacemaker starting at x = 0, a post pacemaker starting
 *       at x = phase, and the pair rule between them. Only pre_rate, post_rate and
 *       duration are required (phase 0, dt 0.1 ms and the thread's rule by default).
 *       Returns {final_w, pre_count, post_count, ...details}. Every live slider of the
 *       beat explorer calls exactly this function; the browser tests call it too.
 *   mountAll()  Turns every <div class="beat-live"> of the page into a live figure
 *       (sliders, a text line, a canvas). helpers/live.py writes those divs: in the book
 *       this file is loaded on every page (html_js_files in _config.yml), in Jupyter by
 *       helpers.live.load_javascript(). Without such a div the file does nothing else.
 */
(function () {
  "use strict";

  var MS = 0.001;  // Brian's ms: value*ms is value*0.001
  var THREAD = {   // helpers/stdp.py THREAD_RULE, THREAD_W0, THREAD_GMAX
    taupre: 20 * MS, taupost: 20 * MS, dApre: 0.02, depression_ratio: 1.05, w0: 0.5, gmax: 1.0
  };
  var MAX_PERIOD_STEPS = 1e9;  // helpers/pacemakers.py MAX_PERIOD_STEPS
  var MAX_JUMP = 1e6;          // helpers/stdp.py MAX_JUMP
  var MAX_RUN_STEPS = 1e9;     // refuse runs longer than this many steps

  // ------------------------------------------------------------------------------------
  // Brian's arithmetic.

  function fail(message) { throw new Error("beatExperiment: " + message); }

  function requireNumber(value, name, example) {
    if (typeof value !== "number" || !isFinite(value)) {
      fail(name + " must be a finite number, e.g. " + example + ": got " + String(value) + ".");
    }
    return value;
  }

  function requirePositive(value, name, example) {
    requireNumber(value, name, example);
    if (!(value > 0)) { fail(name + " must be positive, e.g. " + example + ": got " + value + "."); }
    return value;
  }

  /* numpy.round: halves go to the even neighbour (Math.round sends them up). */
  function roundHalfEven(x) {
    var r = Math.round(x);
    if (r - x === 0.5 && r % 2 !== 0) { r -= 1; }
    return r;
  }

  /* helpers/clock.py n_steps: the number of steps Brian takes for run(duration). Brian
   * rounds duration/dt to the nearest integer when that is exact to 0.01 % of a step,
   * and rounds up otherwise. */
  function nSteps(duration, dt) {
    requirePositive(duration, "duration (s)", "1");
    requirePositive(dt, "dt (s)", "0.0001");
    var newI = roundHalfEven(duration / dt);
    if (newI * dt === duration || Math.abs(newI * dt - duration) / dt <= 1e-4) { return newI; }
    return Math.ceil(duration / dt);
  }

  /* helpers/pacemakers.py _first_crossing: how many additions x = increment + x, starting
   * from x = start and done one after the other in float64, until x > 1; null if x has
   * not passed 1 after maxSteps additions. */
  function firstCrossing(increment, start, maxSteps) {
    var x = start;
    for (var k = 1; k <= maxSteps; k++) {
      x = increment + x;
      if (x > 1.0) { return k; }
    }
    return null;
  }

  /* helpers/pacemakers.py require_pacemaker_rates, for one rate. */
  function checkRate(rate, dt, name) {
    requirePositive(rate, name + " (Hz)", "200");
    if (rate > 1 / (2 * dt)) {
      fail(name + " is " + rate + " Hz, more than 1/(2*dt) = " + 1 / (2 * dt) +
           " Hz, which a time step of " + dt * 1e3 + " ms cannot represent.");
    }
    if (rate * dt * MAX_PERIOD_STEPS < 1.0) {
      fail(name + " is " + rate + " Hz, so low that one period would take more than 1e9 steps.");
    }
    return rate;
  }

  /* helpers/pacemakers.py steps_per_period: steps between two spikes (after a reset). */
  function stepsPerPeriod(rate, dt) {
    checkRate(rate, dt, "rate");
    return firstCrossing(dt * rate, 0.0, 2 * MAX_PERIOD_STEPS);
  }

  /* helpers/pacemakers.py effective_rate: 1/(steps per period * dt), in Hz. */
  function effectiveRate(rate, dt) {
    return 1.0 / (stepsPerPeriod(rate, dt) * dt);
  }

  /* helpers/pacemakers.py pacemaker_spike_steps: the step indices at which Brian's
   * pacemaker (dx/dt = rate, threshold x > 1, reset x = 0, method euler) spikes during
   * run(duration), starting from x = phase. Each step Brian computes x = (dt*rate) + x in
   * float64; the increment dt*rate is one float64 product. */
  function pacemakerSpikeSteps(rate, duration, dt, phase) {
    var stepsTotal = nSteps(duration, dt);
    checkRate(rate, dt, "rate");
    if (phase === undefined) { phase = 0.0; }
    requireNumber(phase, "phase", "0.25");
    if (!(phase >= 0 && phase < 1)) { fail("phase must be in [0, 1): got " + phase + "."); }
    var increment = dt * rate;
    var first = firstCrossing(increment, phase, stepsTotal);
    if (first === null) { return []; }
    var firstStep = first - 1;  // the k-th addition happens in step k - 1
    var period = firstCrossing(increment, 0.0, stepsTotal + 1);
    if (period === null) { return [firstStep]; }
    var steps = [];
    for (var s = firstStep; s < stepsTotal; s += period) { steps.push(s); }
    return steps;
  }

  /* helpers/stdp.py PairRule.dApost, in the same order of operations:
   * -dApre * float(taupre / taupost) * depression_ratio. */
  function dApost(rule) {
    return -rule.dApre * (rule.taupre / rule.taupost) * rule.depression_ratio;
  }

  function checkedRule(params) {
    var rule = {};
    ["taupre", "taupost", "dApre", "depression_ratio", "w0", "gmax"].forEach(function (key) {
      rule[key] = (params && params[key] !== undefined) ? params[key] : THREAD[key];
    });
    requirePositive(rule.taupre, "taupre (s)", "0.02");
    requirePositive(rule.taupost, "taupost (s)", "0.02");
    requireNumber(rule.dApre, "dApre", "0.02");
    requireNumber(rule.depression_ratio, "depression_ratio", "1.05");
    if (rule.depression_ratio < 0) { fail("depression_ratio must be >= 0."); }
    if (!(rule.gmax > 0)) { fail("gmax must be positive: got " + rule.gmax + "."); }
    requireNumber(rule.w0, "w0", "0.5");
    if (!(rule.w0 >= 0 && rule.w0 <= rule.gmax)) { fail("w0 must be in [0, gmax]."); }
    rule.dApost = dApost(rule);
    if (Math.abs(rule.dApre) > MAX_JUMP || Math.abs(rule.dApost) > MAX_JUMP) {
      fail("trace jumps larger than 1e6 make the weight overflow.");
    }
    return rule;
  }

  /* helpers/events.py replay_trace_rule with the pair rule of helpers/stdp.py
   * stdp_reference (Brian's STDP tutorial):
   *   on_pre:  Apre += dApre;   w = clip(w + Apost, 0, gmax)
   *   on_post: Apost += dApost; w = clip(w + Apre, 0, gmax)
   * The spikes of both trains are merged by time step, the pre spike first when both fall
   * in the same step (Brian runs the pre pathway before the post pathway). Between two
   * events both traces decay exactly, trace *= exp(-elapsed/tau), with elapsed computed
   * from the event times step*dt. With record, the weight and both traces right after
   * every event are kept. */
  function replayPairRule(preSteps, postSteps, dt, rule, record) {
    var nPre = preSteps.length, nPost = postSteps.length, n = nPre + nPost;
    var eventSteps = record ? new Array(n) : null;
    var eventIsPost = record ? new Array(n) : null;
    var wAfter = record ? new Float64Array(n) : null;
    var apreAfter = record ? new Float64Array(n) : null;
    var apostAfter = record ? new Float64Array(n) : null;
    var apre = 0.0, apost = 0.0, w = rule.w0, lastT = 0.0;
    var taupre = rule.taupre, taupost = rule.taupost, gmax = rule.gmax;
    var dApre = rule.dApre, dAp = rule.dApost;
    var i = 0, j = 0;
    for (var e = 0; e < n; e++) {
      var isPost = i >= nPre || (j < nPost && postSteps[j] < preSteps[i]);
      var step = isPost ? postSteps[j++] : preSteps[i++];
      var t = step * dt;
      if (t !== lastT) {
        var elapsed = t - lastT;
        apre *= Math.exp(-elapsed / taupre);
        apost *= Math.exp(-elapsed / taupost);
        lastT = t;
      }
      if (isPost) {
        apost += dAp;
        w = Math.min(Math.max(w + apre, 0.0), gmax);
      } else {
        apre += dApre;
        w = Math.min(Math.max(w + apost, 0.0), gmax);
      }
      if (record) {
        eventSteps[e] = step; eventIsPost[e] = isPost; wAfter[e] = w;
        apreAfter[e] = apre; apostAfter[e] = apost;
      }
    }
    return {final_w: w, steps: eventSteps, is_post: eventIsPost, w: wAfter,
            apre: apreAfter, apost: apostAfter};
  }

  /* helpers/stdp.py stdp_window: the weight change of one isolated pair at lag
   * t_post - t_pre (seconds); lag 0 counts as pre before post. */
  function stdpWindow(lag, params) {
    var rule = checkedRule(params);
    return lag >= 0 ? rule.dApre * Math.exp(-Math.abs(lag) / rule.taupre)
                    : rule.dApost * Math.exp(-Math.abs(lag) / rule.taupost);
  }

  /* The beat experiment of chapter 5 (helpers.beats.run_beat_experiment for one
   * condition, computed as helpers.live.run_reference does): the hook the sliders and
   * the tests call. */
  function run(params) {
    if (!params || typeof params !== "object") {
      fail("run() needs an object such as {pre_rate: 200, post_rate: 220, duration: 1}.");
    }
    var dt = params.dt === undefined ? 0.1 * MS : params.dt;
    var phase = params.phase === undefined ? 0.0 : params.phase;
    requirePositive(dt, "dt (s)", "0.0001");
    var stepsTotal = nSteps(params.duration, dt);
    if (stepsTotal > MAX_RUN_STEPS) { fail("the run would take more than 1e9 time steps."); }
    var rule = checkedRule(params);
    checkRate(params.pre_rate, dt, "pre_rate");
    checkRate(params.post_rate, dt, "post_rate");
    var pre = pacemakerSpikeSteps(params.pre_rate, params.duration, dt, 0.0);
    var post = pacemakerSpikeSteps(params.post_rate, params.duration, dt, phase);
    var replay = replayPairRule(pre, post, dt, rule, true);
    var prePeriod = stepsPerPeriod(params.pre_rate, dt);
    var postPeriod = stepsPerPeriod(params.post_rate, dt);
    return {
      final_w: replay.final_w, pre_count: pre.length, post_count: post.length,
      pre_steps: pre, post_steps: post, n_steps: stepsTotal, dt: dt,
      pre_period_steps: prePeriod, post_period_steps: postPeriod,
      eff_pre_rate: 1.0 / (prePeriod * dt), eff_post_rate: 1.0 / (postPeriod * dt),
      event_steps: replay.steps, event_is_post: replay.is_post, w: replay.w,
      w0: rule.w0, gmax: rule.gmax, dApost: rule.dApost
    };
  }

  // ------------------------------------------------------------------------------------
  // Drawing: a small canvas plotter (axes, ticks, lines), enough for the book's figures.

  var COLORS = {pre: "#1f77b4", post: "#d95f02", w: "#2a7d2e", ref: "#999999",
                text: "#222222", grid: "#e6e6e6", axis: "#555555"};
  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

  function niceStep(span, count) {
    var raw = span / Math.max(count, 1);
    var mag = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  }

  function ticks(lo, hi, count) {
    var step = niceStep(hi - lo, count), out = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return out;
  }

  function fmtTick(v) {
    var a = Math.abs(v);
    if (a === 0) { return "0"; }
    if (a >= 100) { return v.toFixed(0); }
    return String(Number(v.toPrecision(3)));
  }

  /* An axes box at (x, y, w, h) in CSS pixels, with data limits. */
  function Axes(ctx, box, xlim, ylim) {
    this.ctx = ctx; this.box = box; this.xlim = xlim; this.ylim = ylim;
  }
  Axes.prototype.X = function (v) {
    var b = this.box;
    return b.x + (v - this.xlim[0]) / (this.xlim[1] - this.xlim[0]) * b.w;
  };
  Axes.prototype.Y = function (v) {
    var b = this.box;
    return b.y + b.h - (v - this.ylim[0]) / (this.ylim[1] - this.ylim[0]) * b.h;
  };
  Axes.prototype.frame = function (opts) {
    var ctx = this.ctx, b = this.box, self = this;
    ctx.save();
    ctx.font = FONT;
    ctx.lineWidth = 1;
    var xt = opts.xticks || ticks(this.xlim[0], this.xlim[1], Math.max(2, Math.floor(b.w / 70)));
    var yt = opts.yticks || ticks(this.ylim[0], this.ylim[1], Math.max(2, Math.floor(b.h / 30)));
    ctx.strokeStyle = COLORS.grid;
    ctx.beginPath();
    yt.forEach(function (v) { var y = Math.round(self.Y(v)) + 0.5; ctx.moveTo(b.x, y); ctx.lineTo(b.x + b.w, y); });
    ctx.stroke();
    ctx.strokeStyle = COLORS.axis;
    ctx.strokeRect(Math.round(b.x) + 0.5, Math.round(b.y) + 0.5, Math.round(b.w), Math.round(b.h));
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    xt.forEach(function (v) {
      var x = self.X(v);
      ctx.beginPath(); ctx.moveTo(x, b.y + b.h); ctx.lineTo(x, b.y + b.h + 4); ctx.stroke();
      ctx.fillText(opts.xfmt ? opts.xfmt(v) : fmtTick(v), x, b.y + b.h + 5);
    });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    var labels = opts.ylabels || yt.map(function (v) { return [v, opts.yfmt ? opts.yfmt(v) : fmtTick(v)]; });
    labels.forEach(function (pair) {
      var y = self.Y(pair[0]);
      ctx.beginPath(); ctx.moveTo(b.x - 4, y); ctx.lineTo(b.x, y); ctx.stroke();
      ctx.fillText(pair[1], b.x - 6, y);
    });
    if (opts.xlabel) {
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText(opts.xlabel, b.x + b.w / 2, b.y + b.h + 20);
    }
    if (opts.title) {
      ctx.textAlign = "left"; ctx.textBaseline = "bottom";
      ctx.fillText(opts.title, b.x, b.y - 4);
    }
    ctx.restore();
  };
  Axes.prototype.clip = function () {
    var b = this.box;
    this.ctx.save();
    this.ctx.beginPath();
    this.ctx.rect(b.x, b.y, b.w, b.h);
    this.ctx.clip();
  };
  Axes.prototype.line = function (xs, ys, color, width, dash) {
    var ctx = this.ctx;
    this.clip();
    ctx.strokeStyle = color; ctx.lineWidth = width || 1.5;
    if (dash) { ctx.setLineDash(dash); }
    ctx.beginPath();
    for (var k = 0; k < xs.length; k++) {
      var x = this.X(xs[k]), y = this.Y(ys[k]);
      if (k === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
    }
    ctx.stroke();
    ctx.restore();
  };
  Axes.prototype.hline = function (v, color, dash) {
    this.line([this.xlim[0], this.xlim[1]], [v, v], color, 1, dash);
  };
  Axes.prototype.vline = function (v, color, dash, width) {
    this.line([v, v], [this.ylim[0], this.ylim[1]], color, width || 1, dash);
  };
  Axes.prototype.dots = function (xs, ys, color, radius) {
    var ctx = this.ctx;
    this.clip();
    ctx.fillStyle = color;
    ctx.beginPath();
    for (var k = 0; k < xs.length; k++) {
      var x = this.X(xs[k]), y = this.Y(ys[k]);
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.restore();
  };
  /* Short vertical ticks at the x positions, centred on y (a spike raster row). */
  Axes.prototype.events = function (xs, y, halfHeight, color) {
    var ctx = this.ctx, y0 = this.Y(y) - halfHeight, y1 = this.Y(y) + halfHeight;
    this.clip();
    ctx.strokeStyle = color; ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (var k = 0; k < xs.length; k++) {
      var x = Math.round(this.X(xs[k])) + 0.5;
      ctx.moveTo(x, y0); ctx.lineTo(x, y1);
    }
    ctx.stroke();
    ctx.restore();
  };

  /* Size the canvas backing store to its CSS box (crisp on high-density screens) and
   * clear it to white. Returns the context and the CSS size. */
  function prepareCanvas(canvas, height) {
    var width = Math.max(200, Math.round(canvas.clientWidth || canvas.parentNode.clientWidth || 600));
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    return {ctx: ctx, width: width, height: height};
  }

  function fixed(v, digits) { return (v < 0 ? "-" : "") + Math.abs(v).toFixed(digits); }
  function signed(v, digits) { return (v >= 0 ? "+" : "-") + Math.abs(v).toFixed(digits); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------------------------
  // The figures. Each has: params(values) -> what it computes from the slider values,
  // compute(p), draw(canvas, result), text(result), a height, and a short description
  // used only when the div has no data-description (helpers/live.py always gives one).

  var FIGURES = {};

  /* Chapter 5: the beat explorer. */
  FIGURES.explorer = {
    height: 330,
    description: "the beat experiment: spike rasters and the synaptic weight.",
    params: function (v) {
      return {pre_rate: v.pre_rate, post_rate: v.pre_rate + v.beat, duration: v.duration,
              phase: v.phase, dt: v.dt * MS, taupre: v.tau * MS, taupost: v.tau * MS,
              dApre: v.dApre, depression_ratio: v.ratio};
    },
    compute: function (p, v) {
      var r = run(p);
      r.beat_asked = v.beat;
      r.duration = p.duration;
      r.pre_rate = p.pre_rate; r.post_rate = p.post_rate;
      return r;
    },
    text: function (r) {
      return "Pre " + fmtValue(r.pre_rate) + " Hz runs at " + r.eff_pre_rate.toFixed(2) +
        " Hz (every " + r.pre_period_steps + " steps), post " + fmtValue(r.post_rate) +
        " Hz runs at " + r.eff_post_rate.toFixed(2) + " Hz (every " + r.post_period_steps +
        " steps): effective beat " + fixed(r.eff_post_rate - r.eff_pre_rate, 2) + " Hz (asked " +
        fmtValue(r.beat_asked) + " Hz). " + r.pre_count + " pre and " + r.post_count +
        " post spikes in " + fmtValue(r.duration) + " s. Weight goes from " + fmtValue(r.w0) +
        " to " + r.final_w.toFixed(6) + ".";
    },
    draw: function (canvas, r) {
      var c = prepareCanvas(canvas, this.height), ctx = c.ctx, W = c.width;
      var left = 52, right = 18, dtMs = r.dt / MS, durMs = r.duration * 1e3;
      var windowMs = Math.min(250, durMs);
      var raster = new Axes(ctx, {x: left, y: 22, w: W - left - right, h: 62}, [0, windowMs], [-0.7, 1.7]);
      var pre = [], post = [], k;
      for (k = 0; k < r.pre_steps.length && r.pre_steps[k] * dtMs < windowMs; k++) { pre.push(r.pre_steps[k] * dtMs); }
      for (k = 0; k < r.post_steps.length && r.post_steps[k] * dtMs < windowMs; k++) { post.push(r.post_steps[k] * dtMs); }
      raster.frame({xlabel: "time (ms), first " + fmtTick(windowMs) + " ms", ylabels: [[1, "pre"], [0, "post"]],
                    yticks: [], title: "spikes"});
      raster.events(pre, 1, 10, COLORS.pre);
      raster.events(post, 0, 10, COLORS.post);
      var weight = new Axes(ctx, {x: left, y: 150, w: W - left - right, h: 138}, [0, r.duration], [-0.02 * r.gmax, 1.02 * r.gmax]);
      weight.frame({xlabel: "time (s)", title: "weight w"});
      weight.hline(r.w0, COLORS.ref, [4, 3]);
      // The weight as a step curve: w0 from t = 0, then the weight after each event.
      var n = r.event_steps.length, xs = new Array(2 * n + 2), ys = new Array(2 * n + 2);
      xs[0] = 0; ys[0] = r.w0;
      var prev = r.w0;
      for (k = 0; k < n; k++) {
        var t = r.event_steps[k] * r.dt;
        xs[2 * k + 1] = t; ys[2 * k + 1] = prev;
        xs[2 * k + 2] = t; ys[2 * k + 2] = r.w[k];
        prev = r.w[k];
      }
      xs[2 * n + 1] = r.duration; ys[2 * n + 1] = prev;
      weight.line(xs, ys, COLORS.w, 1.5);
    }
  };

  /* Chapter 3: requested against effective rates and beats, as rate and dt change. */
  FIGURES.rates = {
    height: 365,
    description: "requested against effective pacemaker rates and beats.",
    params: function (v) { return {pre_rate: v.pre_rate, post_rate: v.pre_rate + v.beat, dt: v.dt * MS, beat: v.beat}; },
    compute: function (p) {
      var rates = [], shortfall = [], beats = [], effBeats = [], r;
      for (r = 50; r <= 550; r += 1) { rates.push(r); shortfall.push(r - effectiveRate(r, p.dt)); }
      var effPre = effectiveRate(p.pre_rate, p.dt);
      for (var b = -50; b <= 50; b += 0.5) {
        beats.push(b);
        effBeats.push(p.pre_rate + b > 0 ? effectiveRate(p.pre_rate + b, p.dt) - effPre : NaN);
      }
      return {p: p, rates: rates, shortfall: shortfall, beats: beats, eff_beats: effBeats,
              eff_pre_rate: effPre, eff_post_rate: effectiveRate(p.post_rate, p.dt),
              pre_period_steps: stepsPerPeriod(p.pre_rate, p.dt),
              post_period_steps: stepsPerPeriod(p.post_rate, p.dt)};
    },
    text: function (r) {
      var p = r.p;
      return "With dt = " + fmtValue(p.dt / MS) + " ms: pre " + fmtValue(p.pre_rate) + " Hz spikes every " +
        r.pre_period_steps + " steps, so it runs at " + r.eff_pre_rate.toFixed(3) + " Hz; post " +
        fmtValue(p.post_rate) + " Hz spikes every " + r.post_period_steps + " steps, so " +
        r.eff_post_rate.toFixed(3) + " Hz. The beat of " + fmtValue(p.beat) + " Hz becomes " +
        fixed(r.eff_post_rate - r.eff_pre_rate, 3) + " Hz.";
    },
    draw: function (canvas, r) {
      var c = prepareCanvas(canvas, this.height), ctx = c.ctx, W = c.width, p = r.p;
      var left = 52, right = 18;
      var top = Math.max.apply(null, r.shortfall);
      var a = new Axes(ctx, {x: left, y: 22, w: W - left - right, h: 118}, [50, 550], [0, top * 1.08 || 1]);
      a.frame({xlabel: "requested rate (Hz)", title: "requested - effective rate (Hz); pre blue, post orange"});
      a.dots(r.rates, r.shortfall, "#555555", 1.3);
      a.vline(p.pre_rate, COLORS.pre, null, 2);
      a.vline(p.post_rate, COLORS.post, [5, 3], 2);
      var valid = r.eff_beats.filter(function (v) { return !isNaN(v); });
      var lo = Math.min(-50, Math.min.apply(null, valid)), hi = Math.max(50, Math.max.apply(null, valid));
      var b = new Axes(ctx, {x: left, y: 200, w: W - left - right, h: 125}, [-50, 50], [lo - 3, hi + 3]);
      b.frame({xlabel: "requested beat (Hz)", title: "effective beat (Hz); grey: equal to requested"});
      b.line([-50, 50], [-50, 50], COLORS.ref, 1, [4, 3]);
      b.dots(r.beats, r.eff_beats, COLORS.w, 1.6);
      b.dots([p.beat], [r.eff_post_rate - r.eff_pre_rate], COLORS.post, 4.5);
    }
  };

  /* Chapter 4: one pre/post pair at a chosen lag: the window, the traces and the weight. */
  FIGURES.window = {
    height: 470,
    description: "one spike pair: the STDP window, the traces and the weight.",
    params: function (v) { return {lag_ms: v.lag, dt: 0.1 * MS}; },
    compute: function (p) {
      var rule = checkedRule({});
      var preStep = 1000, lagSteps = Math.round(p.lag_ms / 0.1);
      var postStep = preStep + lagSteps;
      var replay = replayPairRule([preStep], [postStep], p.dt, rule, true);
      var lags = [], dws = [];
      for (var l = -50; l <= 50.0001; l += 0.25) { lags.push(l); dws.push(stdpWindow(l * MS, rule)); }
      return {p: p, rule: rule, pre_step: preStep, post_step: postStep, lag_steps: lagSteps,
              replay: replay, lags: lags, dws: dws, dw: replay.final_w - rule.w0};
    },
    text: function (r) {
      var lagMs = r.lag_steps * 0.1, t;
      if (r.lag_steps > 0) {
        t = "Lag " + signed(lagMs, 1) + " ms: the post spike comes after the pre spike. It finds Apre = " +
          r.replay.apre[1].toFixed(6) + " and adds it to the weight";
      } else if (r.lag_steps < 0) {
        t = "Lag " + signed(lagMs, 1) + " ms: the pre spike comes after the post spike. It finds Apost = " +
          fixed(r.replay.apost[1], 6) + " and adds it to the weight";
      } else {
        t = "Lag 0 ms: both spikes in the same time step, the pre spike handled first, so the post " +
          "spike finds Apre = dApre = " + r.rule.dApre + " and adds it to the weight";
      }
      return t + ": w goes from " + r.rule.w0 + " to " + r.replay.final_w.toFixed(6) + " (change " +
        signed(r.dw, 6) + ").";
    },
    draw: function (canvas, r) {
      var c = prepareCanvas(canvas, this.height), ctx = c.ctx, W = c.width, rule = r.rule;
      var left = 60, right = 18, lagMs = r.lag_steps * 0.1;
      var a = new Axes(ctx, {x: left, y: 22, w: W - left - right, h: 95}, [-50, 50], [-0.024, 0.024]);
      a.frame({xlabel: "lag t_post - t_pre (ms)", title: "STDP window: weight change; dot: this lag"});
      a.hline(0, COLORS.ref);
      var negL = [], negW = [], posL = [], posW = [];
      r.lags.forEach(function (l, k) { if (l < 0) { negL.push(l); negW.push(r.dws[k]); } else { posL.push(l); posW.push(r.dws[k]); } });
      a.line(negL, negW, COLORS.post, 2);
      a.line(posL, posW, COLORS.pre, 2);
      a.vline(lagMs, COLORS.text, [3, 3]);
      a.dots([lagMs], [r.dw], COLORS.text, 4.5);
      // Traces over 0..200 ms: each decays exactly from its value after the last event.
      var ev = r.replay, tPre = r.pre_step * 0.1, tPost = r.post_step * 0.1;
      var tEv = [], k;
      for (k = 0; k < ev.steps.length; k++) { tEv.push(ev.steps[k] * 0.1); }
      /* A trace as a curve over 0..200 ms: from each event on it decays exactly from its
       * value after that event, and it jumps at the events. */
      function traceCurve(after, tau) {
        var times = [0].concat(tEv), values = [0].concat(Array.prototype.slice.call(after));
        var xs = [], ys = [];
        for (var s = 0; s < times.length; s++) {
          var t0 = times[s], t1 = s + 1 < times.length ? times[s + 1] : 200;
          for (var tm = t0; tm < t1; tm += 0.5) { xs.push(tm); ys.push(values[s] * Math.exp(-(tm - t0) * MS / tau)); }
          xs.push(t1); ys.push(values[s] * Math.exp(-(t1 - t0) * MS / tau));
        }
        return [xs, ys];
      }
      var apre = traceCurve(ev.apre, rule.taupre), apost = traceCurve(ev.apost, rule.taupost);
      var b = new Axes(ctx, {x: left, y: 180, w: W - left - right, h: 95}, [0, 200], [-0.024, 0.024]);
      b.frame({xlabel: "time (ms)", title: "traces: Apre (blue), Apost (orange)"});
      b.hline(0, COLORS.ref);
      b.line(apre[0], apre[1], COLORS.pre, 2);
      b.line(apost[0], apost[1], COLORS.post, 2);
      b.events([tPre], 0.02, 6, COLORS.pre);
      b.events([tPost], -0.02, 6, COLORS.post);
      var wts = [0], wys = [rule.w0], prev = rule.w0;
      for (k = 0; k < tEv.length; k++) { wts.push(tEv[k], tEv[k]); wys.push(prev, ev.w[k]); prev = ev.w[k]; }
      wts.push(200); wys.push(prev);
      var cw = new Axes(ctx, {x: left, y: 338, w: W - left - right, h: 95}, [0, 200], [rule.w0 - 0.024, rule.w0 + 0.024]);
      cw.frame({xlabel: "time (ms)", title: "weight w"});
      cw.hline(rule.w0, COLORS.ref, [4, 3]);
      cw.line(wts, wys, COLORS.w, 2);
    }
  };

  // ------------------------------------------------------------------------------------
  // Sliders and mounting.

  var STYLE = [
    ".beat-live{margin:1rem 0;max-width:100%}",
    ".beat-live .bl-controls{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.1rem 1.5rem}",
    ".beat-live .bl-control{min-width:0}",
    ".beat-live .bl-head{display:flex;justify-content:space-between;gap:.5rem;font-size:.9rem}",
    ".beat-live .bl-value{font-variant-numeric:tabular-nums;white-space:nowrap}",
    ".beat-live input[type=range]{width:100%;margin:.15rem 0 .5rem;box-sizing:border-box}",
    ".beat-live .bl-summary{font-size:.9rem;margin:.4rem 0 .6rem;min-height:3em}",
    ".beat-live canvas{display:block;width:100%;max-width:100%;border:1px solid #cccccc;background:#ffffff}"
  ].join("\n");

  function addStyle() {
    if (document.getElementById("beat-live-style")) { return; }
    var style = document.createElement("style");
    style.id = "beat-live-style";
    style.textContent = STYLE;
    (document.head || document.documentElement).appendChild(style);
  }

  var counter = 0;

  function sliderValue(spec, input) {
    var v = parseFloat(input.value);
    return spec.choices ? spec.choices[v] : v;
  }

  function valueText(spec, value) {
    return fmtValue(value) + (spec.unit ? " " + spec.unit : "");
  }

  function fmtValue(v) { return String(Number(v.toPrecision(6))); }

  /* Build the sliders, text line and canvas inside one <div class="beat-live"> and draw. */
  function mount(container) {
    if (!container || container.getAttribute("data-mounted") === "true") { return null; }
    var figure = FIGURES[container.getAttribute("data-live")];
    var specs;
    try { specs = JSON.parse(container.getAttribute("data-sliders") || "[]"); } catch (err) { specs = null; }
    if (!figure || !specs) { return null; }
    container.setAttribute("data-mounted", "true");
    addStyle();
    var id = "beat-live-" + container.getAttribute("data-live") + "-" + (++counter);
    container.textContent = "";
    var controls = document.createElement("div");
    controls.className = "bl-controls";
    // In JupyterLab the notebook would take the arrow keys from the sliders: its shortcut
    // handler (Lumino) skips elements inside this attribute, and stopping a key's
    // propagation here keeps the notebook's own handler from cancelling the slider's move.
    controls.setAttribute("data-lm-suppress-shortcuts", "true");
    controls.addEventListener("keydown", function (event) {
      if (event.target && event.target.type === "range") { event.stopPropagation(); }
    });
    var inputs = {};
    specs.forEach(function (spec) {
      var box = document.createElement("div");
      box.className = "bl-control";
      var head = document.createElement("div");
      head.className = "bl-head";
      var label = document.createElement("label");
      label.htmlFor = id + "-" + spec.name;
      label.textContent = spec.label;
      var shown = document.createElement("span");
      shown.className = "bl-value";
      shown.setAttribute("aria-hidden", "true");  // the slider itself announces its value
      head.appendChild(label); head.appendChild(shown);
      var input = document.createElement("input");
      input.type = "range";
      input.id = id + "-" + spec.name;
      input.name = spec.name;
      if (spec.choices) {
        input.min = "0"; input.max = String(spec.choices.length - 1); input.step = "1";
        input.value = String(Math.max(0, spec.choices.indexOf(spec.value)));
      } else {
        input.min = String(spec.min); input.max = String(spec.max); input.step = String(spec.step);
        input.value = String(spec.value);
      }
      box.appendChild(head); box.appendChild(input);
      controls.appendChild(box);
      inputs[spec.name] = {spec: spec, input: input, shown: shown};
    });
    var summary = document.createElement("p");
    summary.className = "bl-summary";
    summary.id = id + "-summary";
    summary.setAttribute("aria-live", "polite");
    summary.setAttribute("aria-atomic", "true");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    var description = "Live figure: " + (container.getAttribute("data-description") || figure.description);
    canvas.setAttribute("aria-label", description);
    canvas.setAttribute("aria-describedby", summary.id);
    canvas.style.height = figure.height + "px";
    canvas.textContent = description;  // fallback content for browsers without canvas
    container.appendChild(controls);
    container.appendChild(summary);
    container.appendChild(canvas);

    var state = {container: container, figure: figure, inputs: inputs, summary: summary,
                 canvas: canvas, redraws: 0, params: null, result: null};
    function values() {
      var v = {};
      Object.keys(inputs).forEach(function (name) {
        var item = inputs[name], value = sliderValue(item.spec, item.input);
        v[name] = value;
        item.shown.textContent = valueText(item.spec, value);
        item.input.setAttribute("aria-valuetext", valueText(item.spec, value));
      });
      return v;
    }
    function redraw() {
      var v = values();
      try {
        var params = figure.params(v);
        var result = figure.compute(params, v);
        figure.draw(canvas, result);
        summary.textContent = figure.text(result);
        state.params = params; state.result = result; state.redraws += 1;
        api.last = {kind: container.getAttribute("data-live"), params: params, result: result};
      } catch (err) {
        summary.textContent = "Cannot compute this setting: " + err.message;
      }
    }
    state.redraw = redraw;
    Object.keys(inputs).forEach(function (name) {
      inputs[name].input.addEventListener("input", redraw);
    });
    var lastWidth = 0, pending = false;
    function onResize() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        if (canvas.clientWidth && canvas.clientWidth !== lastWidth && state.result) {
          lastWidth = canvas.clientWidth;
          figure.draw(canvas, state.result);
        }
      });
    }
    if (window.ResizeObserver) { new window.ResizeObserver(onResize).observe(container); }
    else { window.addEventListener("resize", onResize); }
    container.beatLive = state;
    redraw();
    lastWidth = canvas.clientWidth;
    return state;
  }

  function mountAll(root) {
    var found = (root || document).querySelectorAll(".beat-live");
    var mounted = [];
    Array.prototype.forEach.call(found, function (el) {
      var state = mount(el);
      if (state) { mounted.push(state); }
    });
    return mounted;
  }

  var api = {
    version: "1",
    MS: MS,
    THREAD: THREAD,
    run: run,
    nSteps: nSteps,
    firstCrossing: firstCrossing,
    pacemakerSpikeSteps: pacemakerSpikeSteps,
    stepsPerPeriod: stepsPerPeriod,
    effectiveRate: effectiveRate,
    dApost: function (params) { return checkedRule(params).dApost; },
    replayPairRule: function (preSteps, postSteps, dt, params, record) {
      return replayPairRule(preSteps, postSteps, dt, checkedRule(params), !!record);
    },
    stdpWindow: stdpWindow,
    figures: FIGURES,
    mount: mount,
    mountAll: mountAll,
    last: null
  };
  window.beatExperiment = api;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mountAll(); });
  } else {
    mountAll();
  }
})();
