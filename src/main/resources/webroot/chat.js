// Switchboard chat page: one WebSocket to /<nickname>, speaking the seed's plain-text protocol.
// Every piece of text is inserted with textContent, never as HTML.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const statusBox = $('status'), statusText = $('status-text');
  const joinView = $('join'), roomView = $('room'), list = $('messages');
  const nicknameInput = $('nickname'), textInput = $('text');

  let socket = null;
  let nickname = '';
  let leaving = false;        // true when the user chose to leave: no reconnect then
  let attempt = 0;            // reconnect attempts since the last successful open
  let reconnectTimer = null;

  function setStatus(state, text) {
    statusBox.dataset.state = state;
    statusText.textContent = text;
  }

  function show(text, kind) {
    const item = document.createElement('li');
    const prefix = nickname + ': ';
    if (kind === 'system') {
      item.className = 'system';
      item.textContent = text;
    } else {
      const colon = text.indexOf(': ');
      if (colon > 0) {
        const who = document.createElement('span');
        who.className = 'who';
        who.textContent = text.slice(0, colon);
        item.append(who, document.createTextNode(text.slice(colon + 2)));
      } else {
        item.textContent = text;
      }
      if (text.startsWith(prefix)) item.classList.add('mine');
    }
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return scheme + '://' + location.host + '/' + encodeURIComponent(nickname);
  }

  function connect() {
    clearTimeout(reconnectTimer);
    setStatus('connecting', attempt ? 'Reconnecting…' : 'Connecting…');
    socket = new WebSocket(url());
    socket.onopen = () => {
      attempt = 0;
      setStatus('online', 'Connected as ' + nickname);
      show('You joined as ' + nickname, 'system');
      textInput.disabled = false;
      textInput.focus();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') show(event.data);
    };
    socket.onclose = (event) => {
      socket = null;
      textInput.disabled = true;
      const why = event.code + (event.reason ? ' ' + event.reason : '');
      if (leaving) {
        setStatus('offline', 'Not connected');
        return;
      }
      // exponential backoff with jitter, 0.5 s doubling up to 15 s
      const delay = Math.min(15000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt++;
      show('Disconnected (' + why + '). Reconnecting in ' + Math.round(delay / 1000) + ' s…', 'system');
      setStatus('offline', 'Disconnected (' + event.code + ')');
      reconnectTimer = setTimeout(connect, delay);
    };
  }

  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    nickname = nicknameInput.value.trim();
    if (!nickname) return;
    leaving = false;
    joinView.hidden = true;
    roomView.hidden = false;
    connect();
  });

  $('send-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = textInput.value;
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(text);
    textInput.value = '';
  });

  $('leave').addEventListener('click', () => {
    leaving = true;
    clearTimeout(reconnectTimer);
    if (socket) socket.close(1000, 'left');
    roomView.hidden = true;
    joinView.hidden = false;
    list.replaceChildren();
    nicknameInput.focus();
  });
})();
