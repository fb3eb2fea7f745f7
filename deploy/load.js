#!/usr/bin/env node
// The mixed load deploy/verify.sh drives through the topology, and the checks made after it. Node.js, no packages.
//
//   node deploy/load.js throughput BASE_URL SECONDS SINK_PORT
//       the mixed load for SECONDS against BASE_URL, with a push-gateway stand-in on SINK_PORT; prints one JSON
//       line: requests, req/s, p50/p99, failures
//   node deploy/load.js faults BASE_URL STOP_FILE FAULTS_FILE SINK_PORT
//       the mixed load until STOP_FILE exists, with a push-gateway stand-in on SINK_PORT; then settles every write
//       whose answer was lost, waits for the notifications, checks what the database holds against what was
//       acknowledged, and prints the report; exits 1 if a check failed. FAULTS_FILE holds the faults verify.sh
//       caused, one a line: name start-ms end-ms
//
// The load (8 clients, each in a loop): reads of products and orders, orders of 1 to 3 lines, payments of
// acknowledged orders, partial refunds of paid ones, push notifications, and now and then a new access token
// (client_credentials). Every write carries an Idempotency-Key and is retried with the same key, the same body,
// while it fails for want of a server (no answer, 5xx, 409 IDEMPOTENCY_KEY_IN_USE or PAYMENT_IN_PROGRESS), as a
// client would; a read is not retried. A request "failed" when it got no answer or a 5xx.
//
// The admin API key comes from MERCATO_ADMIN_API_KEY.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const crypto = require('node:crypto');

const CLIENTS = 8;
const WRITE_RETRY_BUDGET_MS = 180_000; // longer than the idempotency lease a killed request's key is held for
const REQUEST_TIMEOUT_MS = 40_000; // longer than nginx's proxy_read_timeout: its 504 comes first
const ADMIN = process.env.MERCATO_ADMIN_API_KEY;
const SCOPES = ['products:read', 'orders:read', 'orders:write', 'payments:write', 'notifications:write', 'users:write'];
const [mode, base, ...args] = process.argv.slice(2);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

// Every attempt, for the figures per fault: [start ms, end ms, failed, ok (2xx), what it got (status or error)].
const attempts = [];
// Requests sent again at once because the connection they went out on, kept alive from an earlier request, was
// closed before any answer (nginx closes its idle client connections when it reloads): never read by the server, so
// resent as HTTP clients do (RFC 9112, 9.3.1), and not counted as failed.
let staleConnectionResends = 0;

async function send(method, path, options = {}) {
  const answer = await sendOnce(method, path, options);
  if (answer.staleConnection) {
    staleConnectionResends++;
    return sendOnce(method, path, options);
  }
  return answer;
}

function sendOnce(method, path, { token, body, headers = {}, form } = {}) {
  const url = new URL(path, base);
  const payload = form ? new URLSearchParams(form).toString() : body === undefined ? undefined : JSON.stringify(body);
  const start = Date.now();
  return new Promise((resolve) => {
    const request = http.request(url, {
      method, agent, timeout: REQUEST_TIMEOUT_MS,
      headers: {
        ...(token ? { Authorization: token.startsWith('Basic ') ? token : `Bearer ${token}` } : {}),
        ...(payload ? { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json',
          'Content-Length': Buffer.byteLength(payload) } : {}),
        ...headers,
      },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const status = response.statusCode;
        attempts.push([start, Date.now(), status >= 500, status < 300, status]);
        resolve({ status, json, headers: response.headers });
      });
      response.on('error', (error) => done(error));
      answered = true;
    });
    let answered = false;
    const done = (error) => {
      if (!answered && request.reusedSocket && ['ECONNRESET', 'EPIPE'].includes(error.code)) {
        resolve({ status: 0, staleConnection: true });
        return;
      }
      attempts.push([start, Date.now(), true, false, error.code || error.message]);
      resolve({ status: 0 });
    };
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', done);
    request.end(payload);
  });
}

const retryable = (answer) => answer.status === 0 || answer.status >= 500
  || (answer.status === 409 && ['IDEMPOTENCY_KEY_IN_USE', 'PAYMENT_IN_PROGRESS', 'REFUND_IN_PROGRESS']
    .includes(answer.json?.error?.code ?? answer.json?.code));

// A write under one key, retried as a client would until it gets a final answer (or the budget runs out).
async function write(state, kind, path, body) {
  const key = `${kind}-${crypto.randomUUID()}`;
  const record = { kind, key, path, body, answers: [], tries: 0 };
  state.writes.push(record);
  const deadline = Date.now() + WRITE_RETRY_BUDGET_MS;
  for (;;) {
    record.tries++;
    const answer = await send('POST', path, { token: state.token, body, headers: { 'Idempotency-Key': key } });
    if (answer.status === 401 && answer.json) { await renewToken(state); continue; } // the token expired
    if (!retryable(answer)) {
      record.final = answer;
      if (answer.status < 300) record.answers.push(answer.json.id);
      return answer;
    }
    if (Date.now() > deadline) { record.final = answer; return answer; }
    const retryAfter = Number(answer.headers?.['retry-after']);
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 5) * 1000 : 500);
  }
}

async function renewToken(state) {
  const answer = await send('POST', '/oauth/token', { token: state.basic, form: { grant_type: 'client_credentials' } });
  if (answer.status === 200) state.token = answer.json.access_token;
  return answer;
}

async function admin(method, path, body) {
  for (let tries = 0; ; tries++) {
    const answer = await send(method, path, { token: ADMIN, body });
    if (answer.status < 500 && answer.status !== 0) return answer;
    if (tries > 60) throw new Error(`${method} ${path}: ${answer.status}`);
    await sleep(1000);
  }
}

// A read for the checks, with the load's own token (whose client has no rate limit to speak of), retried while
// the server is out of reach.
async function read(state, path) {
  for (let tries = 0; ; tries++) {
    const answer = await send('GET', path, { token: state.token });
    if (answer.status === 401) { await renewToken(state); continue; }
    if (answer.status === 200) return answer.json;
    if (tries > 30 || (answer.status >= 400 && answer.status < 500)) throw new Error(`GET ${path}: ${answer.status}`);
    await sleep(1000);
  }
}

async function setUp() {
  const state = { writes: [], orders: [], paid: [], products: [], users: [], tokens: 0 };
  const client = (await admin('POST', '/v2/oauth-clients', { name: `verify-${Date.now()}`, scopes: SCOPES,
    rate_limit_per_minute: 1_000_000 })).json;
  state.basic = 'Basic ' + Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
  if ((await renewToken(state)).status !== 200) throw new Error('no access token');
  for (let i = 0; i < 4; i++) {
    const user = await admin('POST', '/v2/users', { username: `verify_${Date.now()}_${i}`,
      email: `verify${Date.now()}${i}@example.com` });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${JSON.stringify(user.json)}`);
    state.users.push(user.json.id);
  }
  for (let i = 0; i < 20; i++) {
    const product = await admin('POST', '/v2/products', { name: `Verify product ${i}`, description: 'Under load.',
      price: 5 + i, currency: 'USD', stock: 100_000 });
    if (product.status !== 201) throw new Error(`product: ${product.status} ${JSON.stringify(product.json)}`);
    state.products.push({ id: product.json.id, stock: 100_000 });
  }
  return state;
}

async function step(state) {
  const roll = Math.random();
  if (roll < 0.35) {
    const order = state.orders.length && Math.random() < 0.5 ? pick(state.orders) : null;
    await send('GET', order ? `/v2/orders/${order.id}` : `/v2/products/${pick(state.products).id}`, { token: state.token });
  } else if (roll < 0.60) {
    const lines = new Map();
    const count = 1 + Math.floor(Math.random() * 3);
    while (lines.size < count) lines.set(pick(state.products).id, 1 + Math.floor(Math.random() * 3));
    const answer = await write(state, 'order', '/v2/orders', { user_id: pick(state.users),
      items: [...lines].map(([product_id, quantity]) => ({ product_id, quantity })),
      shipping_address: { street: '1 Failover Rd', city: 'Quorum', zip_code: '12345', country: 'US' } });
    if (answer.status === 201 || answer.status === 200) state.orders.push(answer.json);
  } else if (roll < 0.75) {
    const order = state.orders.shift();
    if (!order) return;
    const answer = await write(state, 'payment', '/v2/payments', { order_id: order.id, amount: order.total_amount,
      currency: order.currency, payment_method_id: 'pm_card_visa' });
    if (answer.status === 201 || answer.status === 200) state.paid.push(answer.json);
  } else if (roll < 0.80) {
    const payment = state.paid.shift();
    if (!payment) return;
    await write(state, 'refund', `/v2/payments/${payment.id}/refunds`, { amount: 1, reason: 'verify' });
  } else if (roll < 0.95) {
    await write(state, 'notification', '/v2/notifications', { user_id: pick(state.users),
      message: 'Your order is on its way', type: 'push', priority: 'normal' });
  } else {
    state.tokens++;
    await renewToken(state);
  }
}

async function drive(state, stopped) {
  await Promise.all(Array.from({ length: CLIENTS }, async () => { while (!stopped()) await step(state); }));
}

// Runs fn over items, CLIENTS at a time.
async function inParallel(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const percentile = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0;

async function throughput(seconds, sinkPort) {
  const gateway = pushGateway(Number(sinkPort));
  const state = await setUp();
  attempts.length = 0;
  const start = Date.now();
  await drive(state, () => Date.now() - start > seconds * 1000);
  const elapsed = (Date.now() - start) / 1000;
  const latencies = attempts.map(([s, e]) => e - s).sort((a, b) => a - b);
  console.log(JSON.stringify({ requests: attempts.length, per_second: Math.round(attempts.length / elapsed),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99),
    failed: attempts.filter((a) => a[2]).length }));
  gateway.close();
}

// The push gateway stand-in: answers 200 and counts each notification id (the Idempotency-Key Mercato sends).
function pushGateway(port) {
  const received = new Map();
  const users = new Map();
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const id = request.headers['idempotency-key'] || body.id;
      received.set(id, (received.get(id) || 0) + 1);
      users.set(id, body.user_id);
      response.end('{}');
    });
  });
  server.listen(port, '127.0.0.1');
  return { received, users, close: () => server.close() };
}

// Lists every order of the load's users, through the API.
async function listOrders(state) {
  const orders = [];
  for (const user of state.users) {
    for (let offset = 0; ; offset += 100) {
      const page = await read(state, `/v2/orders?user_id=${user}&limit=100&offset=${offset}`);
      orders.push(...page);
      if (page.length < 100) break;
    }
  }
  return orders;
}

function faultFigures(faults) {
  return faults.map(({ name, start, end }) => {
    const inside = attempts.filter(([s, e]) => e >= start && s <= end);
    const successes = inside.filter((a) => !a[2]).map((a) => a[1]).filter((e) => e >= start && e <= end).sort((a, b) => a - b);
    let gap = 0;
    let last = start;
    for (const at of [...successes, end]) { gap = Math.max(gap, at - last); last = at; }
    const failed = {};
    for (const a of inside.filter((a) => a[2])) failed[a[4]] = (failed[a[4]] || 0) + 1;
    return { name, seconds: ((end - start) / 1000).toFixed(1), requests: inside.length,
      failed: inside.filter((a) => a[2]).length, failed_by_answer: failed, longest_gap_ms: gap,
      longest_request_ms: inside.reduce((longest, [s, e]) => Math.max(longest, e - s), 0) };
  });
}

const progress = (message) => console.error(`[${new Date().toISOString().slice(11, 19)}]    ${message}`);

async function faults(stopFile, faultsFile, sinkPort) {
  const gateway = pushGateway(Number(sinkPort));
  const state = await setUp();
  const loadStart = Date.now();
  await drive(state, () => fs.existsSync(stopFile));
  const loadEnd = Date.now();
  const failures = [];
  const check = (ok, what) => { if (!ok) failures.push(what); return ok; };

  // Settle: every write that was retried, or whose answer was lost (or that ran out of retries), is sent once more
  // under its key. It then resolves to what the first attempt did, or is done now: either way, one resource per
  // key, which must be the one any earlier answer named. A write answered at its first attempt resolves to that.
  const unsettled = state.writes.filter((w) => !w.final || retryable(w.final));
  for (const w of state.writes) w.resolved = w.tries === 1 && w.answers.length ? w.answers[0] : null;
  const resend = state.writes.filter((w) => w.tries > 1 || !w.answers.length);
  progress(`settling ${resend.length} of ${state.writes.length} writes (retried, or without an answer)`);
  await inParallel(resend, async (w) => {
    const answer = await send('POST', w.path, { token: state.token, body: w.body, headers: { 'Idempotency-Key': w.key } });
    if (answer.status === 401) { await renewToken(state); }
    const again = answer.status === 401
      ? await send('POST', w.path, { token: state.token, body: w.body, headers: { 'Idempotency-Key': w.key } })
      : answer;
    w.resolved = again.status < 300 ? again.json.id : null;
    check(!retryable(again), `${w.kind} ${w.key}: still ${again.status} when settled`);
    for (const id of w.answers) check(id === w.resolved, `${w.kind} ${w.key}: answered ${id}, later ${w.resolved}`);
  });
  const resolved = (kind) => state.writes.filter((w) => w.kind === kind && w.resolved).map((w) => w.resolved);
  const acknowledged = (kind) => state.writes.filter((w) => w.kind === kind && w.answers.length);

  progress('checking orders, stock, payments and refunds');
  // Orders: none acknowledged is lost, no key made two, and the stock adds up.
  const orders = await listOrders(state);
  const orderIds = new Set(orders.map((o) => o.id));
  const lostOrders = acknowledged('order').filter((w) => !orderIds.has(w.answers[0]));
  check(lostOrders.length === 0, `${lostOrders.length} acknowledged orders lost`);
  const resolvedOrders = new Set(resolved('order'));
  const strayOrders = orders.filter((o) => !resolvedOrders.has(o.id));
  check(strayOrders.length === 0, `${strayOrders.length} orders no key resolves to (a key made two)`);
  let stockOk = true;
  let sold = 0;
  await inParallel(state.products, async (product) => {
    const now = (await read(state, `/v2/products/${product.id}`)).stock;
    const units = orders.filter((o) => o.status !== 'cancelled')
      .flatMap((o) => o.items).filter((i) => i.product_id === product.id).reduce((sum, i) => sum + i.quantity, 0);
    sold += units;
    stockOk = check(now + units === product.stock, `${product.id}: stock ${now} + sold ${units} != ${product.stock}`) && stockOk;
  });

  // Payments and refunds: every acknowledged one is there, as acknowledged, and its order is paid.
  let lostPayments = 0;
  await inParallel(acknowledged('payment'), async (w) => {
    const payment = await read(state, `/v2/payments/${w.answers[0]}`);
    const order = await read(state, `/v2/orders/${w.body.order_id}`);
    if (payment?.status !== 'succeeded' || order?.status !== 'paid') lostPayments++;
  });
  check(lostPayments === 0, `${lostPayments} acknowledged payments missing or not applied`);
  let lostRefunds = 0;
  await inParallel(acknowledged('refund'), async (w) => {
    const paymentId = w.path.split('/')[3];
    const refunds = await read(state, `/v2/payments/${paymentId}/refunds`);
    if (!refunds.some((r) => r.id === w.answers[0] && r.status === 'succeeded')) lostRefunds++;
  });
  check(lostRefunds === 0, `${lostRefunds} acknowledged refunds missing`);

  // Notifications: each accepted one reaches the gateway, once once the gateway drops repeats of an id.
  progress('waiting for the notifications');
  const accepted = resolved('notification');
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && accepted.some((id) => !gateway.received.has(id))) await sleep(500);
  const undelivered = accepted.filter((id) => !gateway.received.has(id));
  const ours = [...gateway.received.keys()].filter((id) => state.users.includes(gateway.users.get(id)));
  const unknown = ours.filter((id) => !accepted.includes(id));
  const repeats = ours.reduce((sum, id) => sum + gateway.received.get(id) - 1, 0);
  check(undelivered.length === 0, `${undelivered.length} accepted notifications not delivered`);
  check(unknown.length === 0, `${unknown.length} notifications delivered that no key resolves to`);
  gateway.close();

  const faultList = fs.readFileSync(faultsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
    const [name, start, end] = line.split(' ');
    return { name, start: Number(start), end: Number(end) };
  });
  const figures = faultFigures(faultList);
  const inFault = (a) => faultList.some(({ start, end }) => a[1] >= start && a[0] <= end);
  const outside = attempts.filter((a) => a[0] >= loadStart && a[1] <= loadEnd && !inFault(a) && a[2]).length;
  const rolling = figures.filter((f) => f.name.startsWith('rolling'));
  for (const f of rolling) check(f.failed === 0, `${f.failed} requests failed during ${f.name}`);
  check(outside === 0, `${outside} requests failed outside the faults`);
  const fiveHundreds = attempts.filter((a) => a[4] === 500).length;
  check(fiveHundreds === 0, `${fiveHundreds} requests answered 500`);
  const unexplained = attempts.filter((a) => a[2] && ![502, 503, 504, 'ECONNRESET', 'ECONNREFUSED'].includes(a[4]));

  const count = (kind) => state.writes.filter((w) => w.kind === kind).length;
  for (const kind of ['order', 'payment', 'refund', 'notification']) {
    check(acknowledged(kind).length > 0, `no ${kind} was acknowledged: ${JSON.stringify(state.writes
      .find((w) => w.kind === kind)?.final?.json)}`);
  }
  const report = {
    load_seconds: Math.round((loadEnd - loadStart) / 1000),
    requests: attempts.length,
    writes: { orders: count('order'), payments: count('payment'), refunds: count('refund'),
      notifications: count('notification'), tokens_issued: state.tokens },
    retried_keys: state.writes.filter((w) => w.tries > 1).length,
    keys_settled_after_the_load: unsettled.length,
    orders_in_database: orders.length, units_sold: sold, stock_adds_up: stockOk,
    acknowledged_lost: { orders: lostOrders.length, payments: lostPayments, refunds: lostRefunds },
    notifications: { accepted: accepted.length, delivered: accepted.length - undelivered.length,
      repeats_dropped_by_the_gateway: repeats },
    failed_outside_faults: outside,
    answered_500: fiveHundreds,
    other_failures: unexplained.map((a) => a[4]),
    stale_connection_resends: staleConnectionResends,
    faults: figures,
    failures,
  };
  console.log(JSON.stringify(report, null, 2));
  return failures.length === 0;
}

(async () => {
  if (!ADMIN) throw new Error('MERCATO_ADMIN_API_KEY is not set');
  if (mode === 'throughput') await throughput(...args);
  else if (mode === 'faults') process.exitCode = (await faults(...args)) ? 0 : 1;
  else throw new Error('usage: load.js throughput BASE SECONDS SINK_PORT | faults BASE STOP_FILE FAULTS_FILE SINK_PORT');
  agent.destroy();
})().catch((error) => { console.error(error.stack || error); process.exit(2); });
