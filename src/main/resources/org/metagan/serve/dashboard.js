// metagan serve: the live parts of the dashboard's pages (no build step, no libraries).
var metagan = (function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  var NOT_PLOTTED = {step: 1, ms_per_step: 1, rss_mb: 1, heap_mb: 1};

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // The series to draw: the *loss* keys when there are any, else every numeric key but step and resource use.
  function seriesOf(points) {
    var keys = {};
    points.forEach(function (p) {
      for (var k in p) if (typeof p[k] === 'number' && !NOT_PLOTTED[k]) keys[k] = 1;
    });
    var all = Object.keys(keys);
    var losses = all.filter(function (k) { return k.indexOf('loss') >= 0; });
    return (losses.length ? losses : all).slice(0, COLOURS.length);
  }

  // Loss curves of metrics.jsonl's lines as an SVG: x = step, y = value, one polyline per series.
  function draw(box, points) {
    box.setAttribute('data-points', points.length);
    box.innerHTML = '';
    if (!points.length) return;
    var W = 720, H = 320, L = 60, R = 130, T = 10, B = 30;
    var svg = el('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H}, box);
    var keys = seriesOf(points);
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    points.forEach(function (p) {
      x0 = Math.min(x0, p.step); x1 = Math.max(x1, p.step);
      keys.forEach(function (k) { var v = p[k]; if (typeof v === 'number' && isFinite(v)) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); } });
    });
    if (x1 === x0) x1 = x0 + 1;
    if (!(y1 > y0)) { y0 = (isFinite(y0) ? y0 : 0) - 1; y1 = y0 + 2; }
    function X(v) { return L + (v - x0) / (x1 - x0) * (W - L - R); }
    function Y(v) { return H - B - (v - y0) / (y1 - y0) * (H - T - B); }
    el('rect', {x: L, y: T, width: W - L - R, height: H - T - B, fill: 'none', stroke: '#999'}, svg);
    [[x0, X(x0), H - B + 15, 'middle'], [x1, X(x1), H - B + 15, 'middle']].forEach(function (t) {
      el('text', {x: t[1], y: t[2], 'text-anchor': t[3], 'font-size': 11}, svg).textContent = 'step ' + t[0];
    });
    [[y0, Y(y0)], [y1, Y(y1) + 10]].forEach(function (t) {
      el('text', {x: L - 4, y: t[1], 'text-anchor': 'end', 'font-size': 11}, svg).textContent = Number(t[0]).toPrecision(3);
    });
    keys.forEach(function (k, i) {
      var xy = points.filter(function (p) { return typeof p[k] === 'number' && isFinite(p[k]); })
                     .map(function (p) { return X(p.step).toFixed(1) + ',' + Y(p[k]).toFixed(1); });
      el('polyline', {points: xy.join(' '), fill: 'none', stroke: COLOURS[i], 'stroke-width': 1.5, 'class': 'series', 'data-key': k}, svg);
      el('text', {x: W - R + 8, y: T + 14 + 16 * i, fill: COLOURS[i], 'font-size': 12}, svg).textContent = k;
    });
  }

  // A run's page: the metrics and the newest grid come as server-sent events; the page is never reloaded.
  function followRun() {
    var live = document.getElementById('live');
    var box = document.getElementById('curve'), status = document.getElementById('curve-status');
    var img = document.getElementById('grid'), gridName = document.getElementById('grid-name');
    var points = [];
    var events = new EventSource('/events?name=' + encodeURIComponent(live.dataset.run));
    function show() {
      draw(box, points);
      status.textContent = points.length ? points.length + ' points, last step ' + points[points.length - 1].step : 'waiting for metrics.jsonl';
    }
    events.addEventListener('metrics', function (e) {
      JSON.parse(e.data).forEach(function (p) { if (typeof p.step === 'number') points.push(p); });
      show();
    });
    events.addEventListener('reset', function () { points = []; show(); });
    events.addEventListener('grid', function (e) {
      img.src = '/files/' + e.data;
      gridName.textContent = e.data.replace(/\?.*$/, '');
    });
  }

  // A few-shot job's page: its state polled until it is done or failed, then its grids and the zip's link shown.
  function followJob() {
    var job = document.getElementById('job');
    var state = document.getElementById('state'), seconds = document.getElementById('seconds');
    var started = Date.now();
    function poll() {
      fetch('/fewshot/jobs/' + job.dataset.job + '/status').then(function (r) { return r.json(); }).then(function (s) {
        state.textContent = s.state;
        if (s.state === 'done' || s.state === 'failed') {
          seconds.textContent = '(' + s.seconds.toFixed(1) + ' s)';
          if (s.state === 'failed') {
            document.getElementById('message').textContent = s.message;
            return;
          }
          var folder = '/files/' + job.dataset.folder;
          var grid = document.getElementById('job-grid'), shots = document.getElementById('shots-grid');
          grid.src = folder + '/grid.png'; grid.hidden = false;
          shots.src = folder + '/shots.png'; shots.hidden = false;
          document.getElementById('download').hidden = false;
          return;
        }
        seconds.textContent = '(' + ((Date.now() - started) / 1000).toFixed(0) + ' s on this page)';
        setTimeout(poll, 500);
      }).catch(function () { setTimeout(poll, 2000); });
    }
    poll();
  }

  return {followRun: followRun, followJob: followJob, draw: draw};
})();
