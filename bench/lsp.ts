/**
 * Measures the bundled language server (dist/server.cjs) through its real stdio protocol, as an editor
 * would drive it: index a workspace, open the 4,000-row register, then one-line edits, timed from the
 * didChange notification to the publishDiagnostics of that version, and to the codeLens answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serverEnv } from '../client/src/serverEnv.js';
import {
  CodeLensRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type CodeLens,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { log, quantile, residentParts, rng, rssKb, sleep } from './util.js';
import { withTimeout } from '../server/src/node/timeout.js';

export interface LspOptions {
  serverBin: string;
  /** Workspace folder (absolute OS path). */
  root: string;
  /** The document to edit (absolute OS path): the 4,000-row register. */
  docPath: string;
  today: string;
  /** Timed edits per series. */
  edits: number;
  /** Edits of the memory run. */
  memoryEdits: number;
  /** Pause between timed edits (ms): each is a single edit after a moment of calm, as when a person edits. */
  pauseMs: number;
  /** Edits timed after a pause longer than the server's idle release (its first edit after the user paused). */
  pausedEdits: number;
  /** That pause (ms). */
  longPauseMs: number;
}

export interface LspResult {
  indexMs: number;
  indexedFiles: number;
  /** RSS (MB) after the workspace was indexed. */
  rssAfterIndexMb: number;
  /** RSS (MB) after opening the register and its first lint. */
  rssAfterOpenMb: number;
  /** RSS (MB) after the memory run's edits. */
  rssAfterEditsMb: number;
  openToDiagnosticsMs: number;
  diagnosticsCount: number;
  diagnosticsMs: number[];
  lensMs: number[];
  /** Edit → its diagnostics, each after a long pause (the server released its cells, cached JSON and diagnostics). */
  afterPauseMs: number[];
  lensCount: number;
  memoryEdits: number;
  memoryRunMs: number;
  /** RSS (MB) every tenth of the memory run: a plateau, not a climb, is what matters. */
  rssSamplesMb: number[];
  /** The RSS after indexing and after the edits, split into anonymous memory and mapped files (Linux). */
  residentAfterIndex: { anonMb: number; fileMb: number } | undefined;
  residentAfterEdits: { anonMb: number; fileMb: number } | undefined;
}

type Waiter = { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void };

/**
 * For investigations, after indexing, after opening the register and after the edits:
 * - BENCH_SERVER_SNAPSHOTS=N (with BENCH_SERVER_NODE_ARGS=--heapsnapshot-signal=SIGUSR2): the server writes
 *   a heap snapshot into its working directory; the bench waits N seconds for each (a snapshot of the
 *   edited server takes tens of seconds to write);
 * - BENCH_SERVER_SMAPS=DIR: the server's memory map (/proc/PID/smaps, Linux) is copied to DIR/<when>.smaps.
 */
async function snapshot(client: Client, when: string): Promise<void> {
  const smaps = process.env.BENCH_SERVER_SMAPS;
  if (smaps && client.proc.pid !== undefined) {
    try {
      fs.mkdirSync(smaps, { recursive: true });
      fs.writeFileSync(join(smaps, `${when}.smaps`), fs.readFileSync(`/proc/${client.proc.pid}/smaps`));
    } catch (e) {
      log(`no memory map: ${(e as Error).message}`);
    }
  }
  if (!process.env.BENCH_SERVER_SNAPSHOTS) return;
  client.proc.kill('SIGUSR2');
  log(`heap snapshot requested (${when})`);
  await sleep(Number(process.env.BENCH_SERVER_SNAPSHOTS) * 1000 || 30_000);
}

class Client {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly logs: string[] = [];
  private waiters: Waiter[] = [];
  private logWaiters: { re: RegExp; resolve: (m: string) => void }[] = [];
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  stderr = '';

  constructor(serverBin: string, settings: Record<string, unknown>) {
    // BENCH_SERVER_NODE_ARGS: extra node flags for the server (e.g. --cpu-prof), for investigations.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // The environment the VS Code extension starts the server with (client/src/serverEnv.ts).
    this.proc = spawn(process.execPath, [...nodeArgs, serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnv(process.env) });
    this.proc.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d.toString();
    });
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || (p.version !== undefined && p.version < w.version)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      this.logWaiters = this.logWaiters.filter((w) => {
        if (!w.re.test(p.message)) return true;
        w.resolve(p.message);
        return false;
      });
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'readiness' ? settings : null)));
    this.conn.onRequest(RegistrationRequest.type, () => undefined);
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.conn.listen();
  }

  /** The first publishDiagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version: number, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && (have.version === undefined || have.version >= version)) return Promise.resolve(have);
    return withTimeout(
      new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ uri, version, resolve })),
      timeoutMs,
      () => `diagnostics of ${uri} version ${version} (last published: ${this.latest.get(uri)?.version})\n${this.stderr}\n${this.logs.slice(-5).join('\n')}`,
    );
  }

  logged(re: RegExp, timeoutMs: number): Promise<string> {
    const have = this.logs.find((m) => re.test(m));
    if (have) return Promise.resolve(have);
    return withTimeout(new Promise<string>((resolve) => this.logWaiters.push({ re, resolve })), timeoutMs, () => `a log line matching ${re}\n${this.stderr}`);
  }

  rssMb(): number {
    return (rssKb(this.proc.pid) ?? NaN) / 1024;
  }

  /**
   * The RSS once the server is calm: after its idle collection (1 s after the last work) and after V8 has
   * handed the freed pages back, which it does in the background; read too early, the figure depends on
   * where that happened to be (30 MB apart between two sessions). Waits at least 2.5 s, then until three
   * readings 250 ms apart agree within 0.5 MB (at most 15 s).
   */
  async settledRssMb(): Promise<number> {
    await sleep(2500);
    const readings = [this.rssMb()];
    const started = performance.now();
    while (performance.now() - started < 12_500) {
      await sleep(250);
      readings.push(this.rssMb());
      const last = readings.slice(-3);
      if (last.length === 3 && Math.max(...last) - Math.min(...last) < 0.5) break;
    }
    return readings[readings.length - 1]!;
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.conn.sendRequest(ShutdownRequest.type), 10_000, () => 'shutdown');
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      /* killed below */
    }
    await sleep(200);
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}


/** Lines of the register's table rows and the column of their S cell (the third cell). */
function editableCells(text: string): { line: number; start: number; end: number; value: string }[] {
  const out: { line: number; start: number; end: number; value: string }[] = [];
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const t = lines[l]!;
    if (!/^\| G-\d+ \|/.test(t)) continue;
    // | ID | Gap | S | ...: the S value sits after the third pipe.
    let p = -1;
    for (let k = 0; k < 3; k++) p = t.indexOf('|', p + 1);
    const start = p + 2;
    const end = t.indexOf(' ', start);
    out.push({ line: l, start, end, value: t.slice(start, end) });
  }
  return out;
}

export async function benchServer(o: LspOptions): Promise<LspResult> {
  const settings = { enable: true, today: o.today };
  const client = new Client(o.serverBin, settings);
  const rootUri = pathToFileURL(o.root).href;
  try {
    const indexStart = performance.now();
    await withTimeout(
      client.conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'bench' }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: false } },
          textDocument: {
            publishDiagnostics: { relatedInformation: true, versionSupport: true },
            codeLens: {},
            synchronization: { dynamicRegistration: false },
          },
        },
        initializationOptions: { settings },
      }),
      30_000,
      () => 'initialize',
    );
    await client.conn.sendNotification(InitializedNotification.type, {});
    const indexed = await client.logged(/Indexed \d+ Markdown file/, 5 * 60_000);
    const indexMs = performance.now() - indexStart;
    const indexedFiles = Number(/Indexed (\d+)/.exec(indexed)![1]);
    const rssAfterIndexMb = await client.settledRssMb();
    const residentAfterIndex = residentParts(client.proc.pid);
    await snapshot(client, 'indexed');
    log(`server indexed ${indexedFiles} files in ${Math.round(indexMs)} ms; RSS ${rssAfterIndexMb.toFixed(0)} MB`);

    // Open the register.
    const uri = pathToFileURL(o.docPath).href;
    let text = fs.readFileSync(o.docPath, 'utf8');
    let version = 1;
    let t0 = performance.now();
    await client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version, text } });
    const first = await client.diagnostics(uri, version);
    const openToDiagnosticsMs = performance.now() - t0;
    const rssAfterOpenMb = await client.settledRssMb();
    await snapshot(client, 'opened');

    const cells = editableCells(text);
    if (cells.length < 100) throw new Error(`the register has ${cells.length} editable rows; expected thousands`);
    const random = rng(7);
    const lines = text.split('\n');
    /** One-line edit: the S value of a random row becomes another number from 1 to 10. */
    const edit = () => {
      const c = cells[Math.floor(random() * cells.length)]!;
      const lineText = lines[c.line]!;
      const old = lineText.slice(c.start, lineText.indexOf(' ', c.start));
      let v = String(1 + Math.floor(random() * 10));
      if (v === old) v = String((Number(old) % 10) + 1);
      lines[c.line] = lineText.slice(0, c.start) + v + lineText.slice(c.start + old.length);
      version++;
      return {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: c.line, character: c.start }, end: { line: c.line, character: c.start + old.length } }, text: v }],
      };
    };

    // Warm-up: a few edits, not timed.
    for (let i = 0; i < 5; i++) {
      await client.conn.sendNotification(DidChangeTextDocumentNotification.type, edit());
      await client.diagnostics(uri, version);
      await sleep(o.pauseMs);
    }

    // 1. Edit → published diagnostics of that version.
    const diagnosticsMs: number[] = [];
    for (let i = 0; i < o.edits; i++) {
      const params = edit();
      t0 = performance.now();
      await client.conn.sendNotification(DidChangeTextDocumentNotification.type, params);
      await client.diagnostics(uri, version);
      diagnosticsMs.push(performance.now() - t0);
      await sleep(o.pauseMs);
    }
    log(`edit → diagnostics: median ${quantile(diagnosticsMs, 0.5).toFixed(1)} ms, p95 ${quantile(diagnosticsMs, 0.95).toFixed(1)} ms`);

    // 2. Edit → code lenses (the editor asks for them right after the change).
    const lensMs: number[] = [];
    let lensCount = 0;
    for (let i = 0; i < o.edits; i++) {
      const params = edit();
      t0 = performance.now();
      await client.conn.sendNotification(DidChangeTextDocumentNotification.type, params);
      const lenses = (await withTimeout(client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), 60_000, () => 'codeLens')) as CodeLens[] | null;
      lensMs.push(performance.now() - t0);
      lensCount = lenses?.length ?? 0;
      await sleep(o.pauseMs);
    }
    log(`edit → code lenses: median ${quantile(lensMs, 0.5).toFixed(1)} ms, p95 ${quantile(lensMs, 0.95).toFixed(1)} ms`);
    // READINESS_TRACE=1 (inherited by the server): where the server's time went, median per phase.
    const traced = (from: number, what: string) => {
      const traces = client.logs.slice(from).filter((m) => m.startsWith('trace ') && m.includes(uri));
      if (!traces.length) return;
      const phase = (name: string) => quantile(traces.map((m) => Number(new RegExp(`${name} ([\\d.]+) ms`).exec(m)?.[1])).filter((x) => !Number.isNaN(x)), 0.5).toFixed(1);
      log(`server, median of ${traces.length} lints${what}: build ${phase('build')} ms, index ${phase('index')} ms, rules ${phase('rules')} ms, diagnostics ${phase('diagnostics')} ms`);
      const sent = traces.filter((m) => m.includes(' sent '));
      const at = (re: RegExp) => quantile(sent.map((m) => Number(re.exec(m)?.[1])).filter((x) => !Number.isNaN(x)), 0.5).toFixed(1);
      if (sent.length) log(`server, median of ${sent.length} publications${what}: queued ${at(/queued at ([\d.]+) ms/)} ms, written ${at(/sent ([\d.]+) ms/)} ms after the change arrived`);
    };
    traced(0, '');
    // 3. Edit after a pause longer than the idle release (1 s of calm): the server let go of the register's
    // cells, its cached JSON and its diagnostics, and reads or makes them again for this edit.
    const afterPauseMs: number[] = [];
    const logsBeforePauses = client.logs.length;
    for (let i = 0; i < o.pausedEdits; i++) {
      await sleep(o.longPauseMs);
      const params = edit();
      t0 = performance.now();
      await client.conn.sendNotification(DidChangeTextDocumentNotification.type, params);
      await client.diagnostics(uri, version);
      afterPauseMs.push(performance.now() - t0);
    }
    if (afterPauseMs.length) log(`edit after a pause → diagnostics: median ${quantile(afterPauseMs, 0.5).toFixed(1)} ms, p95 ${quantile(afterPauseMs, 0.95).toFixed(1)} ms`);
    traced(logsBeforePauses, ' after a pause');
    // Let any lint the lens series left pending finish.
    await sleep(1000);

    // 4. Memory: many edits, as typing does (bursts, then the diagnostics of the last one).
    const memStart = performance.now();
    const rssSamplesMb: number[] = [];
    const every = Math.max(1, Math.floor(o.memoryEdits / 10));
    for (let i = 0; i < o.memoryEdits; i++) {
      const params = edit();
      void client.conn.sendNotification(DidChangeTextDocumentNotification.type, params);
      if (i % 50 === 49) await client.diagnostics(uri, version, 120_000);
      if (i % every === every - 1) rssSamplesMb.push(Math.round(client.rssMb()));
    }
    await client.diagnostics(uri, version, 120_000);
    const memoryRunMs = performance.now() - memStart;
    const rssAfterEditsMb = await client.settledRssMb();
    const residentAfterEdits = residentParts(client.proc.pid);
    if (residentAfterIndex && residentAfterEdits) {
      const mb = (p: { anonMb: number; fileMb: number }) => `anonymous ${p.anonMb.toFixed(1)} MB + files ${p.fileMb.toFixed(1)} MB`;
      log(`RSS after indexing: ${mb(residentAfterIndex)}; after the edits: ${mb(residentAfterEdits)}`);
    }
    await snapshot(client, 'edited');
    log(`${o.memoryEdits} edits in ${Math.round(memoryRunMs)} ms; RSS ${rssAfterEditsMb.toFixed(0)} MB (after indexing ${rssAfterIndexMb.toFixed(0)} MB)`);
    for (const m of client.logs.filter((l) => l.startsWith('trace idle collection'))) log(m);

    return {
      indexMs,
      indexedFiles,
      rssAfterIndexMb,
      rssAfterOpenMb,
      rssAfterEditsMb,
      openToDiagnosticsMs,
      diagnosticsCount: first.diagnostics.length,
      diagnosticsMs,
      lensMs,
      afterPauseMs,
      lensCount,
      memoryEdits: o.memoryEdits,
      memoryRunMs,
      rssSamplesMb,
      residentAfterIndex,
      residentAfterEdits,
    };
  } finally {
    await client.stop();
  }
}
