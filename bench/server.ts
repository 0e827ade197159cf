/**
 * Web chat throughput, latency and memory: the real Parley server (demo models, SQLite
 * store) next to a bare `ws` echo server, measured in the same run on this machine. Both run
 * as they would in production, without a TypeScript loader: the echo is plain JavaScript,
 * and Parley runs from its compiled build (`npm run build`, `bin/parley-compiled.js`), which
 * this script brings up to date first, started through the file's own first line with the
 * node flags (and environment settings) it carries. The echo is measured once more with those
 * same settings, to show what they alone are worth.
 *
 *   npm run bench:server [-- --clients=1000 --messages=5 --repeats=3 --idle=10000 --warmup=1000 --rate=2000 --paced-seconds=10]
 *
 * Two loads: a closed loop (every client sends its next message on the reply to the one
 * before: the most each server can do, where latency is mostly each message's wait behind
 * the other 999), then an open loop at one rate for every server (`--rate`, the throughput
 * target: the latency a customer sees at that load, service time and queueing included).
 * The servers run side by side, and their closed loops take turns (`--repeats` rounds of
 * echo, echo with Parley's flags, Parley): each figure is the median loop's, and the p99
 * ratio the median of each Parley loop's against the echo loop of its round.
 *
 * To profile the Parley server under this load, pass node flags to its process:
 *   PARLEY_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/parley-prof" npm run bench:server
 *
 * Each server runs in its own child process; this process is the load generator. Writes
 * bench/results/server.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { compileServer } from '../scripts/compile-server.js';
import { medianBy, percentile } from './lib/stats.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CLIENTS = arg('clients', 1000);
const MESSAGES = arg('messages', 5);
const IDLE = arg('idle', 10_000);
/** The open-loop part: messages a second in all (the throughput target) and for how long. */
const RATE = arg('rate', 2000);
const PACED_SECONDS = arg('paced-seconds', 10);
/** Clients of the warm-up round (2 messages each, not measured), the same for every server: a
 * freshly started server runs its first turns in cold, not yet optimised code. V8 takes a few
 * thousand turns to optimise Parley's: in one process, engine and SQLite store alone, a round
 * of 1,000 first messages after 400 warm-up turns cost 565 µs of CPU each, and 150-180 µs from
 * the third round on. With 200 clients (400 turns), the measured first round still ran in
 * that code: p99 525-552 ms against 356-402 ms after 1,000 clients (2,000 turns), in two
 * alternating pairs of full runs. */
const WARMUP = arg('warmup', 1000);
/** Closed loops per server, taking turns with the other servers' (the median is reported). */
const REPEATS = Math.max(1, arg('repeats', 3));
/** Pause after each closed loop (see main). */
const SETTLE_MS = 3000;
/** Extra node flags for the Parley server process only (profiling). Node refuses some of them
 * in NODE_OPTIONS (`--cpu-prof`), so with these the server is started as `node <the bin's
 * flags> <these> bin/parley-compiled.js`, which is what the bin's first line runs. */
const NODE_ARGS = (process.env.PARLEY_BENCH_NODE_ARGS ?? '').trim();
const PARLEY_BIN = path.join(repoRoot, 'bin/parley-compiled.js');
/**
 * How Parley's server process is started: the environment settings and node flags of its
 * bin's first line (`#!/usr/bin/env -S NAME=value node --flag ...`).
 */
interface Startup { env: Record<string, string>; flags: string[] }
const parleyStartup = async (): Promise<Startup> => {
  const words = (await readFile(PARLEY_BIN, 'utf8')).split('\n')[0].split(/\s+/);
  const env = Object.fromEntries(words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, flags: words.filter((w) => w.startsWith('--')) };
};
const TEXTS = ['where is my order', 'how much is shipping to canada', 'i want to return my shoes', 'hi there', 'can i pay with a gift card', 'my password reset link does not work'];

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
  /** Frames to open a chat and the test for "this frame answers my message". */
  open(socket: WebSocket): Promise<void>;
  send(socket: WebSocket, i: number): void;
  isReply(frame: Record<string, unknown>): boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) the process (or one of its threads) used so far, in ms: robust to a busy machine where wall time is not. */
async function cpuMs(pid: number, thread?: number): Promise<number> {
  const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const fields = (await readFile(file, 'utf8')).split(') ')[1].split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * Starts counting a server's CPU: the returned function gives the ms used since, by the whole
 * process and by its main thread apart (the event loop; what it leaves idle is headroom, or
 * time the load waited on something else).
 */
async function cpuSince(pid: number): Promise<() => Promise<{ serverCpuMs: number; mainThreadCpuMs: number }>> {
  const [all, main] = [await cpuMs(pid), await cpuMs(pid, pid)];
  return async () => ({ serverCpuMs: (await cpuMs(pid)) - all, mainThreadCpuMs: (await cpuMs(pid, pid)) - main });
}

const frames = (socket: WebSocket, on: (frame: Record<string, unknown>) => void) =>
  socket.on('message', (data) => on(JSON.parse(String(data)) as Record<string, unknown>));

/** `startup`: Parley's node flags and environment settings, for the echo measured with them. */
async function startEcho(startup?: Startup): Promise<Target> {
  const nodeFlags = startup?.flags ?? [];
  const child = spawn(process.execPath, [...nodeFlags, path.join(repoRoot, 'bench/server-echo.mjs')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...startup?.env } });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  return {
    name: nodeFlags.length ? 'bare ws echo, node flags of parley' : 'bare ws echo', url: `ws://127.0.0.1:${port}`, child,
    open: async () => {},
    send: (socket, i) => socket.send(JSON.stringify({ type: 'message', clientId: `c${i}`, text: TEXTS[i % TEXTS.length] })),
    isReply: (f) => f.type === 'message',
  };
}

/** Compiles the sources into dist/, so the server measured is the code of this checkout. */
function build(): void {
  const built = compileServer(repoRoot);
  if (built.status !== 0) throw new Error(`compiling the server failed; it cannot be measured\n${built.stdout}${built.stderr}`);
}

/** `startup`: that of the bin's first line, given again when NODE_ARGS replaces that line. */
async function startParley(dataDir: string, startup: Startup): Promise<Target> {
  const port = await freePort();
  // Executed as a program, as `npm start` and `npx parley serve` do: its first line adds the node flags.
  const [program, args, env] = NODE_ARGS
    ? [process.execPath, [...startup.flags, ...NODE_ARGS.split(/\s+/), PARLEY_BIN, 'serve'], startup.env]
    : [PARLEY_BIN, ['serve'], {}];
  const child = spawn(program, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, ...env, PORT: String(port), PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MODELS_RELOAD_MS: '0',
      // The benchmark's clients are well-behaved but fast: lift the per-connection limits.
      RATE_PER_CONNECTION: '1000', RATE_REFILL_PER_SECOND: '1000',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let i = 0; ; i++) {
    if (exited !== undefined) throw new Error(`parley server exited (code ${exited}) before it was ready`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch { /* not listening yet */ }
    if (i > 600) throw new Error('parley server did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'parley (demo models, SQLite)', url: `ws://127.0.0.1:${port}/chat`, child,
    open: (socket) => new Promise<void>((resolve, reject) => {
      const onFrame = (data: WebSocket.RawData) => {
        const f = JSON.parse(String(data));
        if (f.type === 'welcome') { socket.off('message', onFrame); resolve(); }
        if (f.type === 'error') reject(new Error(f.reason));
      };
      socket.on('message', onFrame);
      socket.send(JSON.stringify({ type: 'hello' }));
    }),
    send: (socket, i) => socket.send(JSON.stringify({ type: 'message', clientId: `c${i}-${Date.now()}`, text: TEXTS[i % TEXTS.length] })),
    isReply: (f) => f.type === 'message' && f.role === 'bot',
  };
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Opens `count` connections, a few hundred at a time so the accept queue is not the bottleneck. */
async function connectMany(target: Target, count: number, open: boolean): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, count - i) }, async () => {
      const s = await connect(target.url);
      if (open) await target.open(s);
      return s;
    }));
    sockets.push(...batch);
  }
  return sockets;
}

/**
 * Waits for every client's replies, or fails the run after `ms`: a server that stops
 * answering (a chat handed to a human, a crash) must not hang the benchmark.
 */
async function answeredInTime(target: Target, everyone: Promise<unknown>, ms: number, unanswered: () => string): Promise<void> {
  let deadline: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(new Error(`${target.name}: ${unanswered()}`)), ms);
  });
  try {
    await Promise.race([everyone, late]);
  } finally {
    clearTimeout(deadline);
  }
}

/** Every client sends `messages` messages one after another, each after the reply to the previous one. */
async function exchange(target: Target, { clients = CLIENTS, messages = MESSAGES } = {}) {
  const sockets = await connectMany(target, clients, true);
  const latencies: number[] = [];
  // Per round (the client's first message, its second, ...): the first is a burst of
  // `clients` messages at once, the later ones are spread out by the replies.
  const byRound: number[][] = Array.from({ length: messages }, () => []);
  const pid = target.child.pid!;
  const serverCpu = await cpuSince(pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  await answeredInTime(target, Promise.all(sockets.map((socket, c) => new Promise<void>((resolve) => {
    let sent = 0;
    let sentAt = 0;
    const next = () => {
      if (sent === messages) return resolve();
      sentAt = performance.now();
      target.send(socket, c * messages + sent++);
    };
    frames(socket, (f) => {
      if (!target.isReply(f)) return;
      const ms = performance.now() - sentAt;
      latencies.push(ms);
      byRound[sent - 1].push(ms);
      next();
    });
    next();
  }))), 60_000, () => `${clients * messages - latencies.length} of ${clients * messages} messages unanswered after 60 s of the closed loop`);
  const seconds = (performance.now() - started) / 1000;
  const { serverCpuMs, mainThreadCpuMs } = await serverCpu();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const rss = await rssMb(pid);
  sockets.forEach((s) => s.terminate());
  latencies.sort((a, b) => a - b);
  return {
    clients, messages: latencies.length, seconds,
    messagesPerSecond: latencies.length / seconds,
    p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99),
    rounds: byRound.map((l) => {
      l.sort((a, b) => a - b);
      return { p50ms: percentile(l, 50), p99ms: percentile(l, 99) };
    }),
    serverCpuMsPerMessage: serverCpuMs / latencies.length,
    mainThreadCpuShare: mainThreadCpuMs / (seconds * 1000),
    // The load generator shares the machine: when it is the busier process, it limits the rate.
    loadGeneratorCpuMsPerMessage: (clientCpu.user + clientCpu.system) / 1000 / latencies.length,
    rssMbUnderLoad: rss,
  };
}

/**
 * Open loop: each client sends every `clients / rate` seconds on its own schedule (the clients
 * evenly staggered), whatever the replies, for `seconds`. A reply answers the client's oldest
 * unanswered message (a conversation's turns run in order), and its latency counts from the
 * time the message was due (or sent, if earlier), so a late timer or a server that falls behind
 * shows in it rather than thinning the load.
 */
async function paced(target: Target, { clients = CLIENTS, rate = RATE, seconds = PACED_SECONDS } = {}) {
  const sockets = await connectMany(target, clients, true);
  const intervalMs = (clients / rate) * 1000;
  const perClient = Math.max(1, Math.round((seconds * 1000) / intervalMs));
  const latencies: number[] = [];
  const serverCpu = await cpuSince(target.child.pid!);
  const t0 = performance.now() + 200;
  const everyone = Promise.all(sockets.map((socket, c) => new Promise<void>((resolve) => {
    const due: number[] = [];
    const dueAt = (k: number) => t0 + (c / clients) * intervalMs + k * intervalMs;
    let sent = 0;
    let answered = 0;
    const send = () => {
      // Timers may fire up to a millisecond early: then the clock starts at the send.
      due.push(Math.min(dueAt(sent), performance.now()));
      target.send(socket, c * perClient + sent++);
      if (sent < perClient) setTimeout(send, dueAt(sent) - performance.now());
    };
    frames(socket, (f) => {
      if (!target.isReply(f)) return;
      latencies.push(performance.now() - due.shift()!);
      if (++answered === perClient) resolve();
    });
    setTimeout(send, dueAt(0) - performance.now());
  })));
  await answeredInTime(target, everyone, seconds * 1000 + 30_000, () => `${clients * perClient - latencies.length} of ${clients * perClient} messages unanswered 30 s after the open loop's end`);
  const wallSeconds = (performance.now() - t0) / 1000;
  const { serverCpuMs, mainThreadCpuMs } = await serverCpu();
  sockets.forEach((s) => s.terminate());
  latencies.sort((a, b) => a - b);
  return {
    clients, rate, messages: latencies.length, seconds: wallSeconds,
    p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1],
    serverCpuMsPerMessage: serverCpuMs / latencies.length,
    // Of one core: how busy the server was at this rate.
    serverCpuShare: serverCpuMs / (wallSeconds * 1000),
    mainThreadCpuShare: mainThreadCpuMs / (wallSeconds * 1000),
  };
}

async function idle(target: Target) {
  const before = await rssMb(target.child.pid!);
  const sockets = await connectMany(target, IDLE, true);
  await new Promise((r) => setTimeout(r, 1000));
  const after = await rssMb(target.child.pid!);
  sockets.forEach((s) => s.terminate());
  return { connections: IDLE, rssMbBefore: before, rssMbWithIdle: after, kbPerConnection: ((after - before) * 1024) / IDLE };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-server-'));
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg() };
  try {
    build();
    const stop = async (target: Target) => {
      target.child.kill('SIGTERM');
      await new Promise((r) => target.child.once('exit', r));
    };
    const startup = await parleyStartup();
    results.parleyNodeFlags = startup.flags;
    results.parleyEnvironment = startup.env;
    const starts = [() => startEcho(), () => startEcho(startup), () => startParley(dataDir, startup)];
    const targets: Target[] = [];
    type Load = Awaited<ReturnType<typeof exchange>>;
    const loads: Load[][] = [];
    try {
      for (const start of starts) targets.push(await start());
      for (const target of targets) if (WARMUP > 0) await exchange(target, { clients: WARMUP, messages: 2 });
      // The closed loops of the three servers take turns, `REPEATS` times: the host's load
      // drifts over a run, and a ratio is fair only between loops run close together.
      for (let r = 0; r < REPEATS; r++) {
        for (const [i, target] of targets.entries()) {
          (loads[i] ??= []).push(await exchange(target));
          // The server's quiet-time work (its idle collection, the checkpoint thread's end)
          // happens now, not during the next server's loop.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        }
      }
      for (const [i, target] of targets.entries()) {
        const open = await paced(target);
        const idleResult = await idle(target);
        await stop(target);
        // The idle connections once more on a fresh process: after the load, the heap has room
        // to spare that the sockets fill, and the difference understates what each one costs.
        const fresh = await starts[i]();
        let freshIdle;
        try {
          freshIdle = await idle(fresh);
        } finally {
          await stop(fresh);
        }
        const load = medianBy(loads[i], (l) => l.p99ms);
        const closedLoops = loads[i].map((l) => ({ messagesPerSecond: l.messagesPerSecond, p50ms: l.p50ms, p99ms: l.p99ms, serverCpuMsPerMessage: l.serverCpuMsPerMessage, mainThreadCpuShare: l.mainThreadCpuShare }));
        results[target.name] = { ...load, closedLoops, paced: open, idle: idleResult, idleFresh: freshIdle };
        for (const [r, l] of loads[i].entries()) {
          console.log(`${target.name}, closed loop ${r + 1}: ${l.messagesPerSecond.toFixed(0)} msg/s, p50 ${l.p50ms.toFixed(1)} ms, p99 ${l.p99ms.toFixed(1)} ms (per round p50/p99: ${l.rounds.map((x) => `${x.p50ms.toFixed(0)}/${x.p99ms.toFixed(0)}`).join(', ')}), server CPU ${(l.serverCpuMsPerMessage * 1000).toFixed(0)} µs/msg (main thread ${(l.mainThreadCpuShare * 100).toFixed(0)}% busy; load generator ${(l.loadGeneratorCpuMsPerMessage * 1000).toFixed(0)}), RSS ${l.rssMbUnderLoad.toFixed(0)} MB`);
        }
        console.log(`${target.name}: ${IDLE} idle after the load: ${idleResult.rssMbWithIdle.toFixed(0)} MB; on a fresh process ${freshIdle.rssMbBefore.toFixed(0)} -> ${freshIdle.rssMbWithIdle.toFixed(0)} MB (${freshIdle.kbPerConnection.toFixed(1)} KB/conn)`);
        console.log(`${target.name}, open loop at ${open.rate} msg/s: p50 ${open.p50ms.toFixed(2)} ms, p99 ${open.p99ms.toFixed(2)} ms, max ${open.maxMs.toFixed(1)} ms, ${open.messages} messages in ${open.seconds.toFixed(1)} s, server CPU ${(open.serverCpuMsPerMessage * 1000).toFixed(0)} µs/msg (${(open.serverCpuShare * 100).toFixed(0)}% of a core; main thread ${(open.mainThreadCpuShare * 100).toFixed(0)}%)`);
      }
    } finally {
      for (const target of targets) if (target.child.exitCode === null && target.child.signalCode === null) await stop(target);
    }
    type Idle = { rssMbWithIdle: number; kbPerConnection: number };
    type Measured = { messagesPerSecond: number; p99ms: number; paced: { p50ms: number; p99ms: number }; idle: Idle; idleFresh: Idle };
    const bare = results['bare ws echo'] as Measured;
    const bareFlagged = results['bare ws echo, node flags of parley'] as Measured;
    const parley = results['parley (demo models, SQLite)'] as Measured;
    const [echoLoops, , parleyLoops] = loads;
    const p99VersusEchoPerLoop = parleyLoops.map((l, r) => l.p99ms / echoLoops[r].p99ms);
    results.ratios = {
      // Each of Parley's closed loops against the echo's of the same repeat; the median of them.
      p99VersusEcho: medianBy(p99VersusEchoPerLoop, (x) => x),
      p99VersusEchoPerLoop,
      pacedP99VersusEcho: parley.paced.p99ms / bare.paced.p99ms,
      idleRssVersusEcho: parley.idle.rssMbWithIdle / bare.idle.rssMbWithIdle,
      freshIdleRssVersusEcho: parley.idleFresh.rssMbWithIdle / bare.idleFresh.rssMbWithIdle,
      perIdleConnectionVersusEcho: parley.idleFresh.kbPerConnection / bare.idleFresh.kbPerConnection,
      // The targets are against the bare server as it comes; against one given the same flags:
      idleRssVersusFlaggedEcho: parley.idle.rssMbWithIdle / bareFlagged.idle.rssMbWithIdle,
      freshIdleRssVersusFlaggedEcho: parley.idleFresh.rssMbWithIdle / bareFlagged.idleFresh.rssMbWithIdle,
      targets: { messagesPerSecond: '>= 2000', p99VersusEcho: '<= 3', idleRssVersusEcho: '<= 1.5' },
    };
    console.table({
      'messages/s': { echo: bare.messagesPerSecond.toFixed(0), 'echo, flags': bareFlagged.messagesPerSecond.toFixed(0), parley: parley.messagesPerSecond.toFixed(0) },
      'p99 ms': { echo: bare.p99ms.toFixed(1), 'echo, flags': bareFlagged.p99ms.toFixed(1), parley: parley.p99ms.toFixed(1) },
      [`p50 ms at ${RATE}/s`]: { echo: bare.paced.p50ms.toFixed(2), 'echo, flags': bareFlagged.paced.p50ms.toFixed(2), parley: parley.paced.p50ms.toFixed(2) },
      [`p99 ms at ${RATE}/s`]: { echo: bare.paced.p99ms.toFixed(2), 'echo, flags': bareFlagged.paced.p99ms.toFixed(2), parley: parley.paced.p99ms.toFixed(2) },
      'RSS with idle MB': { echo: bare.idle.rssMbWithIdle.toFixed(0), 'echo, flags': bareFlagged.idle.rssMbWithIdle.toFixed(0), parley: parley.idle.rssMbWithIdle.toFixed(0) },
      'RSS with idle MB, fresh': { echo: bare.idleFresh.rssMbWithIdle.toFixed(0), 'echo, flags': bareFlagged.idleFresh.rssMbWithIdle.toFixed(0), parley: parley.idleFresh.rssMbWithIdle.toFixed(0) },
      'KB per idle connection': { echo: bare.idleFresh.kbPerConnection.toFixed(1), 'echo, flags': bareFlagged.idleFresh.kbPerConnection.toFixed(1), parley: parley.idleFresh.kbPerConnection.toFixed(1) },
    });
    console.log('ratios', results.ratios);
    // Other work on the machine skews every number: the load at the end belongs with them too.
    results.loadAverageAfter = os.loadavg();
    await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
    await writeFile(path.join(repoRoot, 'bench/results/server.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
