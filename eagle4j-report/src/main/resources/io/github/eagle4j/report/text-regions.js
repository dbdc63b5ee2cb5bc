(function () {
  'use strict';
  var el = document.getElementById('eagle-text');
  if (!el) return;
  var d = JSON.parse(el.textContent);
  var slider = document.getElementById('text-step');
  var label = document.getElementById('text-step-label');
  var readout = document.getElementById('text-readout');
  var M = d.order.length;
  var rank = {};
  d.order.forEach(function (id, i) { rank[id] = i; });
  function update() {
    var k = +slider.value;
    label.value = k + ' / ' + M;
    label.textContent = k + ' / ' + M;
    Array.prototype.forEach.call(document.querySelectorAll('#text-prompt .tspan'), function (s) {
      var on = rank[+s.getAttribute('data-id')] < k;
      s.classList.toggle('on', on);
      s.classList.toggle('off', !on);
    });
    if (k === 0) {
      readout.textContent = 'No span kept: mean probability ' + d.empty.toFixed(3) + ' (every span removed); '
        + d.full.toFixed(3) + ' with the whole prompt.';
      return;
    }
    var names = d.order.slice(0, k).map(function (id) { return '\u201c' + d.texts[id] + '\u201d'; }).join(', ');
    readout.textContent = 'First ' + k + ': ' + names + ' \u2014 only these kept: ' + d.insertion[k - 1].toFixed(3)
      + ', these removed: ' + d.deletion[k - 1].toFixed(3) + '.';
  }
  slider.addEventListener('input', update);
  update();
})();
