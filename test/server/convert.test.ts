/** Unit tests of the finding → diagnostic conversion and of the pieces code actions are built from. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine/index.js';
import { fixAllEdits, kindRequested, quickFixes } from '../../server/src/lsp/actions.js';
import { configProblemToDiagnostic, findingToDiagnostic, readDiagnosticData } from '../../server/src/lsp/convert.js';
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
  const d = findingToDiagnostic(finding, { uri: 'file:///ws/docs/reg.md', version: 3 });

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

  it('carries the fixes and the version in data, and reads them back', () => {
    const wire = JSON.parse(JSON.stringify(d));
    assert.deepEqual(readDiagnosticData(wire), { rule: 'rpn-mismatch', version: 3, fixes: finding.fixes });
    assert.equal(readDiagnosticData({ ...wire, source: 'eslint' }), undefined);
    assert.equal(readDiagnosticData({ ...wire, data: { fixes: [{ title: 'x', edits: [{ range: 'bad', newText: '' }] }] } }), undefined);
    assert.equal(readDiagnosticData(null), undefined);
  });

  it('leaves out relatedInformation when there is none', () => {
    const plain = findingToDiagnostic({ ...finding, related: undefined }, { uri: 'file:///x.md' });
    assert.equal(plain.relatedInformation, undefined);
  });

  it('converts config problems to RD090', () => {
    const c = configProblemToDiagnostic({ message: 'Invalid value', range: r(1, 16, 1, 20) });
    assert.equal(c.code, 'RD090');
    assert.match(c.codeDescription!.href, /RD090\.md$/);
    assert.equal(c.severity, 1);
  });
});

describe('code actions from diagnostic data', () => {
  const d = JSON.parse(JSON.stringify(findingToDiagnostic(finding, { uri: 'file:///ws/reg.md', version: 3 })));

  it('builds a quick fix per fix, only for the version the fix was computed on', () => {
    const target = { uri: 'file:///ws/reg.md', version: 3, documentChanges: false };
    const [a] = quickFixes([d], target);
    assert.equal(a!.title, 'Replace 50 with 42');
    assert.deepEqual(a!.edit, { changes: { 'file:///ws/reg.md': [{ range: r(6, 37, 6, 39), newText: '42' }] } });
    assert.deepEqual(quickFixes([d], { ...target, version: 4 }), []);
    const versioned = quickFixes([d], { ...target, documentChanges: true })[0]!.edit!;
    assert.deepEqual(versioned.documentChanges, [
      { textDocument: { uri: 'file:///ws/reg.md', version: 3 }, edits: [{ range: r(6, 37, 6, 39), newText: '42' }] },
    ]);
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
