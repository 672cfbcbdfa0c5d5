/**
 * The --stdio message encoder (server/src/lsp/encode.ts): whatever it caches, the bytes it writes are
 * exactly JSON.stringify(message) in UTF-8, first time, cached or after changes.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-languageserver-protocol/node';
import type { Finding } from '../../server/src/engine/index.js';
import { DiagnosticConverter } from '../../server/src/lsp/convert.js';
import { createDiagnosticsEncoder } from '../../server/src/lsp/encode.js';
import { params } from '../fuzz/arbitraries.js';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const URI = 'file:///ws/docs/GAP%20REGISTER.md';

function finding(i: number, message: string, extra: Partial<Finding> = {}): Finding {
  return { ruleId: `RD0${10 + (i % 80)}`, ruleName: 'rule-name', severity: i % 3 === 0 ? 'error' : 'warning', message, range: r(i, 2, i, 9), ...extra };
}

const converter = new DiagnosticConverter({ uri: URI });
const diagnostics = converter.diagnostics([
  finding(1, 'RPN is 50 but S×O×D = 7×3×2 = 42.'),
  finding(2, 'Owner "@sre" is not in CODEOWNERS; \\ and \\\\ and \'single\' and "double" quotes'),
  finding(3, 'Unicode: 🔴 → ✅, 日本語, é, \u00a0nbsp, \u2028line sep\u2029, \u0000 NUL, lone \ud800 and \udfff surrogates, \u001f'),
  finding(4, 'Duplicate id G-001', {
    related: [
      { path: '/ws/docs/other register.md', range: r(1, 2, 1, 7), message: 'First defined here ("G-001")' },
      { range: r(3, 0, 3, 5), message: 'Same document, 👩🏽‍💻' },
    ],
  }),
  finding(5, '</script><!-- "\\u0000readiness:diagnostics\\u0000" -->'),
]);

const publish = (diagnostics: unknown[], version: number | null | undefined = 3, uri = URI): Message =>
  ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } }) as Message;

const json = (m: unknown) => Buffer.from(JSON.stringify(m), 'utf8');

function assertSame(encoder: ReturnType<typeof createDiagnosticsEncoder>, m: unknown, what: string): void {
  const got = Buffer.from(encoder.encodeSync(m));
  assert.ok(got.equals(json(m)), `${what}:\n  got      ${got.toString('utf8').slice(0, 400)}\n  expected ${JSON.stringify(m).slice(0, 400)}`);
}

describe('encode: publishDiagnostics from cached JSON', () => {
  it('writes exactly JSON.stringify(message), the first, second and third time', () => {
    const encoder = createDiagnosticsEncoder();
    const messages = [
      publish(diagnostics),
      publish([]),
      publish(diagnostics.slice(2), null),
      publish(diagnostics.slice(1, 3), undefined),
      publish(diagnostics, 7, 'untitled:Untitled-1 "quoted" 🔴'),
      publish(diagnostics, 8, '\u0000readiness:diagnostics\u0000'),
    ];
    for (let round = 1; round <= 3; round++) for (const [i, m] of messages.entries()) assertSame(encoder, m, `message ${i}, round ${round}`);
  });

  it('keeps the key order of the message and of its params', () => {
    const encoder = createDiagnosticsEncoder();
    const m = { params: { diagnostics, version: 2, uri: URI }, method: 'textDocument/publishDiagnostics', jsonrpc: '2.0' };
    for (let round = 0; round < 3; round++) assertSame(encoder, m, 'reordered keys');
  });

  it('mixes cached, repeated and new diagnostics in any order', () => {
    const encoder = createDiagnosticsEncoder();
    const more = converter.diagnostics([finding(20, 'new one'), finding(21, 'another "new" one ✅')]);
    assertSame(encoder, publish(diagnostics), 'first');
    assertSame(encoder, publish([more[0]!, ...diagnostics.slice(0, 3)]), 'one new, three repeated');
    assertSame(encoder, publish([...diagnostics].reverse().concat(more)), 'cached, reversed, then new');
    assertSame(encoder, publish([diagnostics[0]!, diagnostics[0]!, more[1]!, diagnostics[0]!]), 'the same object several times');
  });

  it('caches a diagnostic when the same object is published again for the document, and then reuses its JSON', () => {
    /** How often the encoder read each probe's message (what JSON.stringify of it does). */
    const reads = new Map<string, number>();
    const probe = (message: string) =>
      Object.freeze({
        range: r(1, 0, 1, 3),
        get message() {
          reads.set(message, (reads.get(message) ?? 0) + 1);
          return message;
        },
      });
    const a = probe('a');
    const b = probe('b "quoted" ✅');
    const c = probe('c');
    const encoder = createDiagnosticsEncoder();
    /** The probes the encoder stringified for the message (and the bytes must be right). */
    const stringified = (m: unknown) => {
      reads.clear();
      const got = Buffer.from(encoder.encodeSync(m));
      const counted = Object.fromEntries(reads);
      assert.ok(got.equals(json(m)));
      return counted;
    };
    // First publication: stringified (within the whole message).
    assert.deepEqual(stringified(publish([a])), { a: 1 });
    // Published again for the document: a is cached; b is new.
    assert.deepEqual(stringified(publish([a, b])), { a: 1, 'b "quoted" ✅': 1 });
    // From then on a's JSON is reused; b, published twice in a row, gets cached now.
    assert.deepEqual(stringified(publish([b, a])), { 'b "quoted" ✅': 1 });
    assert.deepEqual(stringified(publish([a, b], 4, 'file:///elsewhere.md')), {});
    // c is not published twice in a row for the document: never cached.
    assert.deepEqual(stringified(publish([a, c])), { c: 1 });
    assert.deepEqual(stringified(publish([a])), {});
    assert.deepEqual(stringified(publish([a, c])), { c: 1 });
  });

  it('never serves stale JSON for an object that can change (only frozen ones are cached)', () => {
    const encoder = createDiagnosticsEncoder();
    const open = { range: r(1, 0, 1, 3), message: 'first', source: 'readiness', code: 'RD001' };
    for (let round = 0; round < 3; round++) {
      open.message = `changed ${round} "time"`;
      assertSame(encoder, publish([open, diagnostics[0]!]), `round ${round}`);
    }
  });

  it('falls back to JSON.stringify for what it cannot assemble (toJSON, holes, non-objects), exactly', () => {
    const encoder = createDiagnosticsEncoder();
    const withToJson = Object.freeze({ toJSON: (key: string) => ({ key }) });
    const odd: unknown[] = [diagnostics[0], null, 42, 'text', undefined, () => 1, [1, [2]], withToJson, , diagnostics[1]];
    for (let round = 0; round < 3; round++) {
      assertSame(encoder, publish(odd), 'odd elements');
      assertSame(encoder, publish(odd.filter((x) => x !== withToJson)), 'odd elements without toJSON');
      assertSame(encoder, { ...publish(diagnostics), toJSON: () => 'whole' }, 'message with toJSON');
      assertSame(encoder, { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, diagnostics: 'none' } }, 'diagnostics not an array');
      assertSame(encoder, { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: null }, 'no params');
    }
  });

  it('stringifies every other message as usual', () => {
    const encoder = createDiagnosticsEncoder();
    const others: unknown[] = [
      { jsonrpc: '2.0', id: 1, result: { kind: 'full', items: diagnostics } },
      { jsonrpc: '2.0', id: 2, method: 'workspace/configuration', params: { items: [{ section: 'readiness', scopeUri: URI }] } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'Indexed 1,001 files — ✅ "done"' } },
      { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'bad' } },
    ];
    for (let round = 0; round < 2; round++) for (const [i, m] of others.entries()) assertSame(encoder, m, `message ${i}`);
  });

  it('writes JSON.stringify(message) for random diagnostics, over several publications', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    const arbFinding = fc.record({
      line: fc.nat(5000),
      message: text,
      ruleName: text,
      severity: fc.constantFrom<Finding['severity']>('error', 'warning', 'info'),
      related: fc.option(fc.array(fc.record({ path: fc.option(text.map((t) => `/ws/${t}`), { nil: undefined }), message: text }), { maxLength: 2 }), { nil: undefined }),
    });
    await fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 40 }), text, (fs, picks, uri) => {
        const conv = new DiagnosticConverter({ uri });
        const findings: Finding[] = fs.map((f, i) => ({
          ruleId: `RD0${i % 90}`,
          ruleName: f.ruleName,
          severity: f.severity,
          message: f.message,
          range: r(f.line, 0, f.line, 3),
          related: f.related?.map((x, j) => ({ path: x.path, range: r(j, 0, j, 1), message: x.message })),
        }));
        const ds = conv.diagnostics(findings);
        const encoder = createDiagnosticsEncoder();
        const subset = picks.filter((p) => p < ds.length).map((p) => ds[p]!);
        const fresh = conv.diagnostics(fs.map((_, i) => ({ ...findings[i]! })));
        for (const m of [publish(ds, 1, uri), publish(subset, 2, uri), publish([...fresh, ...ds], 3, uri), publish(ds, 4, uri)]) {
          assert.ok(Buffer.from(encoder.encodeSync(m)).equals(json(m)));
        }
      }),
      params(200),
    );
  });

  it('does not keep batches of dead JSON through a long editing session (compacts them), and stays exact', () => {
    // A register's diagnostics: each "edit" replaces those of a few rows, as a lint after a one-line change does.
    const rows = 2000;
    const conv = new DiagnosticConverter({ uri: URI });
    const make = (row: number, edit: number) =>
      conv.diagnostics([finding(row, `RPN of G-${row} is ${edit} but S×O×D = 7×3×2 = 42; recompute it or the scores.`)])[0]!;
    const current = Array.from({ length: rows }, (_, row) => make(row, 0));
    const encoder = createDiagnosticsEncoder();
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let edit = 1; edit <= 600; edit++) {
      for (let k = 0; k < 20; k++) {
        const row = Math.floor(random() * rows);
        current[row] = make(row, edit);
      }
      const m = publish(current, edit);
      if (edit % 100 === 0) assertSame(encoder, m, `publication ${edit}`);
      else encoder.encodeSync(m);
    }
    encoder.encodeSync(publish(current, 601)); // the last edit's diagnostics come again: cached now
    let used = 0;
    let held = 0;
    const batches = new Set<ArrayBufferLike>();
    for (const d of current) {
      const bytes = encoder.cached(d);
      assert.ok(bytes, 'every diagnostic published twice in a row is cached');
      used += bytes.length;
      if (!batches.has(bytes.buffer)) held += bytes.buffer.byteLength;
      batches.add(bytes.buffer);
    }
    // Without compaction: ~200 batches of 20 diagnostics holding ~3 times the bytes in use.
    assert.ok(held <= 2 * used + 64 * 1024, `batches hold ${held} bytes for ${used} in use (${batches.size} batches)`);
    assertSame(encoder, publish(current, 602), 'after compaction');
  });

  it('forgets every cached JSON when told (the user paused), then caches again and stays exact', () => {
    const encoder = createDiagnosticsEncoder();
    assertSame(encoder, publish(diagnostics), 'first');
    assertSame(encoder, publish(diagnostics, 4), 'second: cached now');
    assert.ok(diagnostics.every((d) => encoder.cached(d)), 'all cached');
    encoder.forget();
    assert.ok(diagnostics.every((d) => !encoder.cached(d)), 'none cached after forget');
    assertSame(encoder, publish(diagnostics, 5), 'after forget: stringified');
    assert.ok(diagnostics.every((d) => !encoder.cached(d)), 'one publication after forget: not yet cached');
    assertSame(encoder, publish(diagnostics, 6), 'published again');
    assert.ok(diagnostics.every((d) => encoder.cached(d)), 'cached again');
  });

  it('goes through vscode-jsonrpc’s StreamMessageWriter: the header counts the bytes and the message reads back', async () => {
    const stream = new PassThrough();
    const writer = new StreamMessageWriter(stream, { charset: 'utf-8', contentTypeEncoder: createDiagnosticsEncoder() });
    const reader = new StreamMessageReader(stream);
    const received: Message[] = [];
    const all = new Promise<void>((resolve) => {
      reader.listen((m) => {
        received.push(m);
        if (received.length === 3) resolve();
      });
    });
    const sent = [publish(diagnostics), publish(diagnostics.slice(1), 4), publish([], 5)];
    for (const m of sent) await writer.write(m);
    await all;
    assert.deepEqual(received, JSON.parse(JSON.stringify(sent)));
    reader.dispose();
    writer.dispose();
  });

  it('answers a non-UTF-8 charset as vscode-jsonrpc does', async () => {
    const encoder = createDiagnosticsEncoder();
    const m = publish(diagnostics.slice(0, 2));
    assert.deepEqual(Buffer.from(await encoder.encode(m, { charset: 'ascii' })), Buffer.from(JSON.stringify(m), 'ascii'));
    assert.deepEqual(Buffer.from(await encoder.encode(m, { charset: 'utf-8' })), json(m));
  });
});
