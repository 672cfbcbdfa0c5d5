/** Unit tests of the finding → diagnostic conversion and of the pieces code actions are built from. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine/index.js';
import { fixAllEdits, kindRequested, quickFixes } from '../../server/src/lsp/actions.js';
import { configProblemToDiagnostic, DiagnosticConverter, findingToDiagnostic, readDiagnosticKey } from '../../server/src/lsp/convert.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applySettings, parseSettings } from '../../server/src/lsp/settings.js';
import { isMarkdown, pathToUri, uriToLocation } from '../../server/src/lsp/uri.js';
import { RestartPolicy } from '../../client/src/restartPolicy.js';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

const finding: Finding = {
  ruleId: 'RD002',
  ruleName: 'rpn-mismatch',
  severity: 'error',
  message: 'RPN is 50 but S×O×D = 7×3×2 = 42.',
  range: r(6, 37, 6, 39),
  fixes: [{ title: 'Replace 50 with 42', edits: [{ range: r(6, 37, 6, 39), newText: '42' }] }],
  related: [
    { path: '/ws/docs/other.md', range: r(1, 2, 1, 7), message: 'First defined here' },
    { range: r(3, 0, 3, 5), message: 'Same document' },
  ],
};

describe('convert: findingToDiagnostic', () => {
  const d = findingToDiagnostic(finding, { uri: 'file:///ws/docs/reg.md' });

  it('maps code, docs link, source, severity and range', () => {
    assert.equal(d.code, 'RD002');
    assert.equal(d.codeDescription?.href, 'https://github.com/readiness-dev/readiness/blob/main/docs/rules/RD002.md');
    assert.equal(d.source, 'readiness');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, finding.range);
    assert.equal(d.message, finding.message);
  });

  it('maps severities', () => {
    const sev = (severity: Finding['severity']) => findingToDiagnostic({ ...finding, severity }, { uri: 'file:///x.md' }).severity;
    assert.deepEqual([sev('error'), sev('warning'), sev('info')], [1, 2, 3]);
  });

  it('turns related paths into file URIs, and no path into the document itself', () => {
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: pathToUri('/ws/docs/other.md'), range: r(1, 2, 1, 7) }, message: 'First defined here' },
      { location: { uri: 'file:///ws/docs/reg.md', range: r(3, 0, 3, 5) }, message: 'Same document' },
    ]);
  });

  it('carries no data: the fixes stay on the server', () => {
    const wire = JSON.parse(JSON.stringify(d));
    assert.equal(wire.data, undefined);
    assert.doesNotMatch(JSON.stringify(d), /Replace 50 with 42/);
  });

  it('reads back what identifies a readiness diagnostic, and nothing from anything else', () => {
    const wire = JSON.parse(JSON.stringify(d));
    assert.deepEqual(readDiagnosticKey(wire), { code: 'RD002', range: finding.range, message: finding.message });
    assert.equal(readDiagnosticKey({ ...wire, source: 'eslint' }), undefined);
    assert.equal(readDiagnosticKey({ ...wire, code: 2 }), undefined);
    assert.equal(readDiagnosticKey({ ...wire, message: null }), undefined);
    assert.equal(readDiagnosticKey({ ...wire, range: 'bad' }), undefined);
    assert.equal(readDiagnosticKey({ ...wire, range: r(-1, 0, 0, 0) }), undefined);
    assert.equal(readDiagnosticKey({ ...wire, range: { start: { line: 1.5, character: 0 }, end: { line: 2, character: 0 } } }), undefined);
    for (const junk of [null, undefined, 42, 'RD002', [], [wire]]) assert.equal(readDiagnosticKey(junk), undefined);
  });

  it('leaves out relatedInformation when there is none', () => {
    const plain = findingToDiagnostic({ ...finding, related: undefined }, { uri: 'file:///x.md' });
    assert.equal(plain.relatedInformation, undefined);
  });

  it('makes diagnostics that cannot change: every object in them is frozen', () => {
    const frozenDeep = (x: unknown, path: string): void => {
      if (typeof x !== 'object' || x === null) return;
      assert.ok(Object.isFrozen(x), `${path} is frozen`);
      for (const [k, v] of Object.entries(x)) frozenDeep(v, `${path}.${k}`);
    };
    frozenDeep(d, 'diagnostic');
    frozenDeep(configProblemToDiagnostic({ message: 'Invalid value', range: r(1, 16, 1, 20) }), 'config diagnostic');
    assert.throws(() => {
      (d.range.start as { line: number }).line = 0;
    }, TypeError);
    // The finding is not frozen with it (the engine owns it).
    assert.ok(!Object.isFrozen(finding) && !Object.isFrozen(finding.range));
  });

  it('gives the same diagnostic object for the same finding object, per document', () => {
    const converter = new DiagnosticConverter({ uri: 'file:///ws/docs/reg.md' });
    const copy = { ...finding };
    const [a, b] = converter.diagnostics([finding, copy]);
    assert.equal(converter.diagnostic(finding), a);
    const again = converter.diagnostics([copy, finding]);
    assert.ok(again[0] === b && again[1] === a, 'a later lint that returns the same findings gets the same diagnostics');
    assert.notEqual(a, b, 'an equal but distinct finding has its own diagnostic');
    assert.deepEqual(a, findingToDiagnostic(finding, { uri: 'file:///ws/docs/reg.md' }));
    // Another document's converter resolves "this document" to its own URI.
    const elsewhere = new DiagnosticConverter({ uri: 'file:///ws/docs/copy.md' }).diagnostic(finding);
    assert.notEqual(elsewhere, a);
    assert.equal(elsewhere.relatedInformation?.[1]?.location.uri, 'file:///ws/docs/copy.md');
  });

  it('converts config problems to RD090', () => {
    const c = configProblemToDiagnostic({ message: 'Invalid value', range: r(1, 16, 1, 20) });
    assert.equal(c.code, 'RD090');
    assert.match(c.codeDescription!.href, /RD090\.md$/);
    assert.equal(c.severity, 1);
  });
});

describe('quick fixes from the current findings', () => {
  // The document the findings were computed on (line 6 holds the RPN cell at 37..39).
  const text = ['# Register', '', '| ID | Gap | S | O | D | RPN |', '|---|---|---|---|---|---|', '', '', ''].join('\n') + `${'x'.repeat(37)}50 |\n`;
  const uri = 'file:///ws/reg.md';
  const other: Finding = { ruleId: 'RD008', ruleName: 'review-stale', severity: 'warning', message: 'Stale.', range: r(0, 0, 0, 10) };
  const findings = [other, finding];
  const target = { uri, version: 7, documentChanges: false };
  const diagnosticOf = (f: Finding) => findingToDiagnostic(f, { uri });
  /** The diagnostic as the client has it: the JSON the server published. */
  const wire = (f: Finding) => JSON.parse(JSON.stringify(diagnosticOf(f)));
  const apply = (edits: { range: ReturnType<typeof r>; newText: string }[]) => TextDocument.applyEdits(TextDocument.create(uri, 'markdown', 7, text), edits);

  it('offers the finding’s fix for a current diagnostic, and applying it makes the right edit', () => {
    const actions = quickFixes([wire(finding)], findings, target, diagnosticOf);
    assert.equal(actions.length, 1);
    const [a] = actions;
    assert.equal(a!.title, 'Replace 50 with 42');
    assert.equal(a!.kind, 'quickfix');
    assert.equal(a!.isPreferred, true);
    assert.deepEqual(a!.diagnostics, [diagnosticOf(finding)]);
    const edits = a!.edit!.changes![uri]!;
    assert.deepEqual(edits, [{ range: r(6, 37, 6, 39), newText: '42' }]);
    assert.equal(apply(edits).split('\n')[6], `${'x'.repeat(37)}42 |`);
  });

  it('targets the current version with documentChanges when the client supports them', () => {
    const [a] = quickFixes([wire(finding)], findings, { ...target, documentChanges: true }, diagnosticOf);
    assert.deepEqual(a!.edit!.documentChanges, [{ textDocument: { uri, version: 7 }, edits: [{ range: r(6, 37, 6, 39), newText: '42' }] }]);
  });

  it('takes the fixes from the server, never from what the client sends', () => {
    const forged = { ...wire(finding), data: { rule: 'rpn-mismatch', fixes: [{ title: 'Evil', edits: [{ range: r(0, 0, 9, 0), newText: '' }] }] } };
    const actions = quickFixes([forged], findings, target, diagnosticOf);
    assert.deepEqual(
      actions.map((a) => [a.title, a.edit!.changes![uri]]),
      [['Replace 50 with 42', [{ range: r(6, 37, 6, 39), newText: '42' }]]],
    );
  });

  it('offers nothing for a stale diagnostic (moved, reworded or gone) or one without fixes', () => {
    const d = wire(finding);
    const stale = [
      { ...d, range: r(5, 37, 5, 39) }, // an earlier version, before a line was inserted above
      { ...d, message: 'RPN is 60 but S×O×D = 7×3×2 = 42.' },
      { ...d, code: 'RD001' },
    ];
    assert.deepEqual(quickFixes(stale, findings, target, diagnosticOf), []);
    assert.deepEqual(quickFixes([d], [other], target, diagnosticOf), []);
    assert.deepEqual(quickFixes([wire(other)], findings, target, diagnosticOf), []);
  });

  it('ignores malformed diagnostics without failing, and still serves the valid ones', () => {
    const d = wire(finding);
    const junk: unknown[] = [
      null,
      42,
      'RD002',
      [d],
      {},
      { ...d, source: 'eslint' },
      { ...d, range: null },
      { ...d, range: { start: { line: 6, character: 37 } } },
      { ...d, range: r(6, -37, 6, 39) },
      { ...d, code: 2 },
      { ...d, message: { text: d.message } },
      Object.create(null),
    ];
    assert.deepEqual(quickFixes(junk, findings, target, diagnosticOf), []);
    const actions = quickFixes([...junk, d, ...junk], findings, target, diagnosticOf);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Replace 50 with 42'],
    );
  });

  it('gives one finding’s fixes once, and each of two identical findings its own', () => {
    const d = wire(finding);
    assert.equal(quickFixes([d, d], findings, target, diagnosticOf).length, 1);
    const twin: Finding = { ...finding, fixes: [{ title: 'Twin', edits: [{ range: r(6, 37, 6, 39), newText: '42' }] }] };
    assert.deepEqual(
      quickFixes([d, d], [finding, twin], target, diagnosticOf).map((a) => a.title),
      ['Replace 50 with 42', 'Twin'],
    );
  });

  it('fix-all takes whole first fixes and skips overlapping ones', () => {
    const text = 'abcdef\nghij\n';
    const f = (range: ReturnType<typeof r>, newText: string): Finding => ({
      ...finding,
      fixes: [{ title: newText, edits: [{ range, newText }] }],
    });
    const { edits, fixed } = fixAllEdits(text, [f(r(0, 0, 0, 2), 'X'), f(r(0, 1, 0, 3), 'Y'), f(r(1, 0, 1, 1), 'Z'), { ...finding, fixes: [] }]);
    assert.equal(fixed, 2);
    assert.deepEqual(
      edits.map((e) => e.newText),
      ['X', 'Z'],
    );
  });

  it('matches requested kinds hierarchically', () => {
    assert.ok(kindRequested(undefined, 'source.fixAll.readiness'));
    assert.ok(kindRequested(['source'], 'source.fixAll.readiness'));
    assert.ok(kindRequested(['source.fixAll'], 'source.fixAll.readiness'));
    assert.ok(!kindRequested(['quickfix'], 'source.fixAll.readiness'));
    assert.ok(!kindRequested(['source.fixAllx'], 'source.fixAll.readiness'));
  });
});

describe('settings, URIs and the client restart policy', () => {
  it('validates settings and applies them over the config', () => {
    const s = parseSettings({ today: '2026-06-01', staleAfterDays: 30, enable: 'yes' });
    assert.deepEqual(s, { enable: true, today: '2026-06-01', staleAfterDays: 30 });
    assert.deepEqual(parseSettings({ today: 'tomorrow', staleAfterDays: -1 }), { enable: true, today: undefined, staleAfterDays: undefined });
    assert.deepEqual(parseSettings(null), { enable: true, today: undefined, staleAfterDays: undefined });
    const base = { today: undefined, staleAfterDays: 90 } as unknown as Parameters<typeof applySettings>[0];
    assert.equal(applySettings(base, parseSettings({})), base);
    const applied = applySettings(base, s);
    assert.equal(applied.today, '2026-06-01');
    assert.equal(applied.staleAfterDays, 30);
  });

  it('maps URIs to engine paths', () => {
    assert.deepEqual(uriToLocation('file:///ws/a%20b.md'), { path: '/ws/a b.md', onDisk: true });
    assert.deepEqual(uriToLocation('untitled:Untitled-1'), { path: '/Untitled-1', onDisk: false });
    assert.equal(uriToLocation(''), undefined);
    assert.equal(pathToUri('/ws/a b.md'), 'file:///ws/a%20b.md');
    assert.ok(isMarkdown('untitled:Untitled-1', 'markdown'));
    assert.ok(isMarkdown('file:///a/README.MD', 'plaintext'));
    assert.ok(!isMarkdown('file:///a/x.txt', 'plaintext'));
  });

  it('restarts a crashed server at most 5 times in 3 minutes', () => {
    let now = 0;
    const p = new RestartPolicy(5, 180_000, () => now);
    for (let i = 0; i < 5; i++) assert.ok(p.allowRestart(), `restart ${i + 1}`);
    assert.ok(!p.allowRestart());
    now += 180_000;
    assert.ok(p.allowRestart());
    p.reset();
    for (let i = 0; i < 4; i++) assert.ok(p.allowRestart());
  });
});
