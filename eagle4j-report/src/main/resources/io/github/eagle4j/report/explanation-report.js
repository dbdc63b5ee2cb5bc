// eagle4j explanation report: draws the region order on a canvas from the embedded image and region labels.
// All data comes from the JSON block #eagle-data; nothing from it is ever inserted as markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('eagle-data').textContent);
  var W = data.width, H = data.height, N = data.n;
  var canvas = document.getElementById('overlay');
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  var slider = document.getElementById('step');
  var stepLabel = document.getElementById('step-label');
  var readout = document.getElementById('step-readout');
  var hover = document.getElementById('hover-readout');
  var playButton = document.getElementById('play');
  var outlines = document.getElementById('outlines');

  function bytesOf(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // region label per display pixel (0xFFFF = no region)
  var labels = new Uint16Array(W * H);
  (function decode() {
    var bytes = bytesOf(data.labels.data);
    var view = new DataView(bytes.buffer);
    if (data.labels.encoding === 'rle16') {
      var p = 0;
      for (var i = 0; i + 3 < bytes.length; i += 4) {
        var id = view.getUint16(i, true), len = view.getUint16(i + 2, true);
        labels.fill(id, p, Math.min(p + len, labels.length));
        p += len;
      }
    } else {
      for (var j = 0; j < labels.length; j++) labels[j] = view.getUint16(2 * j, true);
    }
  })();

  // rank (1 = most important) of each region; 0 for "no region"
  var rankOf = new Uint32Array(N);
  data.order.forEach(function (r, i) { rankOf[r] = i + 1; });
  var pixelRank = new Uint32Array(W * H);
  for (var i = 0; i < labels.length; i++) pixelRank[i] = labels[i] < N ? rankOf[labels[i]] : 0;

  // boundary pixels between regions, for the outline option
  var edge = new Uint8Array(W * H);
  for (var y = 0; y < H; y++) {
    for (var x = 0; x < W; x++) {
      var k = y * W + x, l = labels[k];
      if ((x + 1 < W && labels[k + 1] !== l) || (y + 1 < H && labels[k + W] !== l)) edge[k] = 1;
    }
  }
  var thickness = Math.max(1, Math.round(Math.max(W, H) / 360));

  function jet(v) {
    function c(t) { return Math.round(255 * Math.max(0, Math.min(1, t))); }
    return [c(1.5 - Math.abs(4 * v - 3)), c(1.5 - Math.abs(4 * v - 2)), c(1.5 - Math.abs(4 * v - 1))];
  }
  var heat = data.scores.map(function (s) { return jet(Math.max(0, Math.min(1, s))); });

  var base = null, frame = ctx.createImageData(W, H);

  function mode() {
    var checked = document.querySelector('input[name=mode]:checked');
    return checked ? checked.value : 'kept';
  }

  function isNewest(idx, k) {
    // a pixel of the region placed at step k that lies within `thickness` of another region
    if (k < 1 || pixelRank[idx] !== k) return false;
    var x = idx % W, y = (idx - x) / W, l = labels[idx];
    for (var d = 1; d <= thickness; d++) {
      if (x - d < 0 || labels[idx - d] !== l) return true;
      if (x + d >= W || labels[idx + d] !== l) return true;
      if (y - d < 0 || labels[idx - d * W] !== l) return true;
      if (y + d >= H || labels[idx + d * W] !== l) return true;
    }
    return false;
  }

  function draw(k) {
    if (!base) return;
    var src = base.data, dst = frame.data, m = mode(), lines = outlines.checked;
    for (var i = 0, p = 0; i < W * H; i++, p += 4) {
      var rk = pixelRank[i], r = src[p], g = src[p + 1], b = src[p + 2];
      var shown = rk === 0 || (m === 'removed' ? rk > k : rk <= k);
      if (m === 'heat') {
        if (rk > 0 && rk <= k) {
          // heat over the pixel's grey, as overlay.png: over its colours red on green reads brown
          var h = heat[labels[i]], y = 0.299 * r + 0.587 * g + 0.114 * b;
          r = y * 0.45 + h[0] * 0.55; g = y * 0.45 + h[1] * 0.55; b = y * 0.45 + h[2] * 0.55;
        }
      } else if (!shown) {
        r = r * 0.22 + 8; g = g * 0.22 + 10; b = b * 0.22 + 14;
      }
      if (lines && edge[i]) { r = r * 0.5 + 127; g = g * 0.5 + 127; b = b * 0.5 + 127; }
      if (isNewest(i, k)) { r = 255; g = 214; b = 10; }
      dst[p] = r; dst[p + 1] = g; dst[p + 2] = b; dst[p + 3] = 255;
    }
    ctx.putImageData(frame, 0, 0);
  }

  function fmt(v, d) { return (typeof v === 'number' && isFinite(v)) ? v.toFixed(d) : '–'; }
  function pct(v) { return (100 * v).toFixed(1) + ' %'; }

  function moveMarker(id, x, y, k) {
    var svg = document.getElementById(id);
    if (!svg) return;
    var ds = svg.dataset;
    var px = +ds.x0 + (x - ds.xmin) / (ds.xmax - ds.xmin) * (ds.x1 - ds.x0);
    var py = +ds.y0 + (y - ds.ymin) / (ds.ymax - ds.ymin) * (ds.y1 - ds.y0);
    var g = document.getElementById(id + '-marker');
    g.setAttribute('transform', 'translate(' + px.toFixed(2) + ' 0)');
    g.querySelector('circle').setAttribute('cy', py.toFixed(2));
    g.querySelector('text').textContent = 'k=' + k;
    g.setAttribute('visibility', 'visible');
  }

  function update() {
    var k = +slider.value;
    stepLabel.value = k + ' / ' + N;
    stepLabel.textContent = k + ' / ' + N;
    draw(k);
    moveMarker('chart-insertion', data.area[k], data.ins[k], k);
    moveMarker('chart-deletion', data.area[k], data.del[k], k);
    var text;
    if (k === 0) {
      text = 'Step 0 of ' + N + ': no region placed yet. Every region removed: p = ' + fmt(data.ins[0], 3)
        + ' (the language prior); image intact: p = ' + fmt(data.del[0], 3) + '.';
    } else {
      text = 'Step ' + k + ' of ' + N + ': region ' + data.order[k - 1] + ' added (outlined). The first ' + k
        + (k === 1 ? ' region covers ' : ' regions cover ') + pct(data.area[k]) + ' of the image. Only they kept: p = '
        + fmt(data.ins[k], 3) + '; they removed: p = ' + fmt(data.del[k], 3) + '.';
    }
    readout.textContent = text;
  }

  canvas.addEventListener('mousemove', function (ev) {
    var rect = canvas.getBoundingClientRect();
    var x = Math.floor((ev.clientX - rect.left) / rect.width * W);
    var y = Math.floor((ev.clientY - rect.top) / rect.height * H);
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    var l = labels[y * W + x];
    if (l >= N) { hover.textContent = 'Pixel in no region (never masked).'; return; }
    hover.textContent = 'Region ' + l + ': rank ' + rankOf[l] + ' of ' + N + ', attribution ' + fmt(data.scores[l], 3)
      + ', ' + pct(data.regionArea[l]) + ' of the image.';
  });
  canvas.addEventListener('mouseleave', function () { hover.textContent = ''; });

  var timer = null;
  function stop() { if (timer) { clearInterval(timer); timer = null; playButton.textContent = 'Play'; } }
  playButton.addEventListener('click', function () {
    if (timer) { stop(); return; }
    if (+slider.value >= N) slider.value = 0;
    playButton.textContent = 'Pause';
    timer = setInterval(function () {
      if (+slider.value >= N) { stop(); return; }
      slider.value = +slider.value + 1;
      update();
    }, Math.max(60, Math.min(400, 6000 / N)));
  });

  slider.addEventListener('input', function () { stop(); update(); });
  Array.prototype.forEach.call(document.querySelectorAll('input[name=mode]'), function (el) {
    el.addEventListener('change', update);
  });
  outlines.addEventListener('change', update);

  function start() {
    var off = document.createElement('canvas');
    off.width = W; off.height = H;
    var octx = off.getContext('2d', { willReadFrequently: true });
    octx.drawImage(document.getElementById('eagle-image'), 0, 0, W, H);
    base = octx.getImageData(0, 0, W, H);
    update();
    document.documentElement.setAttribute('data-ready', '1');
  }
  var img = document.getElementById('eagle-image');
  if (img.complete && img.naturalWidth > 0) start(); else img.addEventListener('load', start);
})();
