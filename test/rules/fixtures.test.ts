/**
 * Fixture runner (after markdownlint's scenarios): every rule has a folder test/fixtures/rules/<ID>/ with
 * `fail*.md` files whose expected findings are marked inline and `pass*.md` files that must produce no
 * finding at all. A marker `<!-- expect RD002 -->` (several ids allowed, repeats count) is removed before
 * linting and expects that rule on that line. In fail files, the rules that appear in markers (and the
 * folder's own rule) must produce exactly the marked findings. Fixes are applied and the text linted
 * again: the fixed findings are gone and a second pass changes nothing. Other Markdown files in the folder
 * (not fail/pass) form the fixture's workspace: they are indexed and links may point at them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyFixes,
  buildModel,
  lintModel,
  RULES,
  WorkspaceIndex,
  type Finding,
} from '../../server/src/engine/index.js';
import { ConfigLoader, createFsWorkspace, toPosix } from '../../server/src/node/fsWorkspace.js';
import { FIXTURES, REPO_ROOT } from '../helpers/paths.js';
import { TEST_TODAY } from '../helpers/lint.js';

const RULE_DIR = join(FIXTURES, 'rules');
const MARKER = /[ \t]*<!--\s*expect\s+([A-Z]{2}\d{3}(?:[\s,]+[A-Z]{2}\d{3})*)\s*-->/g;

interface Prepared {
  text: string;
  expected: Map<string, number>; // "line:RULE" → count
  markedRules: Set<string>;
}

function prepare(raw: string): Prepared {
  const expected = new Map<string, number>();
  const markedRules = new Set<string>();
  const lines = raw.split('\n').map((line, i) =>
    line.replace(MARKER, (_m, list: string) => {
      for (const id of list.split(/[\s,]+/).filter(Boolean)) {
        const k = `${i + 1}:${id}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
        markedRules.add(id);
      }
      return '';
    }),
  );
  return { text: lines.join('\n'), expected, markedRules };
}

function lintFixture(dir: string, file: string, text: string): Finding[] {
  const ws = createFsWorkspace(dir);
  const loader = new ConfigLoader(toPosix(dir));
  const path = toPosix(join(dir, file));
  const { config } = loader.forDocument(path);
  const index = new WorkspaceIndex();
  for (const f of readdirSync(dir)) {
    // Sibling fail/pass files are variants of one another, not neighbours: only support files are indexed.
    if (!f.endsWith('.md') || /^(fail|pass)/.test(f)) continue;
    const p = toPosix(join(dir, f));
    index.update(buildModel(prepare(readFileSync(join(dir, f), 'utf8')).text, p, loader.forDocument(p).config));
  }
  const model = buildModel(text, path, config);
  index.update(model);
  return lintModel(model, { config, workspace: ws, index, today: config.today ?? TEST_TODAY });
}

function describeFindings(fs: Finding[]): string {
  return fs.map((f) => `  ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${f.message}`).join('\n') || '  (none)';
}

const folders = existsSync(RULE_DIR) ? readdirSync(RULE_DIR).filter((d) => statSync(join(RULE_DIR, d)).isDirectory()).sort() : [];

describe('rule fixtures', () => {
  for (const folder of folders) {
    const dir = join(RULE_DIR, folder);
    const files = readdirSync(dir).filter((f) => /^(fail|pass).*\.md$/.test(f)).sort();
    for (const file of files) {
      it(`${folder}/${file}`, () => {
        const raw = readFileSync(join(dir, file), 'utf8');
        const { text, expected, markedRules } = prepare(raw);
        const findings = lintFixture(dir, file, text);
        if (file.startsWith('pass')) {
          assert.equal(findings.length, 0, `expected no findings in ${folder}/${file}, got:\n${describeFindings(findings)}`);
          return;
        }
        const judged = new Set([...markedRules, folder]);
        const actual = new Map<string, number>();
        for (const f of findings) {
          if (!judged.has(f.ruleId)) continue;
          const k = `${f.range.start.line + 1}:${f.ruleId}`;
          actual.set(k, (actual.get(k) ?? 0) + 1);
        }
        assert.deepEqual(
          Object.fromEntries([...actual].sort()),
          Object.fromEntries([...expected].sort()),
          `findings in ${folder}/${file} differ from the markers; got:\n${describeFindings(findings.filter((f) => judged.has(f.ruleId)))}`,
        );
        assert.ok(expected.size > 0, `${folder}/${file} marks no expected finding`);
        // Every finding states a range inside its line and a message.
        for (const f of findings) {
          assert.ok(f.message.length > 10, `message too short: ${f.message}`);
          assert.ok(f.range.start.line <= f.range.end.line);
        }
        // Fixes: applying them removes the fixed findings, and applying again changes nothing.
        const fixable = findings.filter((f) => f.fixes?.length && judged.has(f.ruleId));
        if (fixable.length) {
          const once = applyFixes(text, fixable).text;
          assert.notEqual(once, text, 'fixes changed nothing');
          const after = lintFixture(dir, file, once);
          const left = after.filter((f) => fixable.some((g) => g.ruleId === f.ruleId && g.range.start.line === f.range.start.line));
          assert.equal(left.length, 0, `fixed findings remain after applying fixes:\n${describeFindings(left)}`);
          const twice = applyFixes(once, after.filter((f) => f.fixes?.length && fixable.some((g) => g.ruleId === f.ruleId))).text;
          assert.equal(twice, once, 'fixes are not idempotent');
        }
      });
    }
  }
});

describe('every rule is documented and has fixtures', () => {
  for (const rule of RULES) {
    it(`${rule.meta.id} ${rule.meta.name}`, () => {
      const doc = join(REPO_ROOT, 'docs', 'rules', `${rule.meta.id}.md`);
      assert.ok(existsSync(doc), `missing docs/rules/${rule.meta.id}.md`);
      const docText = readFileSync(doc, 'utf8');
      assert.match(docText, new RegExp(`^# ${rule.meta.id}`, 'm'), 'the doc starts with "# <ID> …"');
      assert.match(docText, /^## /m, 'the doc has sections');
      const dir = join(RULE_DIR, rule.meta.id);
      assert.ok(existsSync(dir), `missing test/fixtures/rules/${rule.meta.id}/`);
      const files = readdirSync(dir);
      assert.ok(files.some((f) => f.startsWith('fail') && f.endsWith('.md')), 'needs a fail*.md fixture');
      assert.ok(files.some((f) => f.startsWith('pass') && f.endsWith('.md')), 'needs a pass*.md fixture');
      const marked = files
        .filter((f) => f.startsWith('fail'))
        .some((f) => prepare(readFileSync(join(dir, f), 'utf8')).markedRules.has(rule.meta.id));
      assert.ok(marked, `no fail fixture marks ${rule.meta.id}`);
      assert.match(rule.meta.name, /^[a-z]+(?:-[a-z]+)*$/, 'name is kebab-case');
      assert.ok(rule.meta.description.length > 10 && !rule.meta.description.includes('\n'), 'one-line description');
    });
  }
});
