/**
 * Limits of the engine: the size limit (maxFileSize, counted in UTF-8 bytes) gives one clear finding
 * instead of a lint, and links are resolved inside the workspace only: a link that climbs out of it is
 * reported and never looked at, whatever its spelling.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildModel,
  byteLength,
  defaultConfig,
  isInside,
  lintText,
  memoryWorkspace,
  TOO_LARGE_RULE,
  WorkspaceIndex,
  type WorkspaceView,
} from '../../server/src/engine/index.js';

const REGISTER = (evidence: string[]) =>
  [
    '# Gap Register',
    '',
    '| ID | Gap | S | O | D | RPN | Owner | Status | Evidence |',
    '|----|-----|---|---|---|-----|-------|--------|----------|',
    ...evidence.map((e, i) => `| G-${String(i + 1).padStart(3, '0')} | Gap | 2 | 2 | 2 | 8 | @sre | Done | ${e} |`),
    '',
  ].join('\n');

describe('maxFileSize', () => {
  it('gives one RD091 finding above the limit, counted in UTF-8 bytes, and no model', () => {
    const config = { ...defaultConfig(), maxFileSize: 1000 };
    // 400 characters, 1,200 bytes.
    const text = '€'.repeat(400);
    assert.equal(text.length, 400);
    assert.equal(byteLength(text), 1200);
    const r = lintText(text, '/ws/big.md', { config, today: '2026-06-01' });
    assert.equal(r.model, undefined);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.ruleId, TOO_LARGE_RULE.id);
    assert.match(r.findings[0]!.message, /above the .+ limit \(maxFileSize\); it was not linted/);
    assert.deepEqual(r.findings[0]!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('lints a document of exactly the limit', () => {
    const text = REGISTER(['[ev](../x.md)']);
    const config = { ...defaultConfig(), maxFileSize: byteLength(text) };
    const r = lintText(text, '/ws/docs/GAP_REGISTER.md', { config, today: '2026-06-01' });
    assert.ok(r.model);
    assert.ok(!r.findings.some((f) => f.ruleId === TOO_LARGE_RULE.id));
  });

  it('counts lone surrogates and astral characters as UTF-8 does', () => {
    assert.equal(byteLength('\ud800'), 3); // encoded as U+FFFD
    assert.equal(byteLength('😀'), 4);
    assert.equal(byteLength('a\u0000b'), 3);
    assert.equal(byteLength(''), 0);
  });

  it('applies the default of 5 MB', () => {
    assert.equal(defaultConfig().maxFileSize, 5 * 1024 * 1024);
    const text = 'x'.repeat(5 * 1024 * 1024 + 1);
    const started = performance.now();
    const r = lintText(text, '/ws/huge.md', { config: defaultConfig(), today: '2026-06-01' });
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.ruleId, TOO_LARGE_RULE.id);
    assert.match(r.findings[0]!.message, /above the .+ limit \(maxFileSize\)/);
    assert.ok(performance.now() - started < 2000, 'the size check does not read the document');
  });
});

/** A workspace view that records every path it is asked about. */
function spyWorkspace(root: string, files: Record<string, string>): { view: WorkspaceView; asked: string[] } {
  const inner = memoryWorkspace(root, files);
  const asked: string[] = [];
  return {
    asked,
    view: {
      root: inner.root,
      stat: (p) => (asked.push(p), inner.stat(p)),
      readText: (p) => (asked.push(p), inner.readText(p)),
      codeowners: () => inner.codeowners(),
    },
  };
}

describe('links stay inside the workspace', () => {
  const ROOT = '/home/u/ws';
  const OUTSIDE = [
    '../../../etc/passwd',
    '../../../../../../../../etc/passwd',
    '../../outside/secret.md',
    '../../outside/secret.md#token',
    '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '..%2f..%2f..%2fetc%2fpasswd',
    'docs/../../../etc/passwd',
    '`../../../etc/ssl/private/key.pem`',
  ];

  it('reports links that climb out of the workspace and never stats or reads outside it', () => {
    const links = OUTSIDE.map((t) => (t.startsWith('`') ? t : `[ev](${t})`));
    const text = REGISTER(links);
    const { view, asked } = spyWorkspace(ROOT, { 'docs/GAP_REGISTER.md': text, 'docs/ok.md': '# Ok\n' });
    const config = defaultConfig();
    const index = new WorkspaceIndex();
    const path = `${ROOT}/docs/GAP_REGISTER.md`;
    index.update(buildModel(text, path, config));
    const { findings } = lintText(text, path, { config, today: '2026-06-01', workspace: view, index });
    for (const p of asked) assert.ok(isInside(ROOT, p), `the engine asked about ${p}, outside ${ROOT}`);
    const outside = findings.filter((f) => f.ruleId === 'RD007' && /outside the workspace/.test(f.message));
    // Every spelling of a climb out is reported (one finding per row).
    assert.equal(outside.length, OUTSIDE.length, findings.map((f) => `${f.ruleId} ${f.message}`).join('\n'));
  });

  it('an absolute path is never looked up on the file system root', () => {
    const text = REGISTER(['[ev](/etc/passwd)', '`/etc/ssl/private/key.pem`']);
    const { view, asked } = spyWorkspace(ROOT, { 'docs/GAP_REGISTER.md': text });
    const path = `${ROOT}/docs/GAP_REGISTER.md`;
    const { findings } = lintText(text, path, { config: defaultConfig(), today: '2026-06-01', workspace: view });
    for (const p of asked) assert.ok(isInside(ROOT, p), `asked about ${p}`);
    const broken = findings.filter((f) => f.ruleId === 'RD007');
    assert.equal(broken.length, 2, findings.map((f) => f.message).join('\n'));
  });
});
