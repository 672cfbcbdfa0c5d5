import type { DocumentModel, ListItem } from '../engine/model.js';
import type { Rule } from '../engine/rule.js';
import { findDates } from '../engine/dates.js';
import { INCIDENT_KINDS, actionSections, itemExtent, tablesIn, topListItems } from './rd07-ops-util.js';
import { isPlaceholderValue, isTemplateDoc } from './util.js';
import { actionCell, openActionItem, quote, rowDoneOrEmpty } from './rd072-action-item-owner-missing.js';

const YEARLESS = /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
const DUE_WORDS = /\b(?:due|eta|deadline|target(?: date)?|by)\s*:?\s*(?:\d|end of|eo[dwmq]\b|next (?:week|sprint|month|quarter)|(?:mon|tues|wednes|thurs|fri|satur|sun)day|q[1-4]\b|sprint \d)/i;

/** True when a text names a date or deadline (`2026-07-01`, `May 13`, `Q3 2026`, `due: next sprint`, `by Friday`). */
export function hasDueDate(text: string): boolean {
  if (findDates(text).length) return true;
  if (YEARLESS.test(text) || DUE_WORDS.test(text)) return true;
  return /\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b|\bQ[1-4]\b|\bsprint \d+\b/i.test(text);
}

function blankDue(text: string): boolean {
  const t = text.trim();
  return !t || /^(?:-+|—|–|\?+|n\/?a|none)$/i.test(t) || isPlaceholderValue(t);
}

function itemText(model: DocumentModel, li: ListItem): string {
  const ext = itemExtent(model, li);
  return model.lines.lines.slice(li.line, ext.to + 1).join(' ');
}

/**
 * RD073: an action item with no due date, where the document tracks due dates: a due column (`Due`,
 * `Target date`, `ETA`) with an empty or placeholder cell, or a list item with no date while other items in
 * the same list carry one. Done items are skipped.
 */
export const rd073: Rule = {
  meta: {
    id: 'RD073',
    name: 'action-item-due-missing',
    description: 'An action item has no due date where the document tracks due dates.',
    defaultSeverity: 'info',
    kinds: INCIDENT_KINDS,
  },
  check(ctx) {
    const model = ctx.model;
    if (isTemplateDoc(model)) return;
    for (const section of actionSections(model)) {
      for (const t of tablesIn(model, section)) {
        const dc = t.roles.due;
        if (dc === undefined) continue;
        for (const r of t.rows) {
          if (rowDoneOrEmpty(t, r)) continue;
          const c = r.cells[dc];
          if (c && !blankDue(c.text)) continue;
          ctx.report({
            range: c && c.text ? c.range : r.range,
            message: `Action item ${quote(actionCell(t, r)?.text ?? '')} has no due date in the ${t.columns[dc]!.header} column.`,
          });
        }
      }
      const items = topListItems(model, section).filter(openActionItem);
      const dated = items.filter((li) => hasDueDate(itemText(model, li)));
      if (!dated.length || dated.length === items.length) continue;
      for (const li of items) {
        if (dated.includes(li)) continue;
        ctx.report({
          range: li.textRange,
          message: `Action item ${quote(li.text)} has no due date, while ${dated.length} of the ${items.length} items here have one.`,
        });
      }
    }
  },
};
