import type { Cell, DocumentModel, FieldLine, ListItem, Section, Table, TableRow } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { isBlankOwner, statusClass } from '../engine/values.js';
import { INCIDENT_KINDS, actionSections, itemExtent, ownerHint, tablesIn, topListItems, type OwnerHint } from './rd07-ops-util.js';
import { isTemplateDoc } from './util.js';
import { isWithin } from '../engine/model.js';
import { plainText } from '../engine/build.js';

/** A short quote of an item for messages. */
export function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return `"${t.length > 50 ? t.slice(0, 47) + '…' : t}"`;
}

/** True for a row that is done (status closed or ✅) or has no content at all. */
export function rowDoneOrEmpty(t: Table, row: TableRow): boolean {
  if (row.cells.every((c) => !c.text)) return true;
  const s = t.roles.status !== undefined ? row.cells[t.roles.status] : undefined;
  return s ? statusClass(s.text) === 'closed' : false;
}

/** The cell naming the action (action/title column, else the first non-empty cell). */
export function actionCell(t: Table, row: TableRow): Cell | undefined {
  const i = t.roles.action ?? t.roles.title;
  const c = i !== undefined ? row.cells[i] : undefined;
  return c && c.text ? c : row.cells.find((x) => x.text);
}

/** An action list item to judge: has text, is not checked off. */
export function openActionItem(li: ListItem): boolean {
  return li.checked !== true && li.text.trim() !== '';
}

const ownerFields = new WeakMap<DocumentModel, Map<number, FieldLine>>();

/** The owner a list item names, looking at the item's own line and its continuation lines and sub-bullets. */
export function listItemOwner(model: DocumentModel, li: ListItem): OwnerHint {
  const own = ownerHint(li.text);
  if (own) return own;
  const ext = itemExtent(model, li);
  let owners = ownerFields.get(model);
  if (!owners) {
    owners = new Map(model.fieldLines.filter((f) => f.role === 'owner').map((f) => [f.line, f]));
    ownerFields.set(model, owners);
  }
  for (let l = li.line + 1; l <= ext.to; l++) {
    const f = owners.get(l);
    if (f) return isBlankOwner(f.text) ? { kind: 'blank', text: f.text } : { kind: 'named', text: f.text };
  }
  for (let l = li.line + 1; l <= ext.to; l++) {
    const h = ownerHint(model.prose[l] ?? '');
    if (h && h.kind === 'named' && /@|owner|assignee/i.test(model.prose[l] ?? '')) return h;
  }
  return undefined;
}

/** True when the section names one owner for all its items (`Owner: SRE` above the list, `All items are owned by SRE`). */
export function defaultOwner(model: DocumentModel, section: Section): boolean {
  for (const f of model.fieldLines) if (!f.bullet && f.role === 'owner' && isWithin(f.section, section) && !isBlankOwner(f.text)) return true;
  const itemLines = new Set(model.listItems.map((li) => li.line));
  for (let l = section.startLine; l <= section.endLine; l++) {
    if (model.masked[l] || itemLines.has(l)) continue;
    if (/\bowned by\s+\S|\bowners?\b[^.]*\bdefaults? to\s+\S/i.test(model.prose[l] ?? '')) return true;
  }
  return false;
}

/**
 * RD072: an action item (a row of a table, or a list item, under an `Action items` / `Follow-ups` /
 * `Corrective actions` heading) that names no owner: an empty, `TBD`, `?` or `-` owner cell, or a list item
 * with no @handle, `Owner:` field, `(owner: X)`, `— Team` suffix or `(Name)`. Done items are skipped.
 */
export const rd072: Rule = {
  meta: {
    id: 'RD072',
    name: 'action-item-owner-missing',
    description: 'An action item in an incident, postmortem or runbook has no owner.',
    defaultSeverity: 'warning',
    kinds: INCIDENT_KINDS,
  },
  check(ctx) {
    const model = ctx.model;
    if (isTemplateDoc(model)) return;
    for (const section of actionSections(model)) {
      for (const t of tablesIn(model, section)) {
        const rows = t.rows.filter((r) => !rowDoneOrEmpty(t, r));
        if (!rows.length) continue;
        const oc = t.roles.owner;
        if (oc !== undefined) {
          for (const r of rows) {
            const c = r.cells[oc];
            if (c && !isBlankOwner(c.text)) continue;
            const label = quote(actionCell(t, r)?.text ?? `row ${r.line + 1}`);
            ctx.report({
              range: c && c.text ? c.range : r.range,
              message: c && c.text
                ? `Action item ${label} has owner "${c.text}", which names nobody; expected a person, team or @handle.`
                : `Action item ${label} has no owner; expected a person, team or @handle in the ${t.columns[oc]!.header} column.`,
            });
          }
          continue;
        }
        const lacking = rows.filter((r) => ownerHint(r.cells.map((c) => c.text).join(' | '))?.kind !== 'named');
        if (lacking.length === rows.length) {
          ctx.report({
            range: model.lines.trimmedLineRange(t.headerLine),
            message: `The action items table has no owner column and none of its ${rows.length} open item${rows.length === 1 ? '' : 's'} names an owner; add an Owner column.`,
          });
        } else {
          for (const r of lacking) {
            const c = actionCell(t, r);
            ctx.report({ range: c?.range ?? r.range, message: `Action item ${quote(c?.text ?? '')} names no owner; expected a person, team or @handle.` });
          }
        }
      }
      const sectionOwner = defaultOwner(model, section);
      const open = topListItems(model, section).filter((li) => openActionItem(li) && !(sectionOwner && !/\bowner\s*[:=]/i.test(li.text)));
      const judged = open.map((li) => ({ li, owner: listItemOwner(model, li) }));
      const lacking = judged.filter((j) => j.owner?.kind !== 'named');
      // A list where no item names an owner: the convention is missing, say it once.
      if (lacking.length >= 2 && lacking.length === judged.length && lacking.every((j) => !j.owner) && section.heading) {
        ctx.report({
          range: section.heading.textRange,
          message: `None of the ${lacking.length} open action items under "${section.heading.text}" names an owner; give each a person, team or @handle.`,
        });
        continue;
      }
      for (const { li, owner } of lacking) {
        const text = quote(plainText(model.lines.lines[li.line]!.slice(li.textRange.start.character)));
        ctx.report({
          range: li.textRange,
          message: owner
            ? `Action item ${text} has owner "${owner.text}", which names nobody; expected a person, team or @handle.`
            : `Action item ${text} names no owner; add "Owner: …", an @handle or a team (e.g. "— Platform team").`,
        });
      }
    }
  },
};
