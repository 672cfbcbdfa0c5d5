import type { Rule } from '../engine/rule.js';
import { range } from '../engine/text.js';
import type { Range } from '../engine/types.js';
import { perKey } from '../engine/memo.js';
import { HANDLE, INCIDENT_KINDS, actionSections, topListItems } from './rd07-ops-util.js';

/**
 * RD081: an owner handle (`@name`, `@org/team`) in an owner column or field that CODEOWNERS does not list.
 * Plain names and roles are not checked; without a CODEOWNERS file (or with `codeowners: false`) the rule
 * says nothing.
 */
export const rd081: Rule = {
  meta: {
    id: 'RD081',
    name: 'unknown-owner',
    description: 'An owner @handle is not listed in CODEOWNERS.',
    defaultSeverity: 'info',
    kinds: ['gap-register', 'fmea', 'invariants', 'slo', 'checklist', 'gap-analysis', 'summary', 'incident', 'postmortem', 'runbook'],
  },
  check(ctx) {
    if (ctx.config.codeowners === false) return;
    const owners = ctx.workspace?.codeowners();
    if (!owners) return;
    const model = ctx.model;
    const seen = new Set<string>();
    const check = (line: number, from: number, raw: string) => {
      HANDLE.lastIndex = 0;
      for (const m of raw.matchAll(HANDLE)) {
        const handle = m[0];
        const start = from + m.index!;
        const key = `${line}:${start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (owners.has(handle.toLowerCase())) continue;
        const r: Range = range(line, start, line, start + handle.length);
        const near = closest(handle.toLowerCase(), owners);
        ctx.report({
          range: r,
          message: near
            ? `Owner ${handle} is not listed in CODEOWNERS; did you mean ${near}?`
            : `Owner ${handle} is not listed in CODEOWNERS; check the handle or add it there.`,
        });
      }
    };
    // Owner columns of every table. Where each row's owner cell stands when it names a handle is kept per
    // unchanged row (numbers), so a lint after an edit reads that row's cells only.
    for (const t of model.tables) {
      const i = t.roles.owner;
      if (i === undefined) continue;
      const rows = t.rows;
      const spans = perKey(model, `rd081:${t.headerLine}:${i}`, rows.map((r) => r.item.memoKey), (_key, k) => {
        const c = rows[k]!.cells[i];
        return c && c.raw.includes('@') ? span(c.range.start.character, c.raw.length) : undefined;
      });
      spans.forEach((sp, k) => {
        if (sp === undefined) return;
        const line = rows[k]!.line;
        const [start, length] = typeof sp === 'number' ? [Math.floor(sp / SPAN), sp % SPAN] : sp;
        check(line, start, model.lines.lines[line]!.slice(start, start + length));
      });
    }
    // Owner fields (`Owner: @x`, `- **Owner:** @x`) and owner fields of section items.
    for (const f of model.fieldLines) {
      if (f.role === 'owner' && f.value.includes('@')) check(f.line, f.valueRange.start.character, model.lines.lines[f.line]!.slice(f.valueRange.start.character, f.valueRange.end.character));
    }
    // Inline `(owner: @x)` in prose and list items.
    for (let l = 0; l < model.prose.length; l++) {
      const p = model.prose[l]!;
      if (!p.includes('@') || model.masked[l]) continue;
      for (const m of p.matchAll(/\b(?:owners?|assignees?|assigned to|dri)\s*[:=]\s*((?:@[\w./-]+[\s,&]*(?:and\s+)?)+)/gi)) {
        check(l, m.index! + m[0].length - m[1]!.length, m[1]!);
      }
    }
    // Handles that name the owner of an action item in incidents, postmortems and runbooks.
    if (INCIDENT_KINDS.includes(model.kind)) {
      for (const s of actionSections(model)) {
        for (const li of topListItems(model, s)) {
          const p = model.prose[li.line]!;
          if (p.includes('@')) check(li.line, li.textRange.start.character, p.slice(li.textRange.start.character));
        }
      }
    }
  },
};

/** The CODEOWNERS handle within two edits of `h`, if exactly one is. */
function closest(h: string, owners: ReadonlySet<string>): string | undefined {
  const near = [...owners].filter((o) => o.startsWith('@') && distance(h, o) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** A cell's start and length as one number (a pair when the cell is longer than any real owner cell). */
const SPAN = 2 ** 20;
function span(start: number, length: number): number | readonly [number, number] {
  return length < SPAN && start < 2 ** 32 ? start * SPAN + length : [start, length];
}
