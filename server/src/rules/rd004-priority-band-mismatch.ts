import type { DeclaredBand, DocumentModel, Item } from '../engine/model.js';
import { itemCheck, type Rule } from '../engine/rule.js';
import { defaultLabel, priorityBand, rpnBand, type Band } from '../engine/values.js';
import { REGISTER_KINDS, itemLabel, num, registerFacts, scoresOf } from './register-util.js';
import { documentMemo, perItem, sameAsBefore } from '../engine/memo.js';

/**
 * RD004: the priority label disagrees with the RPN band. Bands come from the document's own prose when
 * it declares them (`High (RPN > 200)`), else from config (High > 80, Medium 40–80, Low < 40). A table
 * without a priority column under a heading that declares a band (`### Critical (RPN > 200)`) is
 * checked against that band. The fix writes the label the document itself uses for the right band.
 */
export const rd004: Rule = {
  meta: {
    id: 'RD004',
    name: 'priority-band-mismatch',
    description: 'The priority label does not match the band of the RPN.',
    defaultSeverity: 'warning',
    kinds: REGISTER_KINDS,
    fixable: true,
  },
  items: itemCheck({
    prepare(ctx) {
      const model = ctx.model;
      const facts = registerFacts(model);
      const declared = model.declaredBands;
      // On a 1–3 or 1–5 scale the default bands (out of 1000) mean nothing: judge only declared bands.
      const judged = facts.scale === 10 || !!thresholds(declared) || declared.length > 0;
      const bands = thresholds(declared) ?? ctx.config.rpnBands;
      const source = thresholds(declared) ? 'the bands this document declares' : `High > ${bands.high}, Medium ${bands.medium}–${bands.high}, Low < ${bands.medium}`;
      return { facts, judged, declared, bands, source, vocabulary: judged ? labelsByBand(model, bands) : new Map<Band, string>() };
    },
    check(ctx, item, { judged, declared, bands, source, vocabulary }) {
      if (!judged) return;
      const rpn = scoresOf(item).rpn;
      if (rpn === undefined || rpn < 1 || rpn > 1000) return;
      const p = item.fields.priority;
      if (p && p.text.trim()) {
        const stated = priorityBand(p.text);
        if (!stated) return;
        const expected = rpnBand(rpn, bands);
        if (stated === expected) return;
        const label = vocabulary.get(expected) ?? defaultLabel(expected, p.text);
        // One range object for the finding and its fix (a cell makes a new one each time it is asked).
        const range = p.range;
        ctx.report({
          range,
          message: `${itemLabel(item)}: priority "${p.text}" does not match RPN ${rpn}; expected ${label} (${source}).`,
          fixes: [{ title: `Set priority to ${label}`, edits: [{ range, newText: label }] }],
        });
        return;
      }
      // No priority of its own: the band its section declares.
      const band = sectionBand(declared, item);
      if (band && (rpn < band.min || rpn > band.max) && !hasFootnote(item.fields.rpn!.raw)) {
        const f = item.fields.rpn!;
        ctx.report({
          range: f.range,
          message: `${itemLabel(item)}: RPN ${rpn} is outside the band of its section (${describe(band)}, line ${band.line + 1}).`,
        });
      }
    },
  }),
};

/** `168*`, `168†`: a footnoted figure, an override the document explains. */
function hasFootnote(raw: string): boolean {
  return /\d\s*[*†‡]/.test(raw.replace(/^(\*\*|__)(.*)\1$/, '$2'));
}

function describe(b: DeclaredBand): string {
  if (b.max >= 1000) return `RPN ≥ ${b.min}`;
  if (b.min <= 1) return `RPN ≤ ${b.max}`;
  return `RPN ${b.min}–${b.max}`;
}

/** High/Medium/Low thresholds from declared bands, when the document labels them so. */
function thresholds(declared: DeclaredBand[]): { high: number; medium: number } | undefined {
  const high = declared.find((b) => b.label === 'high' || b.label === 'critical');
  const medium = declared.find((b) => b.label === 'medium' || b.label === 'moderate');
  if (!high || !medium || high.max < 1000) return undefined;
  return { high: high.min - 1, medium: medium.min };
}

/** The band declared by the nearest heading above an item (its section or an ancestor). */
function sectionBand(declared: readonly DeclaredBand[], item: Item): DeclaredBand | undefined {
  if (!declared.length) return undefined;
  for (let s = item.section; s; s = s.parent) {
    const h = s.heading;
    if (!h) continue;
    const b = declared.find((d) => d.line === h.line);
    if (b) return b;
    // A band stated in the paragraph right under the heading, before the table.
    if (item.table) {
      const near = declared.find((d) => d.label && d.line > h.line && d.line < item.table!.headerLine && sectionOwns(s, d.line));
      if (near) return near;
    }
  }
  return undefined;
}

function sectionOwns(s: { startLine: number; endLine: number; children: { heading?: { line: number } }[] }, line: number): boolean {
  return line >= s.startLine && line <= s.endLine && !s.children.some((c) => c.heading && c.heading.line <= line);
}

/**
 * One object per band and label as written: a register's rows repeat a handful of them, and one is kept
 * for every row (bounded: cleared past a thousand).
 */
function agreeingLabel(band: Band, raw: string): { band: Band; raw: string } {
  const key = `${band}\u0000${raw}`;
  let v = LABELS.get(key);
  if (!v) {
    if (LABELS.size > 1000) LABELS.clear();
    LABELS.set(key, (v = Object.freeze({ band, raw })));
  }
  return v;
}
const LABELS = new Map<string, { band: Band; raw: string }>();

/** The label the document uses most for each band, among rows whose label agrees with their RPN. */
function labelsByBand(model: DocumentModel, bands: { high: number; medium: number }): Map<Band, string> {
  // Per row: its label and band when they agree with its RPN (kept per unchanged row).
  const salt = `${bands.high}/${bands.medium}`;
  const agreeing = perItem(model, 'rd004-labels', salt, (item) => {
    const p = item.fields.priority;
    const rpn = num(item.fields.rpn);
    if (!p || rpn === undefined) return undefined;
    const b = priorityBand(p.text);
    return b && b === rpnBand(rpn, bands) ? agreeingLabel(b, p.raw) : undefined;
  });
  // The rows that changed say what they said before: the vocabulary is the same.
  const doc = documentMemo(model.path);
  const kept = doc.get('rd004-vocabulary') as { salt: string; vocabulary: Map<Band, string> } | undefined;
  const same = (a: { band: Band; raw: string } | undefined, b: { band: Band; raw: string } | undefined) => (a && b ? a.band === b.band && a.raw === b.raw : a === b);
  if (kept && kept.salt === salt && sameAsBefore(agreeing, same)) return kept.vocabulary;
  const counts = new Map<Band, Map<string, number>>();
  for (const a of agreeing.values) {
    if (!a) continue;
    const m = counts.get(a.band) ?? new Map<string, number>();
    m.set(a.raw, (m.get(a.raw) ?? 0) + 1);
    counts.set(a.band, m);
  }
  const out = new Map<Band, string>();
  for (const [b, m] of counts) out.set(b, [...m].sort((x, y) => y[1] - x[1])[0]![0]);
  doc.set('rd004-vocabulary', { salt, vocabulary: out });
  return out;
}
