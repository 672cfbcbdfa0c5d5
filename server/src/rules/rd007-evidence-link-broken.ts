import type { Link } from '../engine/model.js';
import type { Report, Rule } from '../engine/rule.js';
import { REGISTER_KINDS, itemLabel } from './register-util.js';
import { displayPath, reportLinkFindings, resolveLink, type LinkStatus } from './util.js';
import { perItem, workspaceKey } from '../engine/memo.js';

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
    const judge = (v: Verdict, label: () => string) => {
      const { link, r } = v;
      if (r.status === 'ok') {
        resolved++;
        return;
      }
      if (r.status === 'anchor-missing') resolved++;
      if (r.status === 'unknown' && link.form === 'code-path') unjudged++;
      const what = link.form === 'code-path' ? `path \`${link.target}\`` : `link "${link.target}"`;
      if (r.status === 'missing') missing.push({ range: link.range, message: `${label()}: evidence ${what} does not exist (looked for ${displayPath(ctx, r.path)}).` });
      else if (r.status === 'outside') other.push({ range: link.range, message: `${label()}: evidence ${what} points outside the workspace; evidence must live in the repository.` });
      else if (r.status === 'anchor-missing') other.push({ range: link.range, message: `${label()}: evidence ${what} names heading #${r.anchor}, which ${displayPath(ctx, r.path)} does not have.` });
    };
    const verdict = (link: Link, evidenceField: boolean): Verdict | undefined => {
      if (link.form === 'code-path' && !evidenceField) return undefined;
      if (link.form === 'definition') return undefined;
      const r = resolveLink(ctx, link);
      // A link into this document depends on its headings, not on the row: judged again every time.
      return { link, r, local: link.target.startsWith('#') || ('path' in r && r.path === ctx.model.path) };
    };
    const evidenceLines = ctx.model.fieldLines.some((f) => f.role === 'evidence');
    // A row's links and what they resolve to, kept while the row, the document and the workspace are unchanged.
    const rows = perItem(ctx.model, 'rd007', `${ctx.model.path}\u0000${workspaceKey(ctx.workspace)}`, (item) => {
      if (item.source !== 'table' || !item.row) return undefined;
      const verdicts: Verdict[] = [];
      const own = new Set<Link>();
      const add = (l: Link, evidenceField: boolean) => {
        if (own.has(l)) return;
        own.add(l);
        const v = verdict(l, evidenceField);
        if (v) verdicts.push(v);
      };
      const ev = item.fields.evidence;
      if (ev && !PLANNED.test(ev.text)) for (const l of ev.links) add(l, true);
      for (const c of item.row.cells) for (const l of c.links) if (l.form === 'link') add(l, false);
      return verdicts;
    });
    ctx.model.items.forEach((item, i) => {
      const label = () => itemLabel(item);
      const verdicts = rows[i];
      if (verdicts) {
        for (const v of verdicts) judge(v.local ? { ...v, r: resolveLink(ctx, v.link) } : v, label);
        // An evidence field line may hold the same links (a section adding fields to its summary row).
        if (evidenceLines) {
          for (const l of item.fields.evidence?.links ?? []) seen.add(l);
          for (const c of item.row!.cells) for (const l of c.links) seen.add(l);
        }
        return;
      }
      const ev = item.fields.evidence;
      if (!ev || PLANNED.test(ev.text)) return;
      for (const l of ev.links) {
        if (seen.has(l)) continue;
        seen.add(l);
        const v = verdict(l, true);
        if (v) judge(v, label);
      }
    });
    for (const f of ctx.model.fieldLines) {
      if (f.role !== 'evidence' || PLANNED.test(f.text)) continue;
      for (const l of f.links) {
        if (seen.has(l)) continue;
        seen.add(l);
        const v = verdict(l, true);
        if (v) judge(v, () => `Evidence on line ${f.line + 1}`);
      }
    }
    reportLinkFindings(ctx, missing, other, resolved, 'evidence paths', unjudged);
  },
};

interface Verdict {
  link: Link;
  r: LinkStatus;
  local: boolean;
}
