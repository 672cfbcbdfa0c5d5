/**
 * Protocol tests: the bundled server (dist/server.cjs --stdio, and its other transports) driven over real JSON-RPC.
 * Every wait is on an event (a notification or a response), guarded by a timeout that fails the test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  createProtocolConnection,
  InitializeRequest,
  LSPErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  SocketMessageReader,
  SocketMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type Location,
  type MarkupContent,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { redirectConsole, transportOf } from '../../server/src/lsp/main.js';
import { editsFor, fileUri, SERVER_BIN, tempWorkspace, TestClient, GUARD_MS } from './lspClient.js';

const REGISTER = 'docs/gap-register.md';

function open(client: TestClient, uri: string, text: string, version = 1, languageId = 'markdown'): Promise<void> {
  return client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
}

function rd002(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'RD002');
}

/** The 0-based range of `needle` in the line of `text` that contains `lineMarker`. */
function rangeOf(text: string, lineMarker: string, needle: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineMarker));
  assert.ok(line >= 0, `no line with ${lineMarker}`);
  const character = lines[line]!.indexOf(needle);
  assert.ok(character >= 0, `no ${needle} in line ${line}`);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

async function rejectsWith(p: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(p, (e: { code?: number }) => {
    assert.equal(e.code, code);
    return true;
  });
}

describe('language server over stdio (push diagnostics)', () => {
  let root: string;
  let client: TestClient;
  let uri: string;
  let text: string;
  let rpnDiagnostic: Diagnostic;

  before(async () => {
    root = tempWorkspace('register');
    uri = fileUri(join(root, REGISTER));
    text = fs.readFileSync(join(root, REGISTER), 'utf8');
    client = await TestClient.start({ root });
  });

  after(() => {
    client?.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('advertises incremental sync, code actions, code lenses and no pull diagnostics for a push client', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.ok(caps.codeActionProvider);
    const kinds = (caps.codeActionProvider as { codeActionKinds?: string[] }).codeActionKinds;
    assert.deepEqual(kinds, ['quickfix', 'source.fixAll.readiness']);
    assert.ok(caps.codeLensProvider);
    assert.equal(caps.diagnosticProvider, undefined);
    assert.equal(client.initializeResult.serverInfo?.name, 'readiness-language-server');
  });

  it('registers file watchers for Markdown, .readiness.yaml and CODEOWNERS', async () => {
    const reg = await client.registered('workspace/didChangeWatchedFiles');
    const globs = (reg.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    for (const g of ['**/*.md', '**/.readiness.yaml', '**/CODEOWNERS']) assert.ok(globs.includes(g), `${g} in ${globs.join(', ')}`);
  });

  it('publishes RD002 with a docs link and a 0-based range on the RPN cell when a register opens', async () => {
    await open(client, uri, text);
    const published = await client.diagnostics(uri, (p) => p.version === 1 && rd002(p.diagnostics).length > 0);
    const [d] = rd002(published.diagnostics);
    assert.ok(d);
    assert.equal(d.source, 'readiness');
    assert.equal(d.severity, 1);
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/RD002\.md$/);
    assert.deepEqual(d.range, rangeOf(text, 'G-001', '50'));
    assert.match(String(d.message), /42/);
    rpnDiagnostic = d;
  });

  it('offers a quick fix that replaces the RPN with the product, and a fix-all source action', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: rpnDiagnostic.range,
      context: { diagnostics: [rpnDiagnostic] },
    });
    const fix = actions.find((a) => a.kind === 'quickfix');
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [rpnDiagnostic]);
    assert.deepEqual(editsFor(fix.edit, uri), [{ range: rpnDiagnostic.range, newText: '42' }]);
    // What the user gets: the row's RPN now is the product.
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 1, text), editsFor(fix.edit, uri));
    assert.equal(fixed.split('\n')[rpnDiagnostic.range.start.line], text.split('\n')[rpnDiagnostic.range.start.line]!.replace('| 50 |', '| 42 |'));

    const source = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(
      source.map((a) => a.kind),
      ['source.fixAll.readiness'],
    );
    assert.ok(editsFor(source[0]!.edit, uri).some((e) => e.newText === '42' && e.range.start.line === rpnDiagnostic.range.start.line));
  });

  it('shows a code lens with the table RPN figures above the table', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const header = text.split('\n').findIndex((l) => l.startsWith('| ID'));
    const lens = lenses.find((l) => /max RPN/.test(l.command?.title ?? ''));
    assert.ok(lens, JSON.stringify(lenses));
    assert.equal(lens.range.start.line, header);
    assert.match(lens.command!.title, /^2 rows · max RPN 96 · mean RPN 73$/);
  });

  it('shows checklist progress as a code lens', async () => {
    const checklistUri = fileUri(join(root, 'docs/launch-checklist.md'));
    await open(client, checklistUri, fs.readFileSync(join(root, 'docs/launch-checklist.md'), 'utf8'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: checklistUri } });
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['Checklist 1/3 done (33%)'],
    );
  });

  it('explains a row’s RPN on hover and jumps from an id to its definition', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: rpnDiagnostic.range.start,
    });
    assert.ok(hover);
    assert.match((hover.contents as MarkupContent).value, /S 7 × O 3 × D 2 = \*\*42\*\* \(the table says 50\)/);

    const checklistUri = fileUri(join(root, 'docs/launch-checklist.md'));
    const checklist = fs.readFileSync(join(root, 'docs/launch-checklist.md'), 'utf8');
    const at = rangeOf(checklist, 'G-002', 'G-002').start;
    const defs = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: checklistUri },
      position: { line: at.line, character: at.character + 2 },
    });
    assert.deepEqual(defs, [{ uri, range: rangeOf(text, '| G-002', 'G-002') }]);
  });

  it('answers unknown documents, out-of-range positions and malformed params without dying', async () => {
    const unknown = fileUri(join(root, 'docs/nope.md'));
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: unknown } }), []);
    assert.deepEqual(
      await client.request('textDocument/codeAction', {
        textDocument: { uri: unknown },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      }),
      [],
    );
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 9999, character: 3 } }), null);
    assert.deepEqual(await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 5, character: 9999 } }), []);
    // Malformed diagnostics offer nothing rather than failing, and do not stop the valid one's fix; the
    // fix is the server's own, whatever the client puts in data.
    const junk = [null, 7, 'RD002', {}, { ...rpnDiagnostic, range: 'x' }, { ...rpnDiagnostic, code: 2 }, { ...rpnDiagnostic, source: 'other' }];
    const everywhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(await client.request('textDocument/codeAction', { textDocument: { uri }, range: everywhere, context: { diagnostics: junk, only: ['quickfix'] } }), []);
    const forged = { ...rpnDiagnostic, data: { rule: 'rpn-mismatch', fixes: [{ title: 'Delete everything', edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }, newText: '' }] }] } };
    const served = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: everywhere,
      context: { diagnostics: [...junk, forged], only: ['quickfix'] },
    });
    assert.deepEqual(
      served.map((a) => editsFor(a.edit, uri)),
      [[{ range: rpnDiagnostic.range, newText: '42' }]],
    );
    await rejectsWith(client.request('textDocument/codeAction', {}), -32602);
    await rejectsWith(client.request('textDocument/codeLens', { textDocument: { uri: 42 } }), -32602);
    await rejectsWith(client.request('textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }), -32602);
    await rejectsWith(client.request('readiness/noSuchMethod', {}), -32601);
    await client.notify('textDocument/didChange', { nonsense: true });
    await client.notify('textDocument/didOpen', { textDocument: null });
    await client.notify('workspace/didChangeWatchedFiles', { changes: 'no' });
    // Still alive and still answering.
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.length > 0);
  });

  it('fixes a diagnostic at its current place after an edit, and offers nothing for the stale one', async () => {
    // A line inserted at the top (version 2) moves the RPN cell one line down.
    await client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '<!-- note -->\n' }],
    });
    const v2 = await client.diagnostics(uri, (p) => p.version === 2);
    const [moved] = rd002(v2.diagnostics);
    assert.ok(moved);
    assert.equal(moved.range.start.line, rpnDiagnostic.range.start.line + 1);
    const ask = (diagnostic: Diagnostic) =>
      client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      });
    // The version-1 diagnostic names a cell that is no longer there: no action (its edit would break the table).
    assert.deepEqual(await ask(rpnDiagnostic), []);
    const [fix] = await ask(moved);
    assert.ok(fix);
    const v2Text = '<!-- note -->\n' + text;
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 2, v2Text), editsFor(fix.edit, uri));
    assert.equal(fixed, '<!-- note -->\n' + text.replace(/^(\| G-001 .*?\| )50( \|)/m, '$142$2'));
  });

  it('answers code actions for the newest version right after a change', async () => {
    // Version 3 takes the inserted line out again; the request comes at once (the server lints v3 first).
    await client.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }],
    });
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: rpnDiagnostic.range,
      context: { diagnostics: [rpnDiagnostic], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((a) => editsFor(a.edit, uri)),
      [[{ range: rpnDiagnostic.range, newText: '42' }]],
    );
  });

  it('answers a request the client cancelled while it waited behind a lint with RequestCancelled, and the next in full', async () => {
    // A register big enough that its first lint keeps the server busy while the request and its cancellation arrive.
    const rows = Array.from({ length: 3000 }, (_, i) => `| G-${1000 + i} | Gap number ${i} | 5 | 4 | 3 | 60 | Medium | @sre | Open |`);
    const big = ['# Gap register', '', '| ID | Gap | S | O | D | RPN | Priority | Owner | Status |', '|---|---|---|---|---|---|---|---|---|', ...rows, ''].join('\n');
    const bigUri = fileUri(join(root, 'docs', 'big-gap-register.md'));
    void client.notify('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'markdown', version: 1, text: big } });
    const source = new CancellationTokenSource();
    const cancelled = client.request('textDocument/codeLens', { textDocument: { uri: bigUri } }, source.token);
    source.cancel();
    await rejectsWith(cancelled, LSPErrorCodes.RequestCancelled);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: bigUri } });
    assert.ok(lenses.some((l) => /^3000 rows/.test(l.command?.title ?? '')), JSON.stringify(lenses.map((l) => l.command?.title)));
    await client.notify('textDocument/didClose', { textDocument: { uri: bigUri } });
  });

  it('clears diagnostics on close and lints again on reopen', async () => {
    await client.notify('textDocument/didClose', { textDocument: { uri } });
    const cleared = await client.diagnostics(uri, (p) => p.version === undefined);
    assert.deepEqual(cleared.diagnostics, []);
    await open(client, uri, text, 1);
    await client.diagnostics(uri, (p) => p.version === 1 && rd002(p.diagnostics).length === 1);
  });

  it('relints after an incremental change that fixes the RPN: the diagnostics clear', async () => {
    await client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: rpnDiagnostic.range, text: '42' }],
    });
    const published = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(published.diagnostics, []);
  });

  it('lints untitled Markdown with the defaults', async () => {
    const untitled = 'untitled:Untitled-1';
    await open(client, untitled, text);
    const published = await client.diagnostics(untitled, (p) => p.version === 1);
    assert.equal(rd002(published.diagnostics).length, 1);
  });

  it('applies readiness.* settings per document and refreshes them on didChangeConfiguration', async () => {
    // Today moves a year on: the review date of the register goes stale (RD008).
    client.settings = { today: '2027-06-01', staleAfterDays: 90 };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const stale = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'RD008'));
    assert.match(String(stale.diagnostics.find((d) => d.code === 'RD008')!.message), /2026-05-20/);
    // A longer staleAfterDays from the settings overrides the default again.
    client.settings = { today: '2027-06-01', staleAfterDays: 400 };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.length === 0);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('language server: .readiness.yaml problems', () => {
  let root: string;
  let client: TestClient;

  before(async () => {
    root = tempWorkspace('bad-config');
    client = await TestClient.start({ root });
  });

  after(() => {
    client?.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes RD090 on the config file at the offending value and still lints the document', async () => {
    const configPath = join(root, '.readiness.yaml');
    const configUri = fileUri(configPath);
    const uri = fileUri(join(root, REGISTER));
    const text = fs.readFileSync(join(root, REGISTER), 'utf8');
    await open(client, uri, text);
    const config = await client.diagnostics(configUri, (p) => p.diagnostics.some((d) => d.code === 'RD090'));
    const [problem] = config.diagnostics;
    assert.equal(problem!.source, 'readiness');
    assert.equal(problem!.severity, 1);
    assert.match(problem!.codeDescription?.href ?? '', /docs\/rules\/RD090\.md$/);
    assert.deepEqual(problem!.range, rangeOf(fs.readFileSync(configPath, 'utf8'), 'staleAfterDays', 'soon'));
    assert.match(String(problem!.message), /staleAfterDays/);
    await client.diagnostics(uri, (p) => rd002(p.diagnostics).length === 1);

    // Repair the file: the config diagnostics clear and the new settings apply to the open document.
    fs.writeFileSync(configPath, 'rules:\n  rpn-mismatch: warning\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await client.diagnostics(configUri, (p) => p.diagnostics.length === 0);
    const relinted = await client.diagnostics(uri, (p) => rd002(p.diagnostics).some((d) => d.severity === 2));
    assert.equal(rd002(relinted.diagnostics).length, 1);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});

/**
 * A client that pulls diagnostics and cannot answer workspace/configuration: its settings come in
 * initializationOptions.
 */
function startPullClient(root: string, env?: Record<string, string>): Promise<TestClient> {
  return TestClient.start({
    root,
    capabilities: {
      workspace: { configuration: false, diagnostics: { refreshSupport: false } },
      textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
    },
    initializationOptions: { settings: { today: '2027-06-01' } },
    env,
  });
}

describe('language server: pull diagnostics', () => {
  let root: string;
  let client: TestClient;

  before(async () => {
    root = tempWorkspace('register');
    client = await startPullClient(root);
  });

  after(() => {
    client?.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('offers textDocument/diagnostic to a client that pulls, and answers it', async () => {
    const caps: InitializeResult['capabilities'] = client.initializeResult.capabilities;
    assert.ok(caps.diagnosticProvider);
    const uri = fileUri(join(root, REGISTER));
    await open(client, uri, fs.readFileSync(join(root, REGISTER), 'utf8'));
    const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    const items = (report as { items: Diagnostic[] }).items;
    assert.equal(rd002(items).length, 1);
    assert.ok(items.some((d) => d.code === 'RD008'), 'initializationOptions.settings.today applies');
    const [rpn] = rd002(items);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rpn!.range, context: { diagnostics: [rpn] } });
    assert.deepEqual(
      actions.filter((a) => a.kind === 'quickfix').map((a) => editsFor(a.edit, uri)),
      [[{ range: rpn!.range, newText: '42' }]],
    );
    const unknown = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: uri + '.nope.md' } });
    assert.deepEqual(unknown, { kind: 'full', items: [] });
    // One channel per client: a pulling client is never pushed the document's diagnostics.
    assert.equal(client.latest.has(uri), false);
    assert.equal(await client.stop(), 0);
  });
});

describe('language server: after the user pauses', () => {
  let root: string;
  let client: TestClient;

  before(async () => {
    root = tempWorkspace('register');
    // The trace logs each idle collection, which follows the idle release.
    client = await startPullClient(root, { READINESS_TRACE: '1' });
  });

  after(() => {
    client?.kill();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers the same diagnostics and fixes after the idle release, and lints the next edit', async () => {
    const uri = fileUri(join(root, REGISTER));
    const text = fs.readFileSync(join(root, REGISTER), 'utf8');
    await open(client, uri, text);
    const pull = async () => ((await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] }).items;
    const before = await pull();
    assert.equal(rd002(before).length, 1);

    // One second of calm: the server lets go of the register's cells and diagnostics, then collects.
    const idle = () => client.logs.some((m) => m.startsWith('trace idle collection'));
    const deadline = Date.now() + GUARD_MS;
    while (!idle() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(idle(), 'the server collected once idle');
    const release = client.logs.find((m) => m.startsWith('trace idle release'));
    assert.match(release ?? '', /the cells of [1-9]\d* table rows/, 'and let go of the register rows\' cells first');
    assert.deepEqual(await pull(), before);
    const [rpn] = rd002(before);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rpn!.range, context: { diagnostics: [rpn] } });
    assert.deepEqual(
      actions.filter((a) => a.kind === 'quickfix').map((a) => editsFor(a.edit, uri)),
      [[{ range: rpn!.range, newText: '42' }]],
    );

    // The next edit reads the released rows again: the fixed RPN clears RD002 and nothing else changes.
    await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: rpn!.range, text: '42' }] });
    const after = await pull();
    assert.deepEqual(rd002(after), []);
    assert.deepEqual(after, before.filter((d) => d.code !== 'RD002'));
    assert.equal(await client.stop(), 0);
  });
});

/** Spawns the bundled server with `args`; resolves with its exit code. */
function exitOf(proc: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the server did not exit')), GUARD_MS);
    proc.once('exit', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
}

describe('readiness-language-server transports', () => {
  const initialize = (conn: ProtocolConnection) =>
    conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} }) as Promise<InitializeResult>;
  /** The server answers initialize as itself, then shuts down and exits with 0 when asked. */
  const servesThenExits = async (conn: ProtocolConnection, exited: Promise<number | null>) => {
    assert.equal((await initialize(conn)).serverInfo?.name, 'readiness-language-server');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    assert.equal(await exited, 0);
  };

  it('--stdio: exits with 1 when its input closes without a shutdown request, and with 0 after one', async () => {
    for (const shutdownFirst of [false, true]) {
      const proc = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
      conn.listen();
      const exited = exitOf(proc);
      assert.equal((await initialize(conn)).serverInfo?.name, 'readiness-language-server');
      if (shutdownFirst) await conn.sendRequest('shutdown');
      proc.stdin!.end();
      assert.equal(await exited, shutdownFirst ? 0 : 1);
      conn.dispose();
    }
  });

  it('--node-ipc: serves over the IPC channel', async () => {
    const proc = spawn(process.execPath, [SERVER_BIN, '--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    const conn = createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    conn.listen();
    const exited = exitOf(proc);
    try {
      await servesThenExits(conn, exited);
    } finally {
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
    }
  });

  for (const kind of ['socket', 'pipe'] as const) {
    it(`--${kind}=${kind === 'socket' ? 'PORT' : 'NAME'}: connects to the client’s ${kind === 'socket' ? 'port' : 'pipe'} and serves there`, async () => {
      const server = net.createServer();
      const pipe = join(fs.mkdtempSync(join(os.tmpdir(), 'readiness-pipe-')), 'lsp.sock');
      await new Promise<void>((resolve) => (kind === 'socket' ? server.listen(0, '127.0.0.1', resolve) : server.listen(pipe, resolve)));
      const where = kind === 'socket' ? String((server.address() as net.AddressInfo).port) : pipe;
      const socket = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
      const proc = spawn(process.execPath, [SERVER_BIN, `--${kind}=${where}`], { stdio: ['pipe', 'pipe', 'pipe'] });
      const exited = exitOf(proc);
      const s = await socket;
      const conn = createProtocolConnection(new SocketMessageReader(s), new SocketMessageWriter(s));
      conn.listen();
      try {
        await servesThenExits(conn, exited);
      } finally {
        conn.dispose();
        s.destroy();
        server.close();
        if (proc.exitCode === null) proc.kill();
        fs.rmSync(dirname(pipe), { recursive: true, force: true });
      }
    });
  }

  it('picks the transport createConnection would, the first one named', () => {
    assert.equal(transportOf(['--stdio']), 'stdio');
    assert.equal(transportOf(['--clientProcessId=12', '--stdio']), 'stdio');
    assert.equal(transportOf(['--node-ipc', '--stdio']), 'node-ipc');
    assert.equal(transportOf(['--socket=5007', '--stdio']), 'socket');
    assert.equal(transportOf(['--pipe=/tmp/x', '--stdio']), 'pipe');
    assert.equal(transportOf(['--verbose']), undefined);
  });

  it('sends what the process writes to its console to the client’s log (stdout is the protocol)', () => {
    const sent: string[] = [];
    const remote = Object.fromEntries(['error', 'warn', 'info', 'log', 'debug'].map((level) => [level, (m: string) => sent.push(`${level}: ${m}`)]));
    const target = { ...console } as Console;
    redirectConsole(target, remote as never);
    target.log('a %s and', 'string', { n: 1 });
    target.error(new Error('boom').message);
    target.warn('w');
    target.info('i');
    target.debug('d');
    target.dir({ deep: { x: 1 } });
    target.trace('here');
    assert.deepEqual(sent.slice(0, 6), ["log: a string and { n: 1 }", 'error: boom', 'warn: w', 'info: i', 'debug: d', 'log: { deep: { x: 1 } }']);
    assert.match(sent[6]!, /^log: Trace: here\n\s+at /);
  });
});

describe('readiness-language-server entry', () => {
  it('prints a usage line and exits 2 without a transport flag', async () => {
    const proc = spawn(process.execPath, [SERVER_BIN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the server did not exit')), GUARD_MS);
      proc.once('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    assert.equal(code, 2);
    assert.equal(stderr.trim(), 'usage: readiness-language-server --stdio | --node-ipc | --socket=PORT');
  });
});
