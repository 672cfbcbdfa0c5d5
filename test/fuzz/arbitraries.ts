/**
 * fast-check arbitraries for the fuzz tests: random readiness-flavoured Markdown built from fragments
 * that stress the engine (ragged and huge tables, unbalanced pipes and ticks, deep nesting, odd front
 * matter, CRLF/CR, BOM, NUL, lone surrogates, mojibake) and mutations of realistic documents.
 *
 * Runs and seed: FUZZ_RUNS multiplies the number of runs, FUZZ_SEED picks another seed (the default is
 * fixed, so `npm test` is reproducible; explore with FUZZ_SEED=$RANDOM FUZZ_RUNS=20).
 */
import fc from 'fast-check';
import { buildModel, defaultConfig, LineIndex, memoryWorkspace, WorkspaceIndex, type Finding, type LintOptions, type Range } from '../../server/src/engine/index.js';

/** The workspace root of the fuzz tests' documents. */
export const ROOT = '/ws';

/** Lint options over an in-memory workspace of `files` (relative to ROOT), its Markdown files indexed. */
export function workspaceOptions(files: Record<string, string>, codeowners?: string): LintOptions {
  const config = defaultConfig();
  const index = new WorkspaceIndex();
  for (const [p, t] of Object.entries(files)) if (p.endsWith('.md')) index.update(buildModel(t, `${ROOT}/${p}`, config));
  return { config, today: '2026-06-01', workspace: memoryWorkspace(ROOT, files, codeowners), index };
}

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261123;
const MULT = process.env.FUZZ_RUNS ? Math.max(0.1, Number(process.env.FUZZ_RUNS)) : 1;

export function runs(n: number): number {
  return Math.max(1, Math.round(n * MULT));
}

/** fast-check parameters shared by every property. */
export function params(numRuns: number): fc.Parameters<unknown> {
  return { numRuns: runs(numRuns), seed: FUZZ_SEED, endOnFailure: true };
}

const ODD = ['\u0000', '\ufeff', '\ud800', '\udfff', '\ud83d', '\u200b', '\u00a0', '\t', '\r', '\\', '|', '`', '``', '*', '_', '[', ']', '(', ')', '<', '>', '<!--', '-->', '#', ':', '~~~', '```'];
const EMOJI = ['🔴', '🟡', '🟢', '✅', '❌', '⚠️', '🚧', '👩🏽‍💻', 'âœ…', 'âŒ', 'ðŸ"´', 'Ã©'];
const WORDS = [
  'G-001', 'G-002', 'G-010', 'FM-3', 'GAP-CORE-7', 'INV-12', 'RPN', 'Owner', 'Status', 'Done', 'Open', 'In progress', 'TBD', 'High',
  'Medium', 'Low', 'P1', '@sre-team', '@alice', 'Evidence', 'Due', '2026-01-31', '2025-12-01', 'Q3 2026', 'Jan 5, 2026', '2026-W14',
  '99.9%', '42', '0', '-3', '1,000', '11', '1000', 'n/a', '—', 'missing', 'not found', 'Last reviewed:', 'Severity', 'S', 'O', 'D',
  'Priority', 'Action', 'SLO', 'Target', 'Window', 'Checklist', 'Overall', 'Score', '[x]', '[ ]', 'Summary', 'Impact', 'Timeline',
];
const TARGETS = ['../../../etc/passwd', '/etc/shadow', 'docs/ops/runbooks.md', './missing.md#nope', '#summary', 'https://example.com', 'file:///etc/passwd', '..', '../', '%2e%2e/%2e%2e/etc/passwd', 'a b.md', ''];

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(...TARGETS).map((t) => `[evidence](${t})`) },
  { weight: 1, arbitrary: fc.constantFrom(...TARGETS).map((t) => `\`${t}\``) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 1200 }).map(String) },
);

/** Inline text: a few words, sometimes with markup around them. */
export const inline = fc
  .tuple(fc.array(word, { maxLength: 8 }), fc.constantFrom('', '**', '_', '`', '~~'))
  .map(([ws, mark]) => (mark ? `${mark}${ws.join(' ')}${mark}` : ws.join(' ')));

const cell = fc.oneof(
  { weight: 8, arbitrary: inline },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('a \\| b', '`a | b`', '`unclosed | x', '<br>', '**', '||', '\\'),
  },
);

function tableBlock(maxRows: number, maxCols: number) {
  return fc
    .record({
      header: fc.array(cell, { minLength: 1, maxLength: maxCols }),
      delimCols: fc.option(fc.integer({ min: 1, max: maxCols + 2 }), { nil: undefined }),
      rows: fc.array(fc.array(cell, { maxLength: maxCols + 3 }), { maxLength: maxRows }),
      lead: fc.boolean(),
      trail: fc.boolean(),
      indent: fc.constantFrom('', '', ' ', '   ', '    ', '> ', '- '),
    })
    .map(({ header, delimCols, rows, lead, trail, indent }) => {
      const line = (cells: string[]) => indent + (lead ? '| ' : '') + cells.join(' | ') + (trail ? ' |' : '');
      const delim = Array.from({ length: delimCols ?? header.length }, (_, i) => (i % 3 === 0 ? ':---' : i % 3 === 1 ? '---:' : '-'));
      return [line(header), line(delim), ...rows.map(line)].join('\n');
    });
}

const heading = fc.tuple(fc.integer({ min: 1, max: 7 }), inline, fc.boolean()).map(([n, t, closed]) => `${'#'.repeat(n)} ${t}${closed ? ' ##' : ''}`);
const listBlock = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom('- ', '* ', '1. ', '2) ', '- [ ] ', '- [x] ', '+ [X] '), inline), { minLength: 1, maxLength: 12 })
  .map((items) => items.map(([d, m, t]) => `${'  '.repeat(d)}${m}${t}`).join('\n'));
const quoteBlock = fc.tuple(fc.integer({ min: 1, max: 30 }), inline).map(([d, t]) => `${'> '.repeat(d)}${t}`);
const fence = fc
  .tuple(fc.constantFrom('```', '~~~', '````', '```js'), fc.array(inline, { maxLength: 4 }), fc.boolean())
  .map(([f, body, closed]) => [f, ...body, closed ? f.replace(/[a-z]+$/, '') : ''].join('\n'));
const field = fc
  .tuple(fc.constantFrom('Owner', 'Status', 'Last reviewed', 'Last updated', 'Evidence', 'Due', 'RPN', 'Priority', 'Severity', 'Target', 'Kind'), inline, fc.constantFrom('plain', 'bold', 'bullet', 'em'))
  .map(([k, v, style]) => (style === 'bold' ? `**${k}:** ${v}` : style === 'bullet' ? `- ${k}: ${v}` : style === 'em' ? `_${k}: ${v}_` : `${k}: ${v}`));
const html = fc.constantFrom(
  '<!-- readiness-disable RD005 -->',
  '<!-- readiness-enable -->',
  '<!-- readiness-disable-next-line -->',
  '<!-- readiness-disable RD999, owner-missing -->',
  '<!-- unclosed comment',
  '<details><summary>x</summary>',
  '</details>',
  '<br/>',
);
const definition = fc.tuple(fc.constantFrom('ev', 'x', 'G-001'), fc.constantFrom(...TARGETS)).map(([id, t]) => `[${id}]: ${t}`);
const quoteRpn = fc.tuple(fc.constantFrom('G-001', 'G-002', 'FM-3'), fc.integer({ min: 0, max: 1200 })).map(([id, n]) => `${id}: something (RPN: ${n}).`);
const prose = fc.array(inline, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(' '));

const block = fc.oneof(
  { weight: 5, arbitrary: prose },
  { weight: 4, arbitrary: tableBlock(12, 8) },
  { weight: 3, arbitrary: heading },
  { weight: 2, arbitrary: listBlock },
  { weight: 1, arbitrary: quoteBlock },
  { weight: 1, arbitrary: fence },
  { weight: 3, arbitrary: field },
  { weight: 1, arbitrary: html },
  { weight: 1, arbitrary: definition },
  { weight: 1, arbitrary: quoteRpn },
  { weight: 1, arbitrary: fc.constant('') },
);

const frontMatter = fc.constantFrom(
  '',
  '',
  '---\nkind: gap-register\n---',
  '---\nreadiness:\n  kind: fmea\n---',
  '---\nkind: [unclosed\n---',
  '---\n: : :\n\t- x\n---',
  '---\nthis is not yaml at all | | |\n---',
  '---\nkind: gap-register',
  '+++\nkind = "fmea"\n+++',
  '---\na: &a [*a]\n---',
  '---\n' + 'k: v\n'.repeat(50) + '---',
);

/** Joins lines with LF, CRLF or CR, chosen per line. */
function joinLines(lines: string[], eols: string[]): string {
  let out = '';
  lines.forEach((l, i) => {
    out += l;
    if (i < lines.length - 1) out += eols[i % eols.length]!;
  });
  return out;
}

/** A random document: front matter, blocks, mixed line ends, sometimes a BOM. */
export const markdownDoc = fc
  .record({
    fm: frontMatter,
    blocks: fc.array(block, { maxLength: 14 }),
    eols: fc.array(fc.constantFrom('\n', '\n', '\n', '\r\n', '\r'), { minLength: 1, maxLength: 4 }),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map(({ fm, blocks, eols, bom, finalEol }) => {
    const lines = [fm, ...blocks].filter((b, i) => i > 0 || b !== '').join('\n\n').split('\n');
    return (bom ? '\ufeff' : '') + joinLines(lines, eols) + (finalEol ? eols[0]! : '');
  });

/** Documents that are mostly a register table: where the fixes are (RPN, bands, quoted figures). */
export const registerDoc = fc
  .record({
    title: fc.constantFrom('# Gap Register', '# FMEA', '# Risk register', '# Gaps'),
    cols: fc.shuffledSubarray(['ID', 'Gap', 'S', 'O', 'D', 'RPN', 'Priority', 'Owner', 'Status', 'Evidence', 'Due'], { minLength: 3 }),
    rows: fc.array(
      fc.record({
        id: fc.integer({ min: 1, max: 15 }),
        s: fc.oneof(fc.integer({ min: 0, max: 11 }).map(String), fc.constantFrom('', 'High', '**7**', '3*', '~4')),
        o: fc.integer({ min: 1, max: 10 }),
        d: fc.integer({ min: 1, max: 10 }),
        rpnDelta: fc.constantFrom(0, 0, 0, 1, -7, 1000, NaN),
        pri: fc.constantFrom('High', 'Medium', 'Low', 'P1', 'P3', '🔴', 'critical', '', 'HIGH'),
        owner: fc.constantFrom('@sre', '', 'TBD', 'Desk Ops'),
        status: fc.constantFrom('Open', 'Done', 'In progress', '✅', 'Not mitigated', ''),
        evidence: fc.constantFrom('', '[ev](../x.md)', '`scripts/x.sh`', '[ev](../../../etc/passwd)'),
        due: fc.constantFrom('2026-01-01', '2027-05-05', '', 'Q1 2026', 'soon'),
      }),
      { minLength: 1, maxLength: 15 },
    ),
    bands: fc.constantFrom('', 'High: RPN > 200. Medium: RPN 100-200. Low: RPN < 100.', '- **High** (RPN ≥ 120)'),
    quotes: fc.array(quoteRpn, { maxLength: 3 }),
    summary: fc.constantFrom('', '## Summary\n\n3 open gaps, 2 closed.', '## Summary\n\n| Status | Count |\n|---|---|\n| Open | 4 |\n| Done | 1 |'),
    eol: fc.constantFrom('\n', '\r\n'),
  })
  .map(({ title, cols, rows, bands, quotes, summary, eol }) => {
    const lines = [title, '', 'Last reviewed: 2026-05-01', '', bands, '', `| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`];
    for (const r of rows) {
      const s = Number(r.s);
      const rpn = Number.isNaN(r.rpnDelta) ? '' : Number.isFinite(s) && r.s !== '' ? String(s * r.o * r.d + r.rpnDelta) : String(r.o * r.d);
      const value: Record<string, string> = {
        ID: `G-${String(r.id).padStart(3, '0')}`, Gap: 'Something', S: r.s, O: String(r.o), D: String(r.d), RPN: rpn, Priority: r.pri,
        Owner: r.owner, Status: r.status, Evidence: r.evidence, Due: r.due,
      };
      lines.push(`| ${cols.map((c) => value[c]).join(' | ')} |`);
    }
    lines.push('', ...quotes, '', summary, '');
    return lines.join(eol);
  });

/** Realistic documents to mutate. */
export const SEEDS: readonly string[] = [
  '# Gap Register\n\nLast reviewed: 2026-01-15\n\n| ID | Gap | S | O | D | RPN | Priority | Owner | Status | Evidence | Due |\n|----|-----|---|---|---|-----|----------|-------|--------|----------|-----|\n| G-001 | TLS | 8 | 5 | 4 | 160 | High | @sre | Open | [ev](../docs/x.md) | 2026-02-01 |\n| G-002 | Backups | 9 | 3 | 2 | 50 | Medium |  | Done |  | 2026-03-01 |\n| G-003 | Alerts | 5 | 5 | 5 | 120 | Low | TBD | In progress | `scripts/a.sh` | Q2 2026 |\n\n## Summary\n\nG-001: TLS (RPN: 150) is the top gap; see G-009.\n',
  '---\nkind: checklist\n---\n# Production Readiness Checklist\n\nStatus: **COMPLETE**\n\n## Build\n\n- [x] CI green (2026-01-01)\n- [ ] Soak test\n  - [x] nested\n\n| Category | Score |\n|---|---|\n| Functional | 80% |\n| Security | 40% |\n| **Overall** | **~90%** |\n',
  '# Postmortem: incident 7\n\nDate: 2026-03-03\n\n## Summary\n\nOrders were delayed.\n\n## Timeline\n\n- 10:05 paged\n- 10:02 alert fired\n\n## Action items\n\n| Action | Owner | Due |\n|---|---|---|\n| Add TTL check |  | 2026-04-01 |\n| Fire-test alert | @bob |  |\n',
  '# SLOs\n\n| Service | SLI | Target | Window | Alert | Owner |\n|---|---|---|---|---|---|\n| api | p99 latency < 250 ms | 99.9% | 30d | HighLatency | @sre |\n| db | availability | 120% | 28 days |  |  |\n\nError budget: 43 minutes per 30 days.\n',
  '# FMEA\n\n| Component | Failure mode | Effect | Cause | Sev | Occ | Det | RPN | Action | Owner | Due |\n|---|---|---|---|---|---|---|---|---|---|---|\n| svc-1 | fails | delay | OOM | 7 | 3 | 2 | 43 | add alert | @a | 2026-01-01 |\n',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(word, fc.constantFrom('\n', '\r\n', '|', '| x |', '\n|---|\n', '```\n', '<!--', '\u0000', '\ud800')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 5 }) }),
);

/** A realistic document with a few random edits. */
export const mutatedDoc = fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([seed, muts]) => {
  let t = seed;
  for (const m of muts) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else {
      const lines = t.split('\n');
      const l = m.at % lines.length;
      lines.splice(l, 0, ...Array<string>(m.times).fill(lines[l]!));
      t = lines.join('\n');
    }
  }
  return t;
});

/** Rare, large shapes: 10,000 columns, a 200 KB cell, 2,000 nested quotes or list levels, 3,000 rows. */
export const HUGE: ReadonlyArray<[string, () => string]> = [
  ['10,000 columns', () => {
    const h = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    return `# Wide\n\n| ${h.join(' | ')} |\n|${h.map(() => '-').join('|')}|\n| ${h.map((_, i) => String(i)).join(' | ')} |\n`;
  }],
  ['200 KB cell', () => `# Huge cell\n\n| ID | Gap | Owner |\n|---|---|---|\n| G-001 | ${'x'.repeat(200_000)} | @a |\n| G-002 | ${'`|'.repeat(50_000)} | |\n`],
  ['2,000 nested quotes', () => `# Quotes\n\n${'> '.repeat(2000)}deep\n`],
  ['300 nested list levels', () => `# Lists\n\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}\n`],
  ['2,000 list markers on one line', () => `# Lists\n\n${'- '.repeat(2000)}x\n${'1. > '.repeat(2000)}y\n`],
  ['300 growing quote and list levels', () => Array.from({ length: 300 }, (_, i) => `${'- > '.repeat(i)}x`).join('\n')],
  ['5,000 unclosed comments in a row', () => `# Gap Register\n\n| ID | Gap | Owner |\n|---|---|---|\n| G-001 | ${'<!--'.repeat(5000)} | @a |\n${'<!--'.repeat(5000)}\n`],
  ['20,000 open brackets in a cell and a line', () => `# Gap Register\n\n| ID | Gap | Owner |\n|---|---|---|\n| G-001 | ${'['.repeat(20_000)} | ${'[x]('.repeat(5000)} |\n\n${'[a]('.repeat(20_000)}\n`],
  ['10,000 links', () => `# Links\n\n${'[x](y) '.repeat(5000)}\n\n${'[e](../x.md)\n'.repeat(5000)}`],
  ['3,000 unbalanced pipes', () => `# Pipes\n\n${'|'.repeat(3000)}\n${'|-'.repeat(1500)}\n${'| a '.repeat(3000)}\n`],
  ['3,000 ragged rows', () => `# Ragged\n\n| ID | S | O | D | RPN |\n|---|---|---|---|---|\n${Array.from({ length: 3000 }, (_, i) => `| G-${i} |${' 3 |'.repeat(i % 9)}`).join('\n')}\n`],
  ['100,000 backticks', () => `# Ticks\n\n${'`'.repeat(100_000)}\n| a | b |\n|---|---|\n| ${'`'.repeat(50_001)} | x |\n`],
  ['50,000 brackets', () => `# Brackets\n\n${'['.repeat(50_000)}${']('.repeat(10_000)}\n| [a](${'('.repeat(10_000)} | b |\n|---|---|\n`],
  ['NUL and surrogates', () => `# \u0000Bad\ud800\n\n| ID | Owner |\n|---|---|\n| G-1\u0000 | \udfff |\n\u0000\u0000`],
  ['only CR line ends', () => `# CR\r\r| ID | RPN |\r|---|---|\r| G-001 | 5 |\r`],
];

/** Asserts that a range lies inside the text as LSP sees it (lines split at LF, CRLF and CR). */
export function assertRangeInside(lines: LineIndex, r: Range, what: string): void {
  const ok =
    r &&
    Number.isInteger(r.start.line) &&
    Number.isInteger(r.start.character) &&
    Number.isInteger(r.end.line) &&
    Number.isInteger(r.end.character) &&
    r.start.line >= 0 &&
    r.start.character >= 0 &&
    r.end.line < lines.lineCount &&
    r.start.line < lines.lineCount &&
    r.end.character <= lines.lines[r.end.line]!.length &&
    r.start.character <= lines.lines[r.start.line]!.length &&
    (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
  if (!ok) throw new Error(`${what}: range ${JSON.stringify(r)} is outside the document (${lines.lineCount} lines)`);
}

/** Findings are sound: no rule threw, every range (finding, related, fix edit) inside the document. */
export function checkFindings(text: string, findings: readonly Finding[], path: string): void {
  const lines = new LineIndex(text);
  for (const f of findings) {
    if (/failed on this document/.test(f.message)) throw new Error(`a rule threw: ${f.message}`);
    assertRangeInside(lines, f.range, `${f.ruleId} finding`);
    for (const r of f.related ?? []) if (r.path === undefined || r.path === path) assertRangeInside(lines, r.range, `${f.ruleId} related`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) assertRangeInside(lines, e.range, `${f.ruleId} fix "${fix.title}"`);
  }
}

