/** Small helpers of the benchmark: statistics, child processes, memory, the machine. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder above out/ (compiled) or above bench/ (source). */
export const REPO = (() => {
  let d = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'tsconfig.json'))) return d;
    d = path.dirname(d);
  }
  return process.cwd();
})();

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Quantile by linear interpolation between closest ranks (q in [0, 1]). */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export interface RunResult {
  ms: number;
  /** CPU time (user + system) of a node child run through runNode; undefined otherwise. */
  cpuMs: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set of the child in KB, when /usr/bin/time-like data is unavailable: undefined. */
  maxRssKb: number | undefined;
}

/** Runs a command to completion and measures its wall time (spawn to exit). */
export function run(cmd: string, args: readonly string[], cwd: string, keepStdout = false, timeoutMs = 15 * 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let maxRssKb: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      if (keepStdout) stdout += d.toString();
    });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => {
      const s = d.toString();
      if (stderr.length < 64 * 1024) stderr += s;
      tail = (tail + s).slice(-4096);
    });
    // Sample the child's RSS while it runs (Linux); the peak is reported.
    const sampler = setInterval(() => {
      const kb = rssKb(child.pid);
      if (kb !== undefined) maxRssKb = Math.max(maxRssKb ?? 0, kb);
    }, 200);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearInterval(sampler);
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(timer);
      const m = /BENCH_CPU_MS=([\d.]+)/.exec(tail);
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: m ? Number(m[1]) : undefined, code, stdout, stderr, maxRssKb });
    });
  });
}

let preload: string | undefined;

/**
 * Runs a node script and also reports its CPU time (user + system), which other work on a shared
 * machine disturbs much less than the wall time: a preloaded hook prints it when the process exits.
 */
export function runNode(script: string, args: readonly string[], cwd: string, keepStdout = false, timeoutMs?: number): Promise<RunResult> {
  if (!preload) {
    preload = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-bench-cpu-')), 'cpu.cjs');
    fs.writeFileSync(
      preload,
      "process.on('exit', () => { const u = process.cpuUsage(); try { require('fs').writeSync(2, '\\nBENCH_CPU_MS=' + ((u.user + u.system) / 1000).toFixed(1) + '\\n'); } catch {} });\n",
    );
  }
  return run(process.execPath, ['--require', preload, script, ...args], cwd, keepStdout, timeoutMs);
}

/** `kB` fields of a process's /proc status (Linux), in KB, read at once; undefined when one is unknown. */
function statusKb(pid: number | undefined, fields: readonly string[]): number[] | undefined {
  if (pid === undefined) return undefined;
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const values = fields.map((f) => new RegExp(`^${f}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1]);
  return values.every((v) => v !== undefined) ? values.map(Number) : undefined;
}

/** Resident set size of a process in KB (Linux /proc); undefined when unknown. */
export function rssKb(pid: number | undefined): number | undefined {
  return statusKb(pid, ['VmRSS'])?.[0];
}

/**
 * A process's resident memory split as Linux counts it (MB): anonymous pages (the heap, malloc) and pages
 * of mapped files (the node binary's code as it is paged in). Undefined where /proc has no such lines.
 */
export function residentParts(pid: number | undefined): { anonMb: number; fileMb: number } | undefined {
  const kb = statusKb(pid, ['RssAnon', 'RssFile']);
  return kb ? { anonMb: kb[0]! / 1024, fileMb: kb[1]! / 1024 } : undefined;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  loadAverage: number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A deterministic pseudo-random generator (the benchmark must not depend on Math.random). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}
