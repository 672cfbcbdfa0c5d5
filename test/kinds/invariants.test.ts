/** Invariants rules (RD020–RD022): what a reader of an INVARIANTS.md would notice. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintMemory, only } from '../helpers/lint.js';

const PATH = 'docs/INVARIANTS.md';

describe('RD020 invariant-check-missing', () => {
  it('accepts a declared residual risk as a stated gap, not a missing check', () => {
    const doc = [
      '# Vault Invariants',
      '',
      '### I-V3 — ATH monotonicity',
      '',
      '**Statement.** The all-time high never decreases.',
      '',
      '**Tests.** Not directly covered.',
      '',
      '**Residual risk.** A direct write would bypass the guard.',
      '',
    ].join('\n');
    assert.deepEqual(only(lintMemory(doc, PATH), 'RD020'), []);
  });

  it('reports a section invariant that names no check at all, at its id', () => {
    const doc = ['# Vault Invariants', '', '### I-V9 — Fees are bounded', '', 'The fee never exceeds 25%.', ''].join('\n');
    const f = only(lintMemory(doc, PATH), 'RD020');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.range.start.line, 2);
    assert.equal(doc.split('\n')[2]!.slice(f[0]!.range.start.character, f[0]!.range.end.character), 'I-V9');
  });

  it('counts a coverage table listing the invariant as its check', () => {
    const doc = [
      '# Invariants',
      '',
      '| ID | Rule |',
      '|----|------|',
      '| I-01 | No float for money |',
      '| I-02 | Hard-block listed jurisdictions |',
      '',
      '## Enforcement artefacts',
      '',
      '| Artefact | Path | Covers |',
      '|----------|------|--------|',
      '| Semgrep rules | `.semgrep/rules.yml` | I-01 |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH, { files: { '.semgrep/rules.yml': 'rules: []' } }), 'RD020');
    assert.deepEqual(
      f.map((x) => x.message.split(' ')[1]),
      ['I-02'],
    );
  });

  it('accepts a prose line elsewhere that names the invariant with its test', () => {
    const doc = ['# Invariants', '', '| ID | Rule |', '|----|------|', '| I-01 | No float for money |', '', 'I-01 is enforced by `tests/test_money.py`.', ''].join('\n');
    assert.deepEqual(only(lintMemory(doc, PATH, { files: { 'tests/test_money.py': '' } }), 'RD020'), []);
  });

  it('says what the placeholder was', () => {
    const doc = ['# Invariants', '', '| ID | Rule | Enforcement |', '|----|------|-------------|', '| I-01 | No float for money | TBD |', ''].join('\n');
    const f = only(lintMemory(doc, PATH), 'RD020');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /says "TBD"/);
  });

  it('leaves templates alone', () => {
    const doc = ['# Invariants Template', '', '| ID | Rule | Enforcement |', '|----|------|-------------|', '| I-XX | <rule> |  |', ''].join('\n');
    assert.deepEqual(only(lintMemory(doc, 'docs/INVARIANTS_TEMPLATE.md'), 'RD020'), []);
  });
});

describe('RD021 invariant-check-broken', () => {
  const files = {
    'tests/test_ledger.py': 'def test_balance_never_negative():\n    pass\n',
    'src/vault.rs': 'pub fn sy_backing_for_pt() {}\n',
  };

  it('checks every part of a pytest node id against the file', () => {
    const doc = [
      '# Invariants',
      '',
      '| ID | Rule | Test |',
      '|----|------|------|',
      '| I-01 | Balance never negative | `tests/test_ledger.py::test_balance_never_negative` |',
      '| I-02 | Refunds never exceed charges | `tests/test_ledger.py::test_refund_cap` |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH, { files }), 'RD021');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.range.start.line, 5);
    assert.match(f[0]!.message, /`test_refund_cap`.*does not appear in tests\/test_ledger\.py/);
  });

  it('reads function names from link text and ignores GitHub line anchors', () => {
    const doc = [
      '# Invariants',
      '',
      '### I-V1 — Backing',
      '',
      '**Where enforced.** [vault.rs:sy_backing_for_pt](src/vault.rs) and [the guard](src/vault.rs#L12).',
      '',
      '### I-V2 — Balances',
      '',
      '**Where enforced.** [vault.rs:dec_treasury_sy](src/vault.rs).',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH, { files }), 'RD021');
    assert.deepEqual(
      f.map((x) => [x.range.start.line, /`dec_treasury_sy`/.test(x.message)]),
      [[8, true]],
    );
  });

  it('says once that a document read outside its repository cannot be judged', () => {
    const doc = [
      '# Invariants',
      '',
      '| ID | Rule | Enforcement |',
      '|----|------|-------------|',
      '| I-01 | A | `services/a.py` |',
      '| I-02 | B | `services/b.py` |',
      '| I-03 | C | `services/c.py` |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH), 'RD021');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'info');
    assert.match(f[0]!.message, /None of the 3 check paths/);
  });

  it('reports each missing path when others resolve', () => {
    const doc = [
      '# Invariants',
      '',
      '| ID | Rule | Enforcement |',
      '|----|------|-------------|',
      '| I-01 | A | `tests/test_ledger.py` |',
      '| I-02 | B | `services/b.py` |',
      '| I-03 | C | `services/c.py` |',
      '| I-04 | D | `services/d.py` |',
      '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH, { files }), 'RD021');
    assert.deepEqual(
      f.map((x) => x.severity),
      ['error', 'error', 'error'],
    );
  });
});

describe('RD022 invariant-alert-missing', () => {
  it('asks for alerts only where the document has a place for them', () => {
    const noColumn = ['# Invariants', '', '| ID | Rule | Check |', '|----|------|-------|', '| I-01 | A | lint rule `no-float` |', ''].join('\n');
    assert.deepEqual(only(lintMemory(noColumn, PATH), 'RD022'), []);
    const withSections = [
      '# Invariants',
      '',
      '### I-01 — A',
      '',
      '- **Enforcement:** lint rule',
      '- **Alert:** `FloatMoneySeen`',
      '',
      '### I-02 — B',
      '',
      '- **Enforcement:** unique index',
      '',
    ].join('\n');
    const f = only(lintMemory(withSections, PATH), 'RD022');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'info');
    assert.match(f[0]!.message, /I-02/);
  });
});
