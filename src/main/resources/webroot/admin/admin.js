// Switchboard admin page: live figures from /admin/feed (Server-Sent Events, one snapshot a second),
// drawn as numbers and small line charts. Plain JS; all text goes in with textContent.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get('token');
  const feedUrl = 'feed' + (token ? '?token=' + encodeURIComponent(token) : '');
  const history = { connections: [], in: [], out: [], latency: [] };
  const MAX_POINTS = 60;
  const number = new Intl.NumberFormat('en');

  function setStatus(state, text) {
    $('status').dataset.state = state;
    $('status-text').textContent = text;
  }

  function push(series, value) {
    series.push(value);
    if (series.length > MAX_POINTS) series.shift();
  }

  // A line over the last minute: the newest point at the right edge, older ones scrolling left.
  function draw(canvasId, series) {
    const canvas = $(canvasId);
    const ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.clientWidth * ratio;   // draw at the size it is shown, not stretched
    canvas.height = canvas.clientHeight * ratio;
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    if (series.length < 2) return;
    const max = Math.max(1, ...series);
    const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#4f5bd5';
    const step = w / (MAX_POINTS - 1);
    const x0 = w - (series.length - 1) * step;
    ctx.beginPath();
    series.forEach((v, i) => {
      const x = x0 + i * step;
      const y = h - 4 * ratio - (v / max) * (h - 8 * ratio);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = accent;
    ctx.lineWidth = 2 * ratio;
    ctx.stroke();
    ctx.lineTo(w, h);
    ctx.lineTo(x0, h);
    ctx.closePath();
    ctx.globalAlpha = 0.12;
    ctx.fillStyle = accent;
    ctx.fill();
    ctx.globalAlpha = 1;
  }

  function uptime(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24, m = Math.floor(seconds / 60) % 60;
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (seconds % 60) + 's';
  }

  function show(s) {
    for (const key of ['connections', 'inPerSecond', 'outPerSecond', 'channels', 'subscriptions', 'receivedTotal', 'deliveredTotal', 'instances']) {
      $(key).textContent = number.format(s[key]);
    }
    $('latencyP50Ms').textContent = s.latencyP50Ms.toFixed(2);
    $('latencyP99Ms').textContent = s.latencyP99Ms.toFixed(2);
    $('redis').textContent = s.redis;
    $('uptime').textContent = uptime(s.uptimeSeconds);
    $('broker').textContent = s.broker;
    push(history.connections, s.connections);
    push(history.in, s.inPerSecond);
    push(history.out, s.outPerSecond);
    push(history.latency, s.latencyP99Ms);
    draw('chart-connections', history.connections);
    draw('chart-in', history.in);
    draw('chart-out', history.out);
    draw('chart-latency', history.latency);
  }

  const feed = new EventSource(feedUrl);
  feed.onopen = () => setStatus('live', 'Live');
  feed.onmessage = (event) => show(JSON.parse(event.data));
  feed.onerror = () => setStatus('lost', 'Feed lost, retrying…'); // EventSource reconnects by itself
})();
