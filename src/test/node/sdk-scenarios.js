// Centrifugo's JavaScript SDK (centrifuge from npm), unchanged, against a running Switchboard.
// Usage: node sdk-scenarios.js <ws-url> <hmac-secret> <scenario>
// Prints one JSON line per step; the last line is {"ok": "<scenario>"} and the exit code 0, or the
// failure and exit code 1. CentrifugeSdkIT drives it (and, for "restart", restarts the server midway).
'use strict';
const { Centrifuge } = require('centrifuge');
const WebSocket = require('ws');
const crypto = require('node:crypto');
const assert = require('node:assert');
const readline = require('node:readline');

const [, , url, secret, scenario] = process.argv;

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

/** An HS256 JWT, as a backend would issue it. */
function jwt(claims) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', secret).update(head + '.' + body).digest('base64url');
  return head + '.' + body + '.' + sig;
}

const now = () => Math.floor(Date.now() / 1000);
// written synchronously: output to a pipe is asynchronous in Node, and process.exit would drop it
const log = (step) => require('node:fs').writeSync(1, JSON.stringify(step) + '\n');

function client(options) {
  return new Centrifuge(url, Object.assign({ websocket: WebSocket, minReconnectDelay: 100, maxReconnectDelay: 1000,
    timeout: 5000 }, options));
}

/** The next event of that name, or a rejection after 10 s. */
function next(emitter, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ' + event + ' event within 10 s')), 10000);
    emitter.once(event, (ctx) => { clearTimeout(timer); resolve(ctx); });
  });
}

/** The error a rejected call gives, failing when the call succeeds. */
async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected an error reply');
}

/** A line from the test driving this script (stdin). */
const lines = readline.createInterface({ input: process.stdin });
const told = [];
let waiting = null;
lines.on('line', (line) => { if (waiting) { const w = waiting; waiting = null; w(line); } else { told.push(line); } });
function instruction() {
  return told.length ? Promise.resolve(told.shift()) : new Promise((resolve) => { waiting = resolve; });
}

const scenarios = {
  // connect with a token, subscribe, publish and receive it, and the documented errors for the rest
  async basics() {
    const c = client({ token: jwt({ sub: 'alice', info: { name: 'Alice' } }) });
    c.connect();
    const connected = await next(c, 'connected');
    assert.ok(connected.client.length > 0, 'a client id');
    log({ step: 'connected', client: connected.client });
    const sub = c.newSubscription('chat');
    const published = next(sub, 'publication');
    sub.subscribe();
    await next(sub, 'subscribed');
    log({ step: 'subscribed' });
    await sub.publish({ text: 'hello from the SDK' });
    const publication = await published;
    assert.deepStrictEqual(publication.data, { text: 'hello from the SDK' });
    assert.strictEqual(publication.info.user, 'alice', 'who published it');
    assert.deepStrictEqual(publication.info.connInfo, { name: 'Alice' }, 'with the info claim');
    log({ step: 'publication' });
    assert.strictEqual((await failure(sub.presence())).code, 108, 'presence: not available');
    assert.strictEqual((await failure(sub.presenceStats())).code, 108, 'presence stats: not available');
    assert.strictEqual((await failure(sub.history({ limit: 10 }))).code, 108, 'history: not available');
    assert.strictEqual((await failure(c.rpc('nothing', {}))).code, 104, 'rpc: method not found');
    // a permanent subscribe error leaves the subscription unsubscribed with the error's code
    const denied = c.newSubscription('private:room');
    const unsubscribed = next(denied, 'unsubscribed');
    denied.subscribe();
    assert.strictEqual((await unsubscribed).code, 103, 'a private channel needs a token');
    log({ step: 'errors' });
    c.disconnect();
  },

  // a token that expires in 2 s: the SDK asks getToken for a new one and stays connected past it
  async refresh() {
    let refreshed = 0;
    const c = client({
      token: jwt({ sub: 'bob', exp: now() + 2 }),
      getToken: async () => { refreshed++; return jwt({ sub: 'bob', exp: now() + 600 }); },
    });
    let disconnects = 0;
    c.on('disconnected', () => disconnects++);
    c.connect();
    await next(c, 'connected');
    await new Promise((resolve) => setTimeout(resolve, 6000));
    assert.ok(refreshed >= 1, 'getToken was called');
    assert.strictEqual(disconnects, 0, 'never disconnected');
    assert.strictEqual(c.state, 'connected');
    log({ step: 'refreshed', times: refreshed });
    c.disconnect();
  },

  // the token's channels claim subscribes the client on the server's side
  async serverSide() {
    const c = client({ token: jwt({ sub: 'carol', channels: ['alerts'] }) });
    const subscribed = next(c, 'subscribed');
    c.connect();
    assert.strictEqual((await subscribed).channel, 'alerts');
    const publication = next(c, 'publication');
    const publisher = client({ token: jwt({ sub: 'dave' }) });
    publisher.connect();
    const sub = publisher.newSubscription('alerts');
    sub.subscribe();
    await next(sub, 'subscribed');
    await sub.publish({ level: 'red' });
    const got = await publication;
    assert.strictEqual(got.channel, 'alerts');
    assert.deepStrictEqual(got.data, { level: 'red' });
    log({ step: 'server-side publication' });
    c.disconnect();
    publisher.disconnect();
  },

  // the server restarts: the SDK reconnects and resubscribes by itself
  async restart() {
    const c = client({ token: jwt({ sub: 'erin' }) });
    c.connect();
    const sub = c.newSubscription('chat');
    let subscribedEvents = 0;
    sub.on('subscribed', () => { subscribedEvents++; log({ step: 'subscribed', times: subscribedEvents }); });
    const first = next(sub, 'subscribed');
    sub.subscribe();
    await first;
    const again = next(sub, 'subscribed');
    assert.strictEqual(await instruction(), 'restarted');
    await again;
    const publication = next(sub, 'publication');
    log({ step: 'resubscribed' });
    assert.strictEqual(await instruction(), 'published');
    assert.strictEqual((await publication).data, 'after the restart');
    log({ step: 'publication after restart' });
    c.disconnect();
  },
};

// a namespace with join_leave and force_push_join_leave: a subscriber hears who comes and goes
scenarios.joinLeave = async function () {
  const bob = client({ token: jwt({ sub: 'bob' }) });
  bob.connect();
  const room = bob.newSubscription('room:1');
  const own = next(room, 'join'); // it may share a frame with the subscribe reply
  room.subscribe();
  await next(room, 'subscribed');
  assert.strictEqual((await own).info.user, 'bob', 'his own join');
  const joined = next(room, 'join');
  const alice = client({ token: jwt({ sub: 'alice', info: { name: 'Alice' } }) });
  alice.connect();
  const hers = alice.newSubscription('room:1');
  hers.subscribe();
  const join = await joined;
  assert.strictEqual(join.info.user, 'alice');
  assert.deepStrictEqual(join.info.connInfo, { name: 'Alice' });
  log({ step: 'join', client: join.info.client });
  const left = next(room, 'leave');
  alice.disconnect();
  const leave = await left;
  assert.strictEqual(leave.info.user, 'alice');
  assert.strictEqual(leave.info.client, join.info.client, 'the same connection left');
  log({ step: 'leave' });
  bob.disconnect();
};

const run = scenarios[scenario];
if (!run) {
  log({ failed: 'unknown scenario ' + scenario });
  process.exit(2);
}
run().then(() => {
  log({ ok: scenario });
  process.exit(0);
}, (e) => {
  log({ failed: String(e && e.stack || e) });
  process.exit(1);
});
