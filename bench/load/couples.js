#!/usr/bin/env node
// Attune's load generator: N couples, two Socket.IO clients each, against a
// running `python -m server`. Started by bench/run.py (`make bench`), which
// starts the server and Redis, reads this script's one JSON line from stdout
// and prints the table; progress goes to stderr.
//
// Each couple: A connects and sends `create_room`, B connects and sends
// `join_room` with the code, A `propose_plan`s one speaker-listener exercise
// and B `agree_plan`s (the session starts); that is the timed "setup". Once
// every couple is set up, each one loops the step's moves
//   share (speaker) -> paraphrase (listener) -> check accurate (speaker) -> continue (speaker)
// and, once the speaker's view no longer offers `continue` (a floor holds at
// most so many chunks), `pass_floor` instead. In a same_room session no text
// is sent, so the state does not grow. When the step is over (every floor
// held --rounds times), the couple ends and erases the room (`end_room`),
// closes both sockets and sets up a new room: a recycled room.
//
// Every move is an `intent` {id, type, version} from the seat the freshest
// view names in `step.waiting_for`, made on that view's version. A couple has
// one move in flight at a time; a move is finished when its ack came back
// and the partner received a pushed `view` whose version is at least the
// ack's. Closed loop (--interval-ms 0): the next move goes at once. Open loop:
// each couple's timer ticks every interval (+-jitter) and a tick that finds a
// move still in flight is counted late and sent when that move finishes.
//
// Only moves emitted inside the measured window [warm-up end, warm-up end +
// duration) are counted:
//   transitions  moves acked ok (an ack marked duplicate answers a retry of a
//                move an earlier try applied: counted once)
//   latency      emit -> the partner's view at or above the ack's version
//   ack latency  emit -> the ack at the sender
//   errors       acks with ok:false by error code (whole run, setup apart),
//                ack timeouts (each try), view timeouts, moves never acked
//
// Restart mode (--restart-dir DIR, run by `bench/run.py --restart N`): the
// couples move for --restart-active-s (one move each every --interval-ms),
// stop, and once every seat holds its couple's newest view the step and
// version of each are noted and DIR/ready is written. The runner then kills
// the server with SIGKILL, starts it again on the same port and Redis, and
// writes DIR/started (JSON: kill_ms, healthy_ms, pid, ticks_at_health). Every
// socket reconnects and resumes as the web client does (see watchResume);
// this reports when 99 % and 100 % of them were back, the resume errors, the
// new server's CPU ticks and memory when the last one was back, then checks
// each couple's step and version and sends each one more move.
//
//   --url URL  --url-b URL (partner B's server, another process; default: --url)
//   --couples N  --interval-ms I (0 = closed)  --jitter F
//   --duration-s D  --warmup-s W  --ramp-s R  --drain-s S  --timeout-ms T (a move's ack and view)
//   --setup-timeout-ms T (each setup step: connect, create, join, propose, agree, first step view)
//   --exercise ID (a speaker_listener exercise)  --rounds R (its plan option)  --watch name:pid,...
//   --clk-tck HZ (for /proc/PID/stat)
//   --restart-dir DIR  --restart-active-s A  --restart-wait-s W (from the kill, for every socket to be back)
'use strict';
const fs = require('fs');
const path = require('path');
const { performance, monitorEventLoopDelay } = require('perf_hooks');
const { io } = require('socket.io-client');

const FLAGS = {
  url: String, 'url-b': String, couples: Number, 'interval-ms': Number, jitter: Number, 'duration-s': Number,
  'warmup-s': Number, 'ramp-s': Number, 'drain-s': Number, 'timeout-ms': Number, 'setup-timeout-ms': Number,
  exercise: String, rounds: Number, watch: String, 'clk-tck': Number,
  'restart-dir': String, 'restart-active-s': Number, 'restart-wait-s': Number,
};

function parseArgs(argv) {
  const o = {
    url: 'http://127.0.0.1:5000', couples: 50, 'interval-ms': 0, jitter: 0.2, 'duration-s': 20,
    'warmup-s': 2, 'ramp-s': 2, 'drain-s': 5, 'timeout-ms': 10000, 'setup-timeout-ms': 30000,
    exercise: 'take-the-floor', rounds: 6, // the most a plan allows: the longest room before it is recycled
    watch: '', 'clk-tck': 100, 'restart-dir': '', 'restart-active-s': 5, 'restart-wait-s': 120,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m || !(m[1] in FLAGS)) throw new Error(`unknown argument ${argv[i]}`);
    const raw = m[2] !== undefined ? m[2] : argv[(i += 1)];
    const value = FLAGS[m[1]](raw);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`--${m[1]} needs a number`);
    o[m[1]] = value;
  }
  return o;
}

const opt = parseArgs(process.argv.slice(2));
const CLOSED = opt['interval-ms'] === 0;
const TIMEOUT = opt['timeout-ms'];
const SETUP_TIMEOUT = opt['setup-timeout-ms'];
const LAG_RESOLUTION_MS = 10;
const STEP_MOVES = { share: 'share', paraphrase: 'paraphrase', check: 'check' };
const RESTART = !!opt['restart-dir'];
// The web client's socket (client/js/socket.js): its reconnection settings, and
// the `resume` it sends when no `resumed` came in the handshake (PROBE_MS + 2000).
const CLIENT_SOCKET = { reconnectionDelay: 400, reconnectionDelayMax: 3000, timeout: 8000 };
const CLIENT_RESUME_MS = 6000;
// client/js/outbox.js shedDelay: a `busy` (or `rate_limited`) answer waits retry_after, at most
// MAX_WAIT_S, plus up to half again so a crowd does not return in one instant.
const MAX_WAIT_S = 10;
const shedDelayS = (ack) => {
  const code = ack && !ack.ok && ack.error ? ack.error.code : null;
  const after = ack && ack.error ? ack.error.retry_after : undefined;
  if ((code !== 'busy' && code !== 'rate_limited') || typeof after !== 'number') return null;
  return Math.min(after, MAX_WAIT_S) * (1 + Math.random() / 2);
};
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (msg) => process.stderr.write(`[load ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);

// ---------------------------------------------------------------- figures
class Samples {
  constructor() { this.v = new Float64Array(4096); this.n = 0; }
  add(x) {
    if (this.n === this.v.length) { const w = new Float64Array(this.n * 2); w.set(this.v); this.v = w; }
    this.v[this.n] = x; this.n += 1;
  }
  summary() {
    if (!this.n) return { n: 0, p50: null, p95: null, p99: null, max: null };
    const s = this.v.slice(0, this.n).sort();
    // nearest rank: the smallest sample with at least q of all samples at or below it
    const at = (q) => +s[Math.max(0, Math.ceil(q * this.n) - 1)].toFixed(2);
    return { n: this.n, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: +s[this.n - 1].toFixed(2) };
  }
}

const count = {
  connected: 0, connectFailures: 0, ready: 0, sent: 0, applied: 0, finished: 0,
  ackTimeouts: 0, viewTimeouts: 0, unacked: 0, lateTicks: 0, stalls: 0, recycled: 0, recycleFailures: 0,
  setupSheds: 0,
};
const errors = {}; // ack error code -> n, during the moves
const setupErrors = {}; // "step:code" -> n
const dropped = {}; // socket.io-client's disconnect reason -> n, before the load generator closes its sockets
const bump = (table, key) => { table[key] = (table[key] || 0) + 1; };
const latency = new Samples();
const ackLatency = new Samples();
const setupLatency = new Samples();

let measureFrom = Infinity;
let measureTo = Infinity;
let running = false;
let stopping = false;
let seq = 0;
// Restart mode: armed once the couples are snapshotted, just before the runner's kill -9.
const restart = {
  armed: false, sockets: 0, back: [], disconnects: {}, resumeErrors: {}, via: { handshake: 0, resume: 0 },
  lost: 0, attempts: 0, pid: null, allBack: null,
};

// ---------------------------------------------------------------- /proc
function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
    return Number(rest[11]) + Number(rest[12]); // utime + stime
  } catch (e) { return null; }
}
function procMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) : null;
    };
    return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
  } catch (e) { return { rss_mb: null, peak_rss_mb: null }; }
}
// Busy clock ticks of the whole machine (every core): user nice system irq softirq steal.
function machineBusyTicks() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  } catch (e) { return null; }
}
const watched = opt.watch ? opt.watch.split(',').filter(Boolean).map((w) => {
  const [name, pid] = w.split(':'); return { name, pid: Number(pid) };
}) : [];

// ---------------------------------------------------------------- sockets
// `s` is the seat the socket is for: in restart mode the socket reconnects as
// the web client's does and offers the seat's token in the handshake's `auth`,
// asked anew on every (re)connect, `{}` before the seat is claimed.
function connect(url, c, s) {
  return new Promise((resolve) => {
    const options = { transports: ['websocket'], forceNew: true, reconnection: false, timeout: SETUP_TIMEOUT };
    if (RESTART) {
      Object.assign(options, { reconnection: true, reconnectionDelay: CLIENT_SOCKET.reconnectionDelay,
        reconnectionDelayMax: CLIENT_SOCKET.reconnectionDelayMax,
        auth: (cb) => cb(s.token ? { code: c.code, token: s.token } : {}) });
    }
    const sock = io(url, options);
    // Settles once, whatever comes first: connected, refused, dropped before the Socket.IO
    // handshake answered (no event then but `disconnect`), or no answer in time.
    let settled = false;
    const settle = (ok) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ok) {
        count.connected += 1;
        if (RESTART) { sock.io.timeout(CLIENT_SOCKET.timeout); watchResume(c, s, sock); }
        resolve(sock);
      } else { count.connectFailures += 1; sock.close(); resolve(null); }
    };
    const timer = setTimeout(() => settle(false), SETUP_TIMEOUT);
    sock.once('connect', () => settle(true));
    sock.once('connect_error', () => settle(false));
    sock.once('disconnect', () => settle(false));
    sock.on('disconnect', (reason) => {
      if (stopping || reason === 'io client disconnect') return;
      if (restart.armed) bump(restart.disconnects, reason); else bump(dropped, reason);
    });
  });
}

function ask(sock, event, payload, ms = SETUP_TIMEOUT) {
  return new Promise((resolve) => {
    sock.timeout(ms).emit(event, payload, (err, ack) => resolve(err ? { timeout: true } : { ack: ack || {} }));
  });
}

// `ask`, and a shed call (`busy`, `rate_limited` with retry_after) asked again after its delay, as the
// web client's outbox does, up to MAX_SHED times: a server that sheds setup under load gets it later.
const MAX_SHED = 5;
async function askShed(sock, event, payload, ms = SETUP_TIMEOUT) {
  let r = await ask(sock, event, payload, ms);
  for (let shed = 0; shed < MAX_SHED && !r.timeout && shedDelayS(r.ack) !== null; shed += 1) {
    count.setupSheds += 1;
    await wait(shedDelayS(r.ack) * 1000);
    r = await ask(sock, event, payload, ms);
  }
  return r;
}

// ---------------------------------------------------------------- a couple
function makeCouple(i) {
  const c = { i, ok: false, latest: null, move: null, queued: false, timer: null, seats: {} };
  for (const seat of ['partner_a', 'partner_b']) {
    c.seats[seat] = { seat, sock: null, version: -1, view: null, token: null, backAt: null, handshook: false };
  }
  return c;
}

function noteView(c, seat, view) {
  if (!view || typeof view.version !== 'number') return;
  const s = c.seats[seat];
  if (view.version > s.version) { s.version = view.version; s.view = view; }
  if (!c.latest || view.version > c.latest.version) c.latest = view;
}

function onPushedView(c, seat, view) {
  const now = performance.now();
  noteView(c, seat, view);
  if (c.awaiting === seat && c.seats[seat].version >= c.latest.version) { c.awaiting = null; startMove(c); }
  const m = c.move;
  if (!m || m.done || seat !== m.partner || view.version <= m.base) return;
  if (m.ackVersion === null) m.early.push([view.version, now]); // the push can beat the ack
  else if (view.version >= m.ackVersion) finishMove(c, m, now);
}

async function setUp(c) {
  const t0 = performance.now();
  const fail = (step, code) => { bump(setupErrors, `${step}:${code}`); return false; };
  const a = c.seats.partner_a;
  const b = c.seats.partner_b;
  a.sock = await connect(opt.url, c, a);
  if (!a.sock) return fail('connect', 'connect_error');
  a.sock.on('view', (v) => onPushedView(c, 'partner_a', v));
  let r = await askShed(a.sock, 'create_room', { name: `A${c.i}` });
  if (r.timeout) return fail('create_room', 'ack_timeout');
  if (!r.ack.ok) return fail('create_room', r.ack.error.code);
  c.code = r.ack.code;
  a.token = r.ack.token;
  noteView(c, 'partner_a', r.ack.view);
  b.sock = await connect(opt['url-b'] || opt.url, c, b);
  if (!b.sock) return fail('connect', 'connect_error');
  b.sock.on('view', (v) => onPushedView(c, 'partner_b', v));
  r = await askShed(b.sock, 'join_room', { code: c.code, name: `B${c.i}` });
  if (r.timeout) return fail('join_room', 'ack_timeout');
  if (!r.ack.ok) return fail('join_room', r.ack.error.code);
  b.token = r.ack.token;
  noteView(c, 'partner_b', r.ack.view);
  const plan = [{ exercise: opt.exercise, options: { rounds: opt.rounds } }];
  for (const [seat, intent] of [['partner_a', { type: 'propose_plan', plan }], ['partner_b', { type: 'agree_plan' }]]) {
    // Any lobby change (B's presence push, say) makes an older view stale: retry on the fresh one.
    let done = false;
    for (let tries = 0; tries < 5 && !done; tries += 1) {
      const payload = { id: `s${c.i}-${(seq += 1)}`, ...intent, version: c.latest.version };
      r = await askShed(c.seats[seat].sock, 'intent', payload);
      if (r.timeout) return fail(intent.type, 'ack_timeout');
      if (r.ack.ok) done = true;
      else if (r.ack.error.code === 'stale') noteView(c, seat, r.ack.view);
      else return fail(intent.type, r.ack.error.code);
    }
    if (!done) return fail(intent.type, 'stale');
  }
  // The session has started once a pushed view names the first move.
  const t1 = performance.now();
  while (!stepOf(c.latest) && performance.now() - t1 < SETUP_TIMEOUT) await wait(10);
  if (!stepOf(c.latest)) return fail('start', 'no_step_view');
  setupLatency.add(performance.now() - t0);
  c.ok = true;
  if (!c.recycled) count.ready += 1;
  return true;
}

// The speaker-listener step of a view while it waits for someone, else null.
function stepOf(view) {
  const step = view && view.session && view.session.exercise && view.session.exercise.step;
  if (!step || step.kind !== 'speaker_listener' || !step.waiting_for || !step.waiting_for.length) return null;
  return step;
}

// The couple's next move: {seat, partner, type}; {wait: seat} when that choice
// needs the mover's own view (its `can`) and that view is behind; {over: true}
// when the step is over.
function nextMove(c) {
  const step = stepOf(c.latest);
  if (!step) return { over: true };
  const seat = step.waiting_for[0];
  const partner = seat === 'partner_a' ? 'partner_b' : 'partner_a';
  if (STEP_MOVES[step.phase]) return { seat, partner, type: STEP_MOVES[step.phase] };
  if (step.phase !== 'next') return null;
  const own = c.seats[seat];
  if (own.version < c.latest.version) return { wait: seat };
  const can = (stepOf(own.view) || {}).can || [];
  return { seat, partner, type: can.includes('continue') ? 'continue' : 'pass_floor' };
}

// ---------------------------------------------------------------- moves
function startMove(c) {
  if (!running || c.move || c.recycling || performance.now() >= measureTo) return; // none after the window
  const mv = nextMove(c);
  if (mv && mv.over) { recycle(c); return; }
  if (mv && mv.wait) { // onPushedView starts the move when the mover's view arrives
    c.awaiting = mv.wait;
    const version = c.latest.version;
    setTimeout(() => {
      if (c.awaiting !== mv.wait || c.latest.version !== version) return;
      bump(errors, 'own_view_timeout'); // never came: go on with what the mover has
      c.seats[mv.wait].version = c.latest.version;
      c.awaiting = null;
      startMove(c);
    }, TIMEOUT);
    return;
  }
  if (!mv) { count.stalls += 1; setTimeout(() => startMove(c), 100); return; }
  const payload = { id: `m${c.i}-${(seq += 1)}`, type: mv.type, version: c.latest.version };
  if (mv.type === 'check') payload.accurate = true;
  const now = performance.now();
  const m = {
    payload, seat: mv.seat, partner: mv.partner, at: now, base: c.latest.version, ackVersion: null,
    early: [], tries: 0, done: false, counted: now >= measureFrom && now < measureTo, viewTimer: null,
  };
  c.move = m;
  if (m.counted) count.sent += 1;
  send(c, m);
}

function send(c, m) {
  m.tries += 1;
  c.seats[m.seat].sock.timeout(TIMEOUT).emit('intent', m.payload, (err, ack) => {
    if (m.done) return;
    const now = performance.now();
    if (err) {
      count.ackTimeouts += 1;
      if (m.tries < 3 && running) send(c, m); // the same id: the server applies it at most once
      else { if (m.counted) count.unacked += 1; endMove(c, m, 0); }
      return;
    }
    if (!ack || !ack.ok) {
      bump(errors, (ack && ack.error && ack.error.code) || 'no_ack');
      if (ack && ack.view) noteView(c, m.seat, ack.view);
      endMove(c, m, 50); // go on from the freshest view after a short pause
      return;
    }
    if (m.counted) { count.applied += 1; ackLatency.add(now - m.at); }
    m.ackVersion = ack.version;
    const early = m.early.find(([version]) => version >= ack.version);
    if (early) { finishMove(c, m, early[1]); return; }
    m.viewTimer = setTimeout(() => {
      if (!m.done) { count.viewTimeouts += 1; endMove(c, m, 0); }
    }, TIMEOUT);
  });
}

function finishMove(c, m, at) {
  if (m.counted) { count.finished += 1; latency.add(at - m.at); }
  endMove(c, m, 0);
}

function endMove(c, m, pauseMs) {
  m.done = true;
  clearTimeout(m.viewTimer);
  c.move = null;
  if (c.idle) { const resolve = c.idle; c.idle = null; resolve(); }
  if (!running || performance.now() >= measureTo) return;
  if (CLOSED) {
    if (pauseMs) setTimeout(() => startMove(c), pauseMs); else startMove(c);
  } else if (c.queued) {
    c.queued = false;
    startMove(c);
  }
}

// The step is over: end and erase the room, and set the couple up again in a new one.
async function recycle(c) {
  c.recycling = true;
  await ask(c.seats.partner_a.sock, 'end_room', {});
  for (const s of Object.values(c.seats)) { s.sock.close(); s.sock = null; s.version = -1; s.view = null; s.token = null; }
  c.latest = null;
  c.ok = false;
  c.recycled = true;
  if (await setUp(c)) count.recycled += 1; else count.recycleFailures += 1;
  c.recycling = false;
  if (c.idle) { const resolve = c.idle; c.idle = null; resolve(); }
  if (c.ok && (CLOSED || c.queued)) { c.queued = false; startMove(c); }
}

function tick(c) {
  if (!running || performance.now() >= measureTo) return;
  if (c.move || c.recycling) { count.lateTicks += 1; c.queued = true; } else startMove(c);
  const interval = opt['interval-ms'] * (1 + opt.jitter * (2 * Math.random() - 1));
  c.timer = setTimeout(() => tick(c), interval);
}

// ---------------------------------------------------------------- the run
// Every couple set up, spread over the ramp; resolves with those that are ready and how long it took.
async function setUpAll(couples) {
  const setups = [];
  const t0 = performance.now();
  const gap = (opt['ramp-s'] * 1000) / opt.couples;
  for (let i = 0; i < opt.couples; i += 1) {
    const due = t0 + i * gap - performance.now();
    if (due > 1) await wait(due);
    const c = makeCouple(i);
    couples.push(c);
    setups.push(setUp(c));
    if ((i + 1) % 1000 === 0) say(`${i + 1} couples started, ${count.ready} ready`);
  }
  await Promise.all(setups);
  const setupS = (performance.now() - t0) / 1000;
  const ready = couples.filter((c) => c.ok);
  say(`${ready.length} of ${opt.couples} couples ready in ${setupS.toFixed(1)} s; `
    + `setup errors ${JSON.stringify(setupErrors)}`);
  return { ready, setupS };
}

async function main() {
  const shape = CLOSED ? 'closed loop' : `open loop, one move per couple every ${opt['interval-ms']} ms`;
  say(`${opt.couples} couples (${2 * opt.couples} sockets), ${shape}, ramp ${opt['ramp-s']} s, to ${opt.url}${opt['url-b'] ? ` (B: ${opt['url-b']})` : ''}`);
  const couples = [];
  const { ready, setupS } = await setUpAll(couples);

  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  const start = performance.now();
  measureFrom = start + opt['warmup-s'] * 1000;
  measureTo = measureFrom + opt['duration-s'] * 1000;
  running = true;
  for (const c of ready) {
    if (CLOSED) startMove(c);
    else c.timer = setTimeout(() => tick(c), Math.random() * opt['interval-ms']);
  }
  await wait(measureFrom - performance.now());
  const ticks0 = watched.map((w) => procTicks(w.pid));
  const busy0 = machineBusyTicks();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  lag.enable();
  await wait(measureTo - performance.now());
  lag.disable();
  const wallS = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy1 = machineBusyTicks();
  const procs = {};
  const hz = opt['clk-tck'];
  let oursTicks = ((cpu.user + cpu.system) / 1e6) * hz;
  watched.forEach((w, k) => {
    const t1 = procTicks(w.pid);
    if (t1 !== null && ticks0[k] !== null) oursTicks += t1 - ticks0[k];
    const cpuPct = t1 === null || ticks0[k] === null ? null : +(((t1 - ticks0[k]) / hz) / wallS * 100).toFixed(1);
    procs[w.name] = { pid: w.pid, cpu_pct: cpuPct, ...procMemory(w.pid) };
  });
  say(`window over: ${count.applied} transitions; draining up to ${opt['drain-s']} s`);
  // No new move from here; wait for the ones in flight, up to the drain time.
  for (const c of ready) clearTimeout(c.timer);
  const inFlight = ready.filter((c) => c.move || c.recycling).map((c) => new Promise((resolve) => { c.idle = resolve; }));
  await Promise.race([Promise.all(inFlight), wait(opt['drain-s'] * 1000)]);
  running = false;
  const unfinished = ready.filter((c) => c.move && c.move.counted).length;

  const out = {
    mode: CLOSED ? 'closed' : 'open', couples: opt.couples, sockets: 2 * opt.couples,
    interval_ms: opt['interval-ms'], duration_s: opt['duration-s'], warmup_s: opt['warmup-s'],
    ready_couples: ready.length, setup_s: +setupS.toFixed(1), setup_ms: setupLatency.summary(),
    setup_errors: setupErrors, setup_sheds: count.setupSheds, connect_failures: count.connectFailures, disconnects: dropped,
    offered_per_s: CLOSED ? null : +((ready.length * 1000) / opt['interval-ms']).toFixed(1),
    sent: count.sent, applied: count.applied, seen_by_partner: count.finished,
    transitions_per_s: +(count.applied / opt['duration-s']).toFixed(1),
    latency_ms: latency.summary(), ack_ms: ackLatency.summary(),
    errors, ack_timeouts: count.ackTimeouts, view_timeouts: count.viewTimeouts, unacked: count.unacked,
    unfinished, late_ticks: count.lateTicks, stalls: count.stalls,
    rooms_recycled: count.recycled, recycle_failures: count.recycleFailures,
    procs,
    // % of one core that every other process on the machine used during the window
    other_cpu_pct: busy0 === null || busy1 === null ? null
      : +Math.max(0, ((busy1 - busy0 - oursTicks) / hz) / wallS * 100).toFixed(0),
    loadgen: {
      cpu_pct: +(((cpu.user + cpu.system) / 1e6) / wallS * 100).toFixed(1),
      // each sample is the time between two timer turns LAG_RESOLUTION_MS apart: the excess is lag
      loop_lag_p99_ms: lag.count ? +Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS).toFixed(1) : null,
      rss_mb: Math.round(process.memoryUsage().rss / 1048576),
    },
  };
  stopping = true;
  process.stdout.write(`${JSON.stringify(out)}\n`);
  for (const c of couples) for (const s of Object.values(c.seats)) if (s.sock) s.sock.close();
  setTimeout(() => process.exit(0), 200);
}

// ---------------------------------------------------------------- restart mode
// The web client's way back onto its seat (client/js/socket.js): the handshake's
// `auth` offers {code, token} and the server answers with `resumed` before
// "connect"; a "connect" without it sends `resume`. `busy` is tried again after
// its retry_after; a `resume` with no answer closes the engine for a fresh
// connection; a refused seat (not_found, bad_token, not_joined) is lost.
function watchResume(c, s, sock) {
  sock.io.on('reconnect_attempt', () => { if (restart.armed) restart.attempts += 1; });
  sock.on('resumed', (ack) => {
    if (!s.token) return;
    s.handshook = true;
    onResumed(c, s, ack, 'handshake');
  });
  sock.on('connect', () => {
    if (!s.handshook && s.token && restart.armed) sendResume(c, s);
  });
  sock.on('disconnect', () => { s.handshook = false; });
}

function sendResume(c, s) {
  if (!s.sock || !s.sock.connected) return; // the next connect offers the seat in its handshake
  s.sock.timeout(CLIENT_RESUME_MS).emit('resume', { code: c.code, token: s.token }, (err, ack) => {
    onResumed(c, s, err ? { ok: false, error: { code: 'timeout' } } : ack, 'resume');
  });
}

function onResumed(c, s, ack, via) {
  if (!restart.armed) return;
  if (ack && ack.ok) {
    noteView(c, s.seat, ack.view);
    if (s.backAt !== null) return;
    s.backAt = Date.now();
    restart.via[via] += 1;
    restart.back.push(s.backAt);
    if (restart.back.length === restart.sockets && !restart.allBack) {
      // The server's CPU and memory at the very moment the last socket is back.
      restart.allBack = { at: s.backAt, ticks: restart.pid ? procTicks(restart.pid) : null,
        ...(restart.pid ? procMemory(restart.pid) : {}) };
    }
    return;
  }
  const code = (ack && ack.error && ack.error.code) || 'no_answer';
  bump(restart.resumeErrors, code);
  const delay = shedDelayS(ack);
  if (delay !== null) setTimeout(() => sendResume(c, s), delay * 1000);
  else if (code === 'timeout') { if (s.sock && s.sock.io.engine) s.sock.io.engine.close(); }
  else if (['bad_token', 'not_found', 'not_joined'].includes(code)) restart.lost += 1;
}

// What must survive the restart: the exercise and the step as partner A's view shows it.
function stepKey(c) {
  const view = c.seats.partner_a.view;
  const ex = view && view.session && view.session.exercise;
  return ex ? JSON.stringify({ index: ex.index, id: ex.id, step: ex.step }) : null;
}

async function until(predicate, ms) {
  const deadline = performance.now() + ms;
  while (!predicate() && performance.now() < deadline) await wait(10);
  return predicate();
}

// Both seats of every couple hold the couple's newest view (the last pushes have landed).
const settled = (cs) => cs.every((c) => c.latest && Object.values(c.seats).every((s) => s.version === c.latest.version));

async function readJson(file, ms) {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { await wait(20); }
  }
  return null;
}

// One more move for a couple after the restart: 'ok' once acked and seen by the partner, else why not.
async function oneMore(c) {
  const mv = nextMove(c);
  if (!mv || mv.over || mv.wait) return mv && mv.over ? 'step_over' : 'no_move';
  const payload = { id: `r${c.i}-${(seq += 1)}`, type: mv.type, version: c.latest.version };
  if (mv.type === 'check') payload.accurate = true;
  // As client/js/outbox.js: a timeout is sent once more under the same id, a shed call after its delay.
  let r = null;
  for (let tries = 0, shed = 0; tries < 2;) {
    r = await ask(c.seats[mv.seat].sock, 'intent', payload, TIMEOUT);
    if (r.timeout) { tries += 1; continue; }
    const delay = shedDelayS(r.ack);
    if (delay === null || shed >= MAX_SHED) break;
    shed += 1;
    await wait(delay * 1000);
  }
  if (r.timeout) return 'ack_timeout';
  if (!r.ack.ok) return r.ack.error.code;
  const seen = await until(() => c.seats[mv.partner].version >= r.ack.version, TIMEOUT);
  return seen ? 'ok' : 'view_timeout';
}

// The restart scenario: couples mid-exercise, the runner kill -9s the server and starts it again
// (DIR/ready -> DIR/started), every socket comes back as the web client would, then the check.
async function mainRestart() {
  const dir = opt['restart-dir'];
  say(`restart: ${opt.couples} couples (${2 * opt.couples} sockets), ${opt['restart-active-s']} s of moves `
    + `(one per couple every ${opt['interval-ms']} ms), then kill -9, to ${opt.url}`);
  const couples = [];
  const { ready, setupS } = await setUpAll(couples);
  // Some moves first, so that the couples are spread over the step's phases.
  measureFrom = performance.now();
  measureTo = measureFrom + opt['restart-active-s'] * 1000;
  running = true;
  for (const c of ready) c.timer = setTimeout(() => tick(c), Math.random() * opt['interval-ms']);
  await wait(measureTo - performance.now());
  for (const c of ready) clearTimeout(c.timer);
  const inFlight = ready.filter((c) => c.move || c.recycling).map((c) => new Promise((resolve) => { c.idle = resolve; }));
  await Promise.race([Promise.all(inFlight), wait(opt['drain-s'] * 1000)]);
  running = false;
  const quiet = await until(() => settled(ready) && ready.every((c) => !c.move && !c.recycling), 10000);
  const moved = ready.filter((c) => c.ok && stepOf(c.latest));
  // A couple not on a step (its setup failed) takes no part: its sockets go before the kill.
  for (const c of couples) {
    if (moved.includes(c)) continue;
    for (const s of Object.values(c.seats)) if (s.sock) { s.sock.close(); s.sock = null; }
  }
  const phases = {};
  for (const c of moved) {
    c.snap = { version: c.latest.version, step: stepKey(c) };
    bump(phases, stepOf(c.latest).phase);
  }
  restart.sockets = 2 * moved.length;
  say(`${count.applied} moves applied; snapshot of ${moved.length} couples (settled: ${quiet}), phases `
    + `${JSON.stringify(phases)}; ready for the kill`);
  restart.armed = true;
  fs.writeFileSync(path.join(dir, 'ready.tmp'), `${Date.now()}\n`);
  fs.renameSync(path.join(dir, 'ready.tmp'), path.join(dir, 'ready'));

  const started = await readJson(path.join(dir, 'started'), 120000);
  if (!started) throw new Error('the runner never wrote started');
  restart.pid = started.pid;
  say(`killed at ${started.kill_ms}, healthy again ${started.healthy_ms - started.kill_ms} ms later (pid ${started.pid})`);
  const waitMs = opt['restart-wait-s'] * 1000 - (Date.now() - started.kill_ms);
  await until(() => restart.allBack !== null, Math.max(0, waitMs));
  const end = restart.allBack || { at: null, ticks: procTicks(started.pid), ...procMemory(started.pid) };
  const back = restart.back.slice().sort((x, y) => x - y);
  const via = { ...restart.via }; // as counted at the same moment as `back`
  say(`${back.length}/${restart.sockets} sockets back; resume errors ${JSON.stringify(restart.resumeErrors)}`);
  const nth = (q) => { const k = Math.ceil(q * restart.sockets); return back.length >= k && k > 0 ? back[k - 1] : null; };
  const since = (t, from) => (t === null || from == null ? null : +((t - from) / 1000).toFixed(3));

  // Nothing lost: the same step, the version moved only by the resumes' writes; then one more move each.
  await until(() => settled(moved), 5000);
  const check = { couples: moved.length, step_unchanged: 0, step_changed: 0, version_delta: {}, one_more: {} };
  for (const c of moved) {
    if (stepKey(c) === c.snap.step) check.step_unchanged += 1; else check.step_changed += 1;
    bump(check.version_delta, String(c.latest.version - c.snap.version));
  }
  const outcomes = await Promise.all(moved.map((c) => oneMore(c)));
  for (const o of outcomes) bump(check.one_more, o);

  const cpuS = end.ticks === null || started.ticks_at_health == null ? null
    : (end.ticks - started.ticks_at_health) / opt['clk-tck'];
  const out = {
    mode: 'restart', couples: opt.couples, sockets: restart.sockets, ready_couples: ready.length,
    setup_s: +setupS.toFixed(1), setup_ms: setupLatency.summary(), setup_errors: setupErrors,
    setup_sheds: count.setupSheds, connect_failures: count.connectFailures, disconnects: dropped, interval_ms: opt['interval-ms'],
    active_s: opt['restart-active-s'], moves_before_kill: count.applied, errors, ack_timeouts: count.ackTimeouts,
    view_timeouts: count.viewTimeouts, unacked: count.unacked, phases_at_kill: phases, settled_before_kill: quiet,
    resumed: back.length, resumed_via: via, reconnect_attempts: restart.attempts, resume_errors: restart.resumeErrors, seats_lost: restart.lost,
    dropped_at_kill: restart.disconnects,
    kill_ms: started.kill_ms, healthy_after_kill_s: since(started.healthy_ms, started.kill_ms),
    first_back_after_kill_s: since(back.length ? back[0] : null, started.kill_ms),
    back_99_after_kill_s: since(nth(0.99), started.kill_ms), back_100_after_kill_s: since(nth(1), started.kill_ms),
    back_99_after_health_s: since(nth(0.99), started.healthy_ms),
    back_100_after_health_s: since(nth(1), started.healthy_ms),
    server_cpu_s: cpuS === null ? null : +cpuS.toFixed(2),
    cpu_ms_per_socket: cpuS === null || !back.length ? null : +((cpuS * 1000) / back.length).toFixed(2),
    all_back: restart.allBack !== null,
    rss_mb_all_back: end.rss_mb, peak_rss_mb_all_back: end.peak_rss_mb,
    check,
  };
  stopping = true;
  process.stdout.write(`${JSON.stringify(out)}\n`);
  for (const c of couples) for (const s of Object.values(c.seats)) if (s.sock) s.sock.close();
  setTimeout(() => process.exit(0), 200);
}

// Node exits quietly when nothing is left to wait on: that must never pass for a finished run.
process.on('beforeExit', () => {
  if (!stopping) { say('stopped before the run finished (a promise nobody settles)'); process.exit(1); }
});
(RESTART ? mainRestart : main)().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
