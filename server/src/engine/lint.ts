/**
 * Runs the rules over a model: severities from configuration, suppression comments, ranges clamped to
 * the document. A rule that throws never takes the lint down: its failure becomes one finding.
 */
import type { Config } from './config.js';
import { ruleSeverity } from './config.js';
import type { DocumentModel, Item, Section, Table } from './model.js';
import type { ItemContext, Report, Rule, RuleContext } from './rule.js';
import type { Finding, Range } from './types.js';
import type { WorkspaceView } from './workspace.js';
import type { WorkspaceIndex } from './index-store.js';
import { applySuppressions } from './suppress.js';

export interface LintOptions {
  config: Config;
  workspace?: WorkspaceView;
  index?: WorkspaceIndex;
  /** ISO date; overrides config.today and the clock. */
  today?: string;
  /** The rules to run; defaults to every registered rule. */
  rules?: readonly Rule[];
}

export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function runRules(model: DocumentModel, options: LintOptions, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  if (model.kind === 'other') return findings;
  const today = options.today ?? options.config.today ?? todayIso();
  const memo = itemMemoFor(model.path);
  const env = `${model.kind}\u0000${today}\u0000${configKey(options.config)}\u0000${workspaceKey(options.workspace)}`;
  const tableKeys = new Map<Table, string>();
  const itemContextKey = (item: Item): string => {
    const t = item.table!;
    let k = tableKeys.get(t);
    if (k === undefined) tableKeys.set(t, (k = tableContextKey(t)));
    return k;
  };
  for (const rule of rules) {
    const { meta } = rule;
    if (!meta.kinds.includes(model.kind)) continue;
    const sev = ruleSeverity(options.config, meta.id, meta.name, meta.defaultSeverity);
    if (sev === 'off') continue;
    let sink = findings;
    const report = (r: Report) => {
      sink.push({
        ruleId: meta.id,
        ruleName: meta.name,
        severity: r.severity ? minSeverity(r.severity, sev) : sev,
        message: r.message,
        range: clampRange(model, r.range),
        ...(r.fixes?.length ? { fixes: r.fixes } : {}),
        ...(r.related?.length ? { related: r.related } : {}),
      });
    };
    const ctx: RuleContext = { model, config: options.config, workspace: options.workspace, index: options.index, today, report };
    try {
      if (rule.items) {
        const part = rule.items;
        const state = part.prepare(ctx);
        const key = `${env}\u0000${sev}\u0000${part.key ? part.key(state) : stableKey(state)}`;
        const before = memo.get(meta.id);
        const usable = before && before.key === key ? before.entries : undefined;
        const entries = new Map<object, ItemEntry>();
        const itemCtx: ItemContext = { config: options.config, workspace: options.workspace, today, path: model.path, report };
        for (const item of model.items) {
          // Only table rows are kept: a row's fields record is shared with the previous build exactly when
          // the row's text, line and table shape are unchanged (buildModel's row memo).
          const keep = item.source === 'table' && item.table !== undefined;
          const ck = keep ? itemContextKey(item) : '';
          const hit = keep && usable ? usable.get(item.fields) : undefined;
          if (hit && hit.context === ck && hit.line === item.line) {
            for (const f of hit.findings) findings.push(f);
            entries.set(item.fields, hit);
            continue;
          }
          const own: Finding[] = [];
          sink = own;
          try {
            part.check(itemCtx, item, state);
          } finally {
            sink = findings;
          }
          for (const f of own) findings.push(f);
          if (keep) entries.set(item.fields, { context: ck, line: item.line, findings: own });
        }
        memo.set(meta.id, { key, entries });
      }
      rule.check?.(ctx);
    } catch (e) {
      memo.delete(meta.id);
      findings.push({
        ruleId: meta.id,
        ruleName: meta.name,
        severity: 'info',
        message: `Rule ${meta.id} (${meta.name}) failed on this document: ${(e as Error)?.message ?? String(e)}. Please report it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
  }
  const kept = applySuppressions(model, findings, options.config);
  kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return dedupe(kept);
}

// ------------------------------------------------------------------ per-item findings kept across lints

interface ItemEntry {
  /** The item's table context when the findings were made (see tableContextKey). */
  context: string;
  line: number;
  findings: Finding[];
}
interface RuleMemo {
  /** Everything document-level the findings depend on: kind, today, config, workspace, the rule's state. */
  key: string;
  /** By the item's fields record (shared between builds only when the row is unchanged). */
  entries: Map<object, ItemEntry>;
}
const ITEM_MEMO_DOCS = 4;
const itemMemos = new Map<string, Map<string, RuleMemo>>();

function itemMemoFor(path: string): Map<string, RuleMemo> {
  let m = itemMemos.get(path);
  if (m) itemMemos.delete(path);
  else m = new Map();
  itemMemos.set(path, m);
  if (itemMemos.size > ITEM_MEMO_DOCS) itemMemos.delete(itemMemos.keys().next().value!);
  return m;
}

/** Forgets the per-item findings kept from earlier lints (all, or one path's). */
export function clearLintMemo(path?: string): void {
  if (path === undefined) itemMemos.clear();
  else itemMemos.delete(path);
}

/** Where a table sits: its header line and the headings above it (line, text and extent). */
function tableContextKey(t: Table): string {
  let k = `${t.headerLine}`;
  for (let s: Section | undefined = t.section; s; s = s.parent) {
    k += `\u0001${s.startLine}-${s.endLine}:${s.children.map((c) => c.heading?.line).join(',')}:${s.heading ? `${s.heading.line}:${s.heading.depth}:${s.heading.text}` : ''}`;
  }
  return k;
}

const configKeys = new WeakMap<Config, string>();
function configKey(config: Config): string {
  let k = configKeys.get(config);
  if (k === undefined) configKeys.set(config, (k = JSON.stringify(config)));
  return k;
}

const workspaceIds = new WeakMap<WorkspaceView, number>();
let nextWorkspaceId = 1;
function workspaceKey(ws: WorkspaceView | undefined): string {
  if (!ws) return '-';
  let id = workspaceIds.get(ws);
  if (id === undefined) workspaceIds.set(ws, (id = nextWorkspaceId++));
  return `${id}.${ws.generation ?? 0}`;
}

/** A JSON of a rule's state, with Maps and Sets written out in order. */
export function stableKey(state: unknown): string {
  return JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)) ?? '';
}

/** A rule may lower its own severity for a softer case, never raise it above the configured one. */
function minSeverity(a: Finding['severity'], b: Finding['severity']): Finding['severity'] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return order[a] >= order[b] ? a : b;
}

function clampRange(model: DocumentModel, r: Range): Range {
  const last = model.lines.lineCount - 1;
  const clampPos = (p: Range['start']) => {
    const line = Math.max(0, Math.min(p.line, last));
    const len = model.lines.lines[line]!.length;
    return { line, character: Math.max(0, Math.min(p.character, len)) };
  };
  const start = clampPos(r.start);
  let end = clampPos(r.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

/**
 * Drops repeats (same rule, range and message), keeping the first. The findings are sorted by start and
 * rule, so repeats sit in one run of equal (line, character, rule): only runs longer than one are keyed.
 */
function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < findings.length; ) {
    const a = findings[i]!;
    let j = i + 1;
    while (j < findings.length) {
      const b = findings[j]!;
      if (b.range.start.line !== a.range.start.line || b.range.start.character !== a.range.start.character || b.ruleId !== a.ruleId) break;
      j++;
    }
    if (j === i + 1) out.push(a);
    else {
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const f = findings[k]!;
        const key = `${f.range.end.line}|${f.range.end.character}|${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
      }
    }
    i = j;
  }
  return out;
}
