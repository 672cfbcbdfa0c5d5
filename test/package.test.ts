/** The extension manifest points at files that exist, and the snippets it contributes lint as intended. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers/paths.js';
import { lintMemory } from './helpers/lint.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

describe('package manifest', () => {
  it('main, bins and contributed files exist', () => {
    const paths = [
      pkg.main,
      ...Object.values(pkg.bin as Record<string, string>),
      ...pkg.contributes.yamlValidation.map((y: { url: string }) => y.url),
      ...pkg.contributes.snippets.map((s: { path: string }) => s.path),
      ...pkg.contributes.grammars.map((g: { path: string }) => g.path),
    ];
    for (const p of paths) assert.ok(existsSync(join(REPO_ROOT, p)), `${p} is missing`);
  });
  it('the grammar is valid JSON with an injection selector', () => {
    const g = JSON.parse(readFileSync(join(REPO_ROOT, pkg.contributes.grammars[0].path), 'utf8'));
    assert.equal(g.scopeName, pkg.contributes.grammars[0].scopeName);
    assert.match(g.injectionSelector, /text\.html\.markdown/);
  });
});

describe('snippets', () => {
  const snippets = JSON.parse(readFileSync(join(REPO_ROOT, 'snippets/readiness.code-snippets'), 'utf8')) as Record<string, { body: string[] }>;
  /** The text a user gets by accepting every default. */
  const expand = (name: string) =>
    snippets[name]!.body
      .join('\n')
      .replace(/\$CURRENT_YEAR-\$CURRENT_MONTH-\$CURRENT_DATE/g, '2026-06-01')
      .replace(/\$CURRENT_HOUR:\$CURRENT_MINUTE/g, '10:00')
      .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{(\d+)\}/g, (_m, n: string) => (n === '2' ? '2026-06-01' : 'text'))
      .replace(/\$\d+/g, '');
  it('a register and an FMEA from the snippets are clean', () => {
    assert.deepEqual(lintMemory(expand('Gap register'), 'docs/GAP_REGISTER.md'), []);
    assert.deepEqual(lintMemory(expand('FMEA table'), 'docs/FMEA.md'), []);
  });
  it('a postmortem left as the snippet wrote it is reported for its placeholders only', () => {
    const f = lintMemory(expand('Postmortem'), 'docs/postmortems/2026-06-01-x.md');
    assert.ok(f.some((x) => x.ruleId === 'RD074' && x.message.includes('HH:MM')), 'the HH:MM placeholder is reported');
    // …and the due date still reading YYYY-MM-DD is reported as missing; nothing else.
    assert.deepEqual([...new Set(f.map((x) => x.ruleId))].sort(), ['RD073', 'RD074']);
  });
});
