/**
 * RD043 checklist-evidence-broken: an evidence cell of a checklist or scorecard table whose relative
 * link or backticked path does not exist in the workspace. Several paths per cell, doc-relative and
 * repo-root paths, and folders ending in `/` are all accepted. Paths the document itself lists as
 * missing or planned (`Missing`, `TODO`, `planned`, `to add`) are not findings.
 */
import type { Report, Rule } from '../engine/rule.js';
import { isPlaceholderPath } from './kd-util.js';
import { isTemplateDoc, reportLinkFindings } from './util.js';
import { displayPath, resolveLink } from './util.js';

const PLANNED = /\b(?:missing|todo|to\s+do|tbd|planned|to\s+(?:add|be\s+added|create|be\s+created|write|be\s+written)|not\s+yet|pending|will\s+(?:add|be|live)|future|absent|does\s+not\s+exist|doesn'?t\s+exist|not\s+(?:created|written|found|started))\b/i;

export const rd043: Rule = {
  meta: {
    id: 'RD043',
    name: 'checklist-evidence-broken',
    description: 'An evidence link or path in a checklist or scorecard table that does not exist in the workspace.',
    defaultSeverity: 'error',
    kinds: ['checklist', 'gap-analysis'],
  },
  check(ctx) {
    const { model } = ctx;
    if (isTemplateDoc(model) || !ctx.workspace) return;
    const missing: Report[] = [];
    const other: Report[] = [];
    let resolved = 0;
    for (const t of model.tables) {
      const col = t.roles.evidence;
      if (col === undefined) continue;
      for (const row of t.rows) {
        const cell = row.cells[col];
        if (!cell || !cell.links.length) continue;
        if (PLANNED.test(cell.text)) continue;
        const status = t.roles.status !== undefined ? row.cells[t.roles.status]?.text ?? '' : '';
        if (/^\s*(?:planned|todo|to\s+do|not\s+started|missing|pending|backlog)\b/i.test(status)) continue;
        for (const link of cell.links) {
          if (isPlaceholderPath(link.target)) continue;
          const st = resolveLink(ctx, link);
          if (st.status === 'ok' || st.status === 'anchor-missing') resolved++;
          if (st.status === 'missing') {
            missing.push({ range: link.range, message: `Evidence \`${link.target}\` does not exist in the workspace (looked for ${displayPath(ctx, st.path)}); fix the path or mark it missing.` });
          } else if (st.status === 'anchor-missing') {
            other.push({ range: link.range, message: `Evidence \`${link.target}\` points to #${st.anchor}, which is not a heading of ${displayPath(ctx, st.path)}.` });
          } else if (st.status === 'outside') {
            other.push({ range: link.range, severity: 'info', message: `Evidence \`${link.target}\` lies outside the workspace; it was not verified.` });
          }
        }
      }
    }
    reportLinkFindings(ctx, missing, other, resolved, 'evidence paths');
  },
};
