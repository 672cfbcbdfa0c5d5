/**
 * RD042 level-claim-unsupported: a readiness level (L0–L3, `Level 2`) claimed without the evidence the
 * document's own criteria ask for. Two forms of criteria are read:
 *  - a statement that a level needs evidence (`L2 and above require an evidence link`): a table row
 *    claiming that level (or higher) with an empty Evidence cell is reported;
 *  - a section per level holding criteria boxes (`### L2 criteria` + `- [ ] …`): a document-level claim
 *    (`Current Level: L2`, `Overall: L2`) with unchecked boxes at or below that level is reported.
 * Documents that state no criteria get no findings; `L1.5` is a valid level (it needs L1's criteria).
 */
import type { Section } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { normalizeHeader } from '../engine/roles.js';
import { leadingLevel, levelsIn, type LevelRef } from './kd-checklist.js';
import { fmt, isNotApplicable, isPlaceholder } from './kd-util.js';
import { isTemplateDoc } from './util.js';

interface EvidenceRule {
  min: number;
  /** True for `L2 and above`; levels are cumulative either way, so both apply upwards. */
  line: number;
}

const REQUIRES = /\b(?:requires?|required|must|needs?|mandatory|only\s+with|only\s+if|backed\s+by)\b/i;
const EVIDENCE = /\b(?:evidence|proof|link|links|artifacts?|artefacts?)\b/i;

function levelLabel(l: LevelRef | number): string {
  const v = typeof l === 'number' ? l : l.value;
  return `L${fmt(v)}`;
}

export const rd042: Rule = {
  meta: {
    id: 'RD042',
    name: 'level-claim-unsupported',
    description: 'A readiness level claimed without the evidence or criteria the document itself requires for it.',
    defaultSeverity: 'warning',
    kinds: ['checklist', 'gap-analysis'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model)) return;

    // Criteria 1: statements that a level needs evidence.
    const tableLines = new Set<number>();
    for (const t of model.tables) for (let l = t.headerLine; l <= t.endLine; l++) tableLines.add(l);
    const evidenceRules: EvidenceRule[] = [];
    for (let l = 0; l < model.prose.length; l++) {
      const p = model.prose[l]!;
      if (model.masked[l] || tableLines.has(l) || !REQUIRES.test(p) || !EVIDENCE.test(p)) continue;
      const levels = levelsIn(p).filter((x) => x.kind === 'L');
      if (!levels.length) continue;
      // The requirement must come after the level it names (`L2 requires …`, `- **L2**: … evidence required`).
      const req = REQUIRES.exec(p)!.index;
      const before = levels.filter((x) => x.index < req);
      const lv = before.length ? before : levels;
      evidenceRules.push({ min: Math.min(...lv.map((x) => x.value)), line: l });
    }

    // Criteria 2: sections per level holding boxes.
    const levelSections: { level: number; section: Section }[] = [];
    for (const s of model.sections) {
      if (!s.heading) continue;
      const ls = levelsIn(s.heading.text).filter((x) => x.kind === 'L');
      if (ls.length !== 1) continue;
      if (!model.listItems.some((li) => li.checked !== undefined && li.section === s)) continue;
      levelSections.push({ level: ls[0]!.value, section: s });
    }
    if (!evidenceRules.length && !levelSections.length) return;

    // Table rows claiming a level.
    if (evidenceRules.length) {
      for (const t of model.tables) {
        const lc = t.columns.findIndex((c) => c.role === 'level' && !/target|goal|next|required|min/i.test(normalizeHeader(c.header)));
        const ec = t.roles.evidence;
        if (lc < 0 || ec === undefined) continue;
        for (const row of t.rows) {
          const cell = row.cells[lc];
          const lv = cell ? leadingLevel(cell.text) : undefined;
          if (!cell || !lv || lv.kind !== 'L') continue;
          const rule = evidenceRules.filter((r) => lv.value >= r.min).sort((a, b) => a.min - b.min)[0];
          if (!rule) continue;
          const ev = row.cells[ec];
          const evText = ev?.raw ?? '';
          if (!isPlaceholder(evText) || isNotApplicable(evText)) continue;
          const name = row.cells.find((c, i) => i !== lc && i !== ec && c.text.trim())?.text.trim() ?? `row ${row.line + 1}`;
          ctx.report({
            range: cell.range,
            message: `"${name}" claims ${levelLabel(lv)} but its ${t.columns[ec]!.header} cell is ${evText.trim() ? `"${evText.trim()}"` : 'empty'}; the document requires evidence from ${levelLabel(rule.min)} up (line ${rule.line + 1}).`,
            related: [{ range: model.lines.trimmedLineRange(rule.line), message: 'the evidence requirement' }],
          });
        }
      }
    }

    // Document-level claims against level criteria boxes.
    if (levelSections.length) {
      const firstH2 = model.headings.find((h) => h.depth >= 2)?.line ?? Infinity;
      for (const f of model.fieldLines) {
        const key = f.keyNorm;
        const isClaimKey = /^(?:(?:current|overall|achieved|claimed|readiness|maturity|service)\s+)*(?:level|tier|maturity|readiness level|readiness)$/.test(key) || key === 'overall';
        if (!isClaimKey) continue;
        const lv = leadingLevel(f.value);
        if (!lv || lv.kind !== 'L') continue;
        // A claim inside a level section speaks of that section only; document claims sit before the first H2 or under a summary.
        if (levelSections.some((s) => f.section === s.section)) continue;
        if (f.line > firstH2 && f.section.heading && levelsIn(f.section.heading.text).length) continue;
        const needed = levelSections.filter((s) => s.level <= lv.value);
        let total = 0;
        const unchecked: { line: number; level: number; text: string; range: import('../engine/types.js').Range }[] = [];
        for (const s of needed) {
          for (const li of model.listItems) {
            if (li.checked === undefined || li.section !== s.section) continue;
            total++;
            if (!li.checked) unchecked.push({ line: li.line, level: s.level, text: li.text, range: li.boxRange ?? li.textRange });
          }
        }
        if (!unchecked.length) continue;
        const levelsMissing = [...new Set(unchecked.map((u) => levelLabel(u.level)))].join(', ');
        ctx.report({
          range: f.valueRange,
          message: `Claims ${levelLabel(lv)} but ${unchecked.length} of ${total} criteria boxes for ${levelsMissing} are unchecked; check them or lower the claimed level.`,
          related: unchecked.slice(0, 5).map((u) => ({ range: u.range, message: `unchecked ${levelLabel(u.level)} criterion: ${u.text}` })),
        });
      }
    }
  },
};
