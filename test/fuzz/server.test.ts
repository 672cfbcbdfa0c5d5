/**
 * Fuzzing the language server through every request it serves, in process over a real JSON-RPC
 * connection (in-memory streams): random and mutated documents opened and edited, then code lenses,
 * hovers, definitions, code actions and pulled diagnostics at random (and invalid) positions, plus
 * malformed params, unknown documents and unknown methods. The server must answer every request (a
 * result, or an LSP error for invalid params), publish diagnostics for every version, keep every range
 * inside the document, and survive it all.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createConnection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createProtocolConnection,
  ErrorCodes,
  PublishDiagnosticsNotification,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type Location,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../server/src/engine/index.js';
import { createDiagnosticsEncoder } from '../../server/src/lsp/encode.js';
import { startServer, type ReadinessServer } from '../../server/src/lsp/server.js';
import { assertRangeInside, markdownDoc, mutatedDoc, params, registerDoc, SEEDS } from './arbitraries.js';
import { withTimeout } from '../../server/src/node/timeout.js';
import { editsFor } from '../server/lspClient.js';

/** Bound of every wait: a request or a publication that takes longer fails the property. */
const BOUND_MS = 10_000;

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  return withTimeout(p, BOUND_MS, what);
}

class InProcess {
  readonly client: ProtocolConnection;
  readonly server: ReadinessServer;
  private readonly streams: PassThrough[];
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  constructor() {
    const up = new PassThrough();
    const down = new PassThrough();
    this.streams = [up, down];
    // The server side as over --stdio: its messages encoded by the diagnostics encoder.
    const serverConn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down, { charset: 'utf-8', contentTypeEncoder: createDiagnosticsEncoder() }));
    this.server = startServer(serverConn, { debounceMs: 5, relintDelayMs: 5, configurationTimeoutMs: 500 });
    this.client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    this.client.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || (p.version ?? 0) < w.version) return true;
        w.resolve(p);
        return false;
      });
    });
    this.client.onRequest('client/registerCapability', () => null);
    this.client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ today: '2026-06-01' })));
    this.client.onNotification('window/logMessage', () => undefined);
    this.client.listen();
  }

  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && (have.version ?? 0) >= version) return Promise.resolve(have);
    return bounded(new Promise((resolve) => this.waiters.push({ uri, version, resolve })), `diagnostics of ${uri} v${version}`);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return bounded(this.client.sendRequest(method, params) as Promise<R>, method);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.client.sendNotification(method, params);
  }

  async dispose(): Promise<void> {
    try {
      await this.request('shutdown', null);
    } catch {
      /* ends below anyway */
    }
    // The streams stay open: vscode-languageserver ends the process when its input closes.
    this.client.dispose();
    for (const s of this.streams) s.pause();
  }
}

/** A request that must be answered: a result, or (for invalid params) an LSP InvalidParams error. */
async function answer<R>(p: Promise<R>, invalidOk: boolean): Promise<R | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ResponseError && invalidOk && e.code === ErrorCodes.InvalidParams) return undefined;
    if (e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound) return undefined;
    throw e;
  }
}

const position = fc.oneof(
  { weight: 6, arbitrary: fc.record({ line: fc.nat(60), character: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.record({ line: fc.integer({ min: 2 ** 20, max: 2 ** 31 - 1 }), character: fc.nat() }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ line: -1, character: 0 }, { line: 1.5, character: 2 }, { line: '3', character: 1 }, null, 'x', {}) },
);
const editArb = fc.record({ start: fc.record({ line: fc.nat(40), character: fc.nat(120) }), len: fc.nat(30), text: fc.constantFrom('', 'x', '|', '\n', '| a | b |\n', '\r\n', '🔴', '\ud800', '---\n', '```\n', '9') });

/**
 * Things that are not readiness diagnostics, as a client (or a bug) might send them in a code action
 * request: anything at all, and real diagnostics broken in one field. None may cause an error or an action.
 */
const junkDiagnostic = (real: readonly Diagnostic[]) =>
  fc.oneof(
    fc.anything(),
    fc.tuple(
      fc.constantFrom(...(real.length ? real : [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'RD001', source: 'readiness' } as Diagnostic])),
      fc.constantFrom<Record<string, unknown>>(
        { source: 'eslint' },
        { source: undefined },
        { code: 2 },
        { code: null },
        { message: 7 },
        { message: undefined },
        { range: null },
        { range: 'x' },
        { range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } },
        { range: { start: { line: 0.5, character: 0 }, end: { line: 1, character: 0 } } },
        { range: { start: { line: 0, character: 0 } } },
      ),
    ).map(([d, broken]) => ({ ...d, ...broken })),
  );

function quickFixes(uri: string, diagnostics: unknown[]): Promise<CodeAction[]> {
  return lsp.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics, only: ['quickfix'] },
  });
}

/**
 * Runs `act` between two pulls of the document's diagnostics and returns what it answered with the
 * identities of the server's current diagnostics. A relint of the same version (another fuzz document
 * closed and left the workspace index) may change them at any moment: when the two pulls differ, it
 * runs again.
 */
async function consistently<T>(uri: string, act: () => Promise<T>): Promise<{ result: T; current: Set<string> }> {
  const pull = async () => (await lsp.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })).items;
  for (let attempt = 1; ; attempt++) {
    const first = JSON.stringify((await pull()).map(identity));
    const result = await act();
    const items = await pull();
    if (JSON.stringify(items.map(identity)) === first || attempt === 5) return { result, current: new Set(items.map(identity)) };
  }
}

/** What identifies a diagnostic: the quick fixes of one must name a diagnostic the server published for the version. */
const identity = (d: Diagnostic) => JSON.stringify([d.code, d.range, d.message]);

const MALFORMED: Array<[string, unknown]> = [
  ['textDocument/codeLens', null],
  ['textDocument/codeLens', 42],
  ['textDocument/codeLens', { textDocument: { uri: 5 } }],
  ['textDocument/codeLens', { textDocument: {} }],
  ['textDocument/hover', { textDocument: { uri: 'file:///nowhere/unknown.md' }, position: { line: 0, character: 0 } }],
  ['textDocument/hover', { textDocument: { uri: 'not a uri' }, position: { line: 0, character: 0 } }],
  ['textDocument/hover', { textDocument: { uri: 'file:///nowhere/unknown.md' } }],
  ['textDocument/definition', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 1e9, character: -5 } }],
  ['textDocument/codeAction', { textDocument: { uri: 'file:///nowhere/unknown.md' }, range: null, context: null }],
  ['textDocument/codeAction', { textDocument: { uri: 'file:///nowhere/unknown.md' }, range: { start: 1, end: 2 }, context: { diagnostics: 'x' } }],
  ['textDocument/diagnostic', { textDocument: { uri: 'file:///nowhere/unknown.md' } }],
  ['textDocument/diagnostic', []],
  ['textDocument/unknownRequest', { x: 1 }],
];

let lsp: InProcess;

describe('language server fuzz (in process, real JSON-RPC)', () => {
  let root: string;
  let n = 0;

  before(async () => {
    root = fs.mkdtempSync(join(fs.realpathSync(os.tmpdir()), 'readiness-fuzz-'));
    fs.mkdirSync(join(root, 'docs'), { recursive: true });
    fs.writeFileSync(join(root, 'docs', 'REGISTER.md'), SEEDS[0]!);
    fs.writeFileSync(join(root, 'docs', 'x.md'), '# X\n\n## Summary\n');
    fs.writeFileSync(join(root, '.readiness.yaml'), 'today: 2026-06-01\n');
    lsp = new InProcess();
    const rootUri = pathToFileURL(root).href;
    await lsp.request('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'fuzz' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
      },
    });
    await lsp.notify('initialized', {});
    await bounded(lsp.server.indexing, 'initial index');
  });

  after(async () => {
    await lsp?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers every request on random documents, with every range inside the document', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(markdownDoc, mutatedDoc, registerDoc),
        fc.array(position, { minLength: 1, maxLength: 6 }),
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        async (text, positions, edits) => {
          const uri = pathToFileURL(join(root, 'docs', `fuzz-${n++}.md`)).href;
          let doc = TextDocument.create(uri, 'markdown', 1, text);
          await lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
          const check = async (doc: TextDocument) => {
            const lines = new LineIndex(doc.getText());
            const published = await lsp.diagnostics(uri, doc.version);
            assert.equal(published.version, doc.version);
            for (const d of published.diagnostics) assertRangeInside(lines, d.range, `diagnostic ${String(d.code)}`);
            const lenses = await answer(lsp.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), false);
            for (const l of lenses ?? []) assertRangeInside(lines, l.range, 'code lens');
            const pulled = await answer(lsp.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }), false);
            for (const d of pulled?.items ?? []) assertRangeInside(lines, d.range, 'pulled diagnostic');
            for (const position of positions) {
              const valid = isPosition(position);
              const hover = await answer(lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }), !valid);
              if (hover?.range) assertRangeInside(lines, hover.range, 'hover');
              const defs = await answer(lsp.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position }), !valid);
              for (const d of defs ?? []) if (d.uri === uri) assertRangeInside(lines, d.range, 'definition');
              const range: unknown = valid ? { start: position, end: position } : position;
              const actions = await answer(
                lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: published.diagnostics.slice(0, 5), only: undefined } }),
                !valid,
              );
              for (const a of actions ?? []) for (const e of editsFor(a.edit, uri)) assertRangeInside(lines, e.range, `code action "${a.title}"`);
            }
            // Quick fixes for the published diagnostics: each names one of them, and edits this version
            // of the document only; malformed diagnostics mixed in change nothing.
            const junk = fc.sample(fc.array(junkDiagnostic(published.diagnostics), { maxLength: 6 }), { numRuns: 1, seed: doc.version + n })[0]!;
            const mixed = [...junk.slice(0, 3), ...published.diagnostics, ...junk.slice(3)];
            const { result, current } = await consistently(uri, async () => [
              await quickFixes(uri, published.diagnostics),
              await quickFixes(uri, mixed),
              await quickFixes(uri, junk),
            ]);
            const [fixes, withJunk, forJunk] = result;
            for (const a of fixes!) {
              assert.equal(a.kind, 'quickfix');
              assert.equal(a.diagnostics?.length, 1);
              assert.ok(current.has(identity(a.diagnostics![0]!)), `quick fix "${a.title}" names a diagnostic of version ${doc.version}`);
              assert.deepEqual(Object.keys(a.edit?.changes ?? {}), [uri]);
              for (const e of editsFor(a.edit, uri)) assertRangeInside(lines, e.range, `quick fix "${a.title}"`);
            }
            assert.deepEqual(withJunk, fixes, 'malformed diagnostics change nothing');
            assert.deepEqual(forJunk, [], 'malformed diagnostics get no action');
            const all = await answer(
              lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } }),
              false,
            );
            for (const a of all ?? []) for (const e of editsFor(a.edit, uri)) assertRangeInside(lines, e.range, 'fix all');
          };
          await check(doc);
          const before = (await lsp.diagnostics(uri, 1)).diagnostics;
          // Incremental edits, some with ranges past the end (the protocol clamps them).
          const changes = edits.map((e) => ({ range: { start: e.start, end: { line: e.start.line, character: e.start.character + e.len } } as Range, text: e.text }));
          doc = TextDocument.update(doc, changes, 2);
          await lsp.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: changes });
          // An editor asks for code lenses right after a change; the diagnostics of that version must
          // still be published.
          await answer(lsp.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), false);
          await check(doc);
          // The diagnostics of version 1, sent after the edit: only those still current (same rule,
          // range and message in version 2) may get a quick fix, and its edit is for version 2.
          const { result: stale, current: now } = await consistently(uri, () => quickFixes(uri, before));
          const lines = new LineIndex(doc.getText());
          for (const a of stale) {
            assert.ok(now.has(identity(a.diagnostics![0]!)), `quick fix "${a.title}" for a stale diagnostic`);
            for (const e of editsFor(a.edit, uri)) assertRangeInside(lines, e.range, `quick fix "${a.title}" after the edit`);
          }
          await lsp.notify('textDocument/didClose', { textDocument: { uri } });
        },
      ),
      params(60),
    );
  });

  it('answers malformed params, unknown documents and unknown methods with results or LSP errors, and keeps serving', async () => {
    for (const [method, p] of MALFORMED) {
      try {
        await lsp.request(method, p);
      } catch (e) {
        assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
        assert.ok([ErrorCodes.InvalidParams, ErrorCodes.MethodNotFound].includes(e.code as never), `${method}: error ${e.code} ${e.message}`);
      }
    }
    // Malformed notifications are dropped without harm.
    await lsp.notify('textDocument/didOpen', { textDocument: { uri: 'file:///x.md' } });
    await lsp.notify('textDocument/didChange', { textDocument: { uri: 'file:///never-opened.md', version: 3 }, contentChanges: [{ text: 'x' }] });
    await lsp.notify('textDocument/didChange', { textDocument: { uri: 'file:///x.md', version: 2 }, contentChanges: 'x' });
    await lsp.notify('textDocument/didClose', { textDocument: null });
    await lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: 42, type: 9 }, null] });
    await lsp.notify('workspace/didChangeConfiguration', { settings: { readiness: { today: 'not a date', enable: 'yes' } } });
    // Still serving: a fresh document gets its diagnostics.
    const uri = pathToFileURL(join(root, 'docs', 'after.md')).href;
    await lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: SEEDS[0] } });
    const p = await lsp.diagnostics(uri, 1);
    assert.ok(p.diagnostics.some((d) => d.code === 'RD002'), JSON.stringify(p.diagnostics.map((d) => d.code)));
  });
});

function isPosition(p: unknown): p is { line: number; character: number } {
  const o = p as { line?: unknown; character?: unknown } | null;
  return !!o && typeof o === 'object' && Number.isInteger(o.line) && Number.isInteger(o.character) && (o.line as number) >= 0 && (o.character as number) >= 0;
}
