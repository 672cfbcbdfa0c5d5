import type { Link } from '../engine/model.js';
import type { Report, Rule } from '../engine/rule.js';
import { REGISTER_KINDS, itemLabel } from './register-util.js';
import { displayPath, reportLinkFindings, resolveLink } from './util.js';

const PLANNED = /\b(?:missing|planned|to add|todo|tbd|not (?:yet )?(?:created|written|implemented)|will be|pending)\b|❌/i;

/**
 * RD007: an evidence link (or backticked path in an evidence field) to a relative path that does not
 * exist in the workspace, a `#heading` the target lacks, or a path that climbs out of the workspace
 * (reported, never read). Markdown links anywhere in a register row are checked too.
 */
export const rd007: Rule = {
  meta: {
    id: 'RD007',
    name: 'evidence-link-broken',
    description: 'An evidence link points to a file or heading that does not exist in the workspace.',
    defaultSeverity: 'error',
    kinds: REGISTER_KINDS,
  },
  check(ctx) {
    const seen = new Set<Link>();
    const missing: Report[] = [];
    const other: Report[] = [];
    let resolved = 0;
    let unjudged = 0;
    const checkLink = (link: Link, label: string, evidenceField: boolean) => {
      if (seen.has(link)) return;
      seen.add(link);
      if (link.form === 'code-path' && !evidenceField) return;
      if (link.form === 'definition') return;
      const r = resolveLink(ctx, link);
      const what = link.form === 'code-path' ? `path \`${link.target}\`` : `link "${link.target}"`;
      if (r.status === 'ok' || r.status === 'anchor-missing') resolved++;
      if (r.status === 'unknown' && link.form === 'code-path') unjudged++;
      if (r.status === 'missing') missing.push({ range: link.range, message: `${label}: evidence ${what} does not exist (looked for ${displayPath(ctx, r.path)}).` });
      else if (r.status === 'outside') other.push({ range: link.range, message: `${label}: evidence ${what} points outside the workspace; evidence must live in the repository.` });
      else if (r.status === 'anchor-missing') other.push({ range: link.range, message: `${label}: evidence ${what} names heading #${r.anchor}, which ${displayPath(ctx, r.path)} does not have.` });
    };
    for (const item of ctx.model.items) {
      const label = itemLabel(item);
      const ev = item.fields.evidence;
      if (ev && !PLANNED.test(ev.text)) for (const l of ev.links) checkLink(l, label, true);
      if (item.row) for (const c of item.row.cells) for (const l of c.links) if (l.form === 'link') checkLink(l, label, false);
    }
    for (const f of ctx.model.fieldLines) {
      if (f.role !== 'evidence' || PLANNED.test(f.text)) continue;
      for (const l of f.links) checkLink(l, `Evidence on line ${f.line + 1}`, true);
    }
    reportLinkFindings(ctx, missing, other, resolved, 'evidence paths', unjudged);
  },
};
