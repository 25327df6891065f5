// The client protocol's demo: Centrifugo's SDK (served from its WebJar as centrifuge.js) on one channel.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const channel = params.get('channel') || 'chat';
  const log = document.getElementById('log');
  const statusBox = document.getElementById('status');
  const statusText = document.getElementById('status-text');
  document.getElementById('channel').textContent = channel;

  function show(text, kind) {
    const item = document.createElement('li');
    item.textContent = text;
    item.className = kind === 'error' ? 'system' : (kind || '');
    log.appendChild(item);
    item.scrollIntoView({ block: 'end' });
  }

  function status(state, text) {
    statusBox.dataset.state = state;
    statusText.textContent = text;
  }

  if (typeof Centrifuge === 'undefined') {
    status('offline', 'SDK missing');
    show('Centrifugo\'s SDK is not installed on this server: put the WebJar org.webjars.npm:centrifuge on its '
      + 'classpath or in appsPath (see the README).', 'error');
    return;
  }

  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const client = new Centrifuge(scheme + location.host + '/connection/websocket',
    params.get('token') ? { token: params.get('token') } : {});
  client.on('connecting', (ctx) => status('connecting', 'Connecting (' + ctx.reason + ')'));
  client.on('connected', () => status('online', 'Connected'));
  client.on('disconnected', (ctx) => status('offline', 'Disconnected: ' + ctx.reason + ' (' + ctx.code + ')'));

  const sub = client.newSubscription(channel);
  sub.on('subscribed', () => show('subscribed to ' + channel, 'system'));
  sub.on('unsubscribed', (ctx) => show('unsubscribed: ' + ctx.reason + ' (' + ctx.code + ')', 'system'));
  sub.on('error', (ctx) => show('subscription error: ' + ctx.error.message, 'error'));
  sub.on('join', (ctx) => show((ctx.info.user || 'anonymous') + ' joined', 'system'));
  sub.on('leave', (ctx) => show((ctx.info.user || 'anonymous') + ' left', 'system'));
  sub.on('publication', (ctx) => {
    const text = typeof ctx.data === 'string' ? ctx.data : JSON.stringify(ctx.data);
    show(ctx.info && ctx.info.user ? ctx.info.user + ': ' + text : text);
  });
  sub.subscribe();
  client.connect();

  document.getElementById('publish-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('text');
    if (!input.value) {
      return;
    }
    sub.publish(input.value).catch((e) => show('not published: ' + e.message + ' (' + e.code + ')', 'error'));
    input.value = '';
  });
}());
