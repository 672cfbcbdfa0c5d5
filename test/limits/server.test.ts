/**
 * The bundled language server (dist/server.cjs over stdio) against a hostile client: broken frames
 * and JSON, requests for unknown documents, out-of-range and malformed positions, unknown methods,
 * a document over maxFileSize. It answers each request (a result or an LSP error) and stays up.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVER = join(REPO, 'dist', 'server.cjs');
const GUARD_MS = 10_000;

/** A raw JSON-RPC client: frames are written by hand, so broken ones can be too. */
class Raw {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, (m: Record<string, unknown>) => void>();
  readonly notifications: Record<string, unknown>[] = [];
  private notificationWaiters: Array<{ pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  stderr = '';

  constructor(readonly proc: ChildProcess) {
    proc.stdout!.on('data', (d: Buffer) => this.onData(d));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, head).toString());
      const len = Number(m?.[1] ?? 0);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString()) as Record<string, unknown>;
      this.buf = this.buf.subarray(head + 4 + len);
      if (typeof msg.id === 'number' && !('method' in msg)) this.pending.get(msg.id)?.(msg);
      else if ('method' in msg && 'id' in msg) this.write({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [{}] : null });
      else {
        this.notifications.push(msg);
        this.notificationWaiters = this.notificationWaiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
      }
    }
  }

  writeRaw(s: string | Buffer): void {
    this.proc.stdin!.write(s);
  }

  write(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.writeRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  request(method: string, params: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const p = new Promise<Record<string, unknown>>((resolve) => this.pending.set(id, resolve));
    this.write({ jsonrpc: '2.0', id, method, params });
    return guard(p, `${method} (${JSON.stringify(params)?.slice(0, 120)})\n${this.stderr}`);
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  notification(pred: (m: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    const have = this.notifications.find(pred);
    if (have) return Promise.resolve(have);
    return guard(new Promise((resolve) => this.notificationWaiters.push({ pred, resolve })), what);
  }
}

function guard<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${GUARD_MS} ms: ${what}`)), GUARD_MS);
    p.then((v) => (clearTimeout(t), resolve(v)), (e) => (clearTimeout(t), reject(e)));
  });
}

describe('language server over stdio against a hostile client', () => {
  let root: string;
  let c: Raw;
  let uri: string;

  before(async () => {
    root = fs.mkdtempSync(join(fs.realpathSync(os.tmpdir()), 'readiness-hostile-'));
    fs.mkdirSync(join(root, 'docs'));
    fs.writeFileSync(join(root, '.readiness.yaml'), 'today: 2026-06-01\nmaxFileSize: 2000\n');
    uri = pathToFileURL(join(root, 'docs', 'GAP_REGISTER.md')).href;
    c = new Raw(spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const rootUri = pathToFileURL(root).href;
    const init = await c.request('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'h' }], capabilities: {} });
    assert.ok(init.result);
    c.notify('initialized', {});
  });

  after(() => {
    if (c?.proc.exitCode === null) c.proc.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('survives broken frames and broken JSON', async () => {
    c.writeRaw('Content-Length: 7\r\n\r\n{broken');
    c.writeRaw('Content-Length: 2\r\n\r\n[]');
    c.writeRaw('Content-Length: 4\r\n\r\nnull');
    c.write({ jsonrpc: '2.0', id: 'weird-id', method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } });
    c.write({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: 'not an object' });
    c.write({ jsonrpc: '2.0', id: 99999, result: 'an answer nobody asked for' });
    const r = await c.request('textDocument/codeLens', { textDocument: { uri: 'file:///nowhere.md' } });
    assert.deepEqual(r.result, []);
    assert.equal(c.proc.exitCode, null);
  });

  it('answers unknown documents, bad positions, malformed params and unknown methods', async () => {
    const cases: Array<[string, unknown, 'result' | 'error']> = [
      ['textDocument/hover', { textDocument: { uri: 'file:///nowhere.md' }, position: { line: 1e9, character: 1e9 } }, 'result'],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }, 'error'],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 0.5, character: 0 } }, 'error'],
      ['textDocument/definition', { textDocument: { uri }, position: 'here' }, 'error'],
      ['textDocument/definition', { textDocument: {} }, 'error'],
      ['textDocument/codeAction', { textDocument: { uri }, range: 'all', context: {} }, 'error'],
      ['textDocument/codeLens', null, 'error'],
      ['textDocument/codeLens', [1, 2], 'error'],
      ['textDocument/diagnostic', { textDocument: { uri: 42 } }, 'error'],
      ['readiness/unknown', {}, 'error'],
    ];
    for (const [method, params, want] of cases) {
      const r = await c.request(method, params);
      assert.ok(want in r, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r)}`);
      // InvalidParams from our handlers, MethodNotFound; null params never reach them: the protocol
      // library reads params.workDoneToken first and answers InternalError itself.
      const allowed = params === null ? [-32603] : [-32602, -32601];
      if (want === 'error') assert.ok(allowed.includes((r.error as { code: number }).code), JSON.stringify(r));
    }
    assert.equal(c.proc.exitCode, null);
  });

  it('gives a document over maxFileSize one diagnostic instead of a lint, then lints it once it is small', async () => {
    const big = `# Gap Register\n\n| ID | Gap | S | O | D | RPN |\n|---|---|---|---|---|---|\n${'| G-001 | x | 2 | 2 | 2 | 9 |\n'.repeat(100)}`;
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: big } });
    const p1 = await c.notification((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string; version?: number }).uri === uri && (m.params as { version?: number }).version === 1, 'diagnostics v1');
    const d1 = (p1.params as { diagnostics: { code: string }[] }).diagnostics;
    assert.deepEqual(d1.map((d) => d.code), ['RD091']);
    const small = '# Gap Register\n\n| ID | Gap | S | O | D | RPN |\n|---|---|---|---|---|---|\n| G-001 | x | 2 | 2 | 2 | 9 |\n';
    c.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: small }] });
    const p2 = await c.notification((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { version?: number }).version === 2, 'diagnostics v2');
    const d2 = (p2.params as { diagnostics: { code: string }[] }).diagnostics;
    assert.ok(d2.some((d) => d.code === 'RD002'), JSON.stringify(d2));
  });

  it('shuts down cleanly after all that', async () => {
    const r = await c.request('shutdown', null);
    assert.ok('result' in r);
    const exited = new Promise<number | null>((resolve) => c.proc.once('exit', (code) => resolve(code)));
    c.notify('exit', null);
    assert.equal(await guard(exited, 'exit'), 0);
  });
});
