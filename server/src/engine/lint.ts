/**
 * Runs the rules over a model: severities from configuration, suppression comments, ranges clamped to
 * the document. A rule that throws never takes the lint down: its failure becomes one finding.
 */
import type { Config } from './config.js';
import { ruleSeverity } from './config.js';
import type { DocumentModel } from './model.js';
import type { ItemCheck, ItemContext, Report, Rule, RuleContext } from './rule.js';
import type { Finding, Fix, Range, TextEdit } from './types.js';
import type { WorkspaceView } from './workspace.js';
import type { WorkspaceIndex } from './index-store.js';
import { applySuppressions } from './suppress.js';
import { FrozenRange, sameRange, startCharacterOf, startLineOf } from './text.js';
import { addEach, documentMemo, itemDiff, manyOf, oneOrMany, workspaceKey, type OneOrMany } from './memo.js';

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
  const failed = (meta: Rule['meta'], e: unknown) =>
    findings.push({
      ruleId: meta.id,
      ruleName: meta.name,
      severity: 'info',
      message: `Rule ${meta.id} (${meta.name}) failed on this document: ${(e as Error)?.message ?? String(e)}. Please report it.`,
      range: new FrozenRange(0, 0, 0, 0),
    });

  // Which rules run, their severity and their report function (into `sink`, which item checks redirect).
  let sink = findings;
  const active: { rule: Rule; ctx: RuleContext; report: (r: Report) => void }[] = [];
  for (const rule of rules) {
    const { meta } = rule;
    if (!meta.kinds.includes(model.kind)) continue;
    const sev = ruleSeverity(options.config, meta.id, meta.name, meta.defaultSeverity);
    if (sev === 'off') continue;
    const report = (r: Report) => {
      const range = clampRange(model, r.range);
      sink.push({
        ruleId: meta.id,
        ruleName: meta.name,
        severity: r.severity ? minSeverity(r.severity, sev) : sev,
        message: flat(r.message),
        range,
        ...(r.fixes?.length ? { fixes: withRange(r.fixes, r.range, range) } : {}),
        ...(r.related?.length ? { related: r.related } : {}),
      });
    };
    active.push({ rule, report, ctx: { model, config: options.config, workspace: options.workspace, index: options.index, today, report } });
  }

  // Per-item parts, in one pass over the items: a row whose fields record, line and table context are
  // those of the previous lint keeps its findings for every rule whose state key is unchanged.
  const parts: { rule: Rule; part: ItemCheck<unknown>; state: unknown; epoch: number; broken: boolean; itemCtx: ItemContext }[] = [];
  for (const { rule, ctx, report } of active) {
    const part = rule.items;
    if (!part) continue;
    try {
      const state = part.prepare(ctx);
      const key = `${env}\u0000${stableKey(state)}`;
      parts.push({ rule, part, state, epoch: memo.epoch(rule.meta.id, key), broken: false, itemCtx: { config: options.config, workspace: options.workspace, today, path: model.path, report } });
    } catch (e) {
      memo.forget(rule.meta.id);
      failed(rule.meta, e);
    }
  }
  if (parts.length) {
    // Only the items itemDiff says changed since the last lint of this document are checked again; every
    // other keeps the findings each part gave it then (when the part's state epoch is the same).
    const items = model.items;
    const d = itemDiff(model);
    const prev = memo.items;
    const reuse = prev !== undefined && prev.seq === d.prevSeq && !d.resized;
    const epochs = new Map<string, number>();
    for (const p of parts) epochs.set(p.rule.meta.id, p.epoch);
    // The parts whose kept findings still hold; the rest check every item again.
    const usable = parts.map((p) => reuse && prev.epochs.get(p.rule.meta.id) === p.epoch);
    // Kept findings of a rule that does not run now (options.rules, a prepare that threw) are dropped.
    let allUsable = usable.every(Boolean) && reuse && prev.epochs.size === parts.length;
    const keep = new Set(parts.filter((_, k) => usable[k]).map((p) => p.rule.meta.id));
    // Every usable part's findings are kept, so the previous array is updated in place.
    const byItem: KeptFindings[] = reuse ? prev.byItem : new Array(items.length);
    const own: Finding[] = [];
    sink = own;
    try {
      for (let i = 0; i < items.length; i++) {
        const same = reuse && d.isChanged[i] === 0;
        if (same && allUsable) {
          addEach(byItem[i], findings);
          continue;
        }
        own.length = 0;
        if (same) for (const f of manyOf(byItem[i])) if (keep.has(f.ruleId)) own.push(f);
        for (let k = 0; k < parts.length; k++) {
          const p = parts[k]!;
          if (p.broken || (same && usable[k])) continue;
          const before = own.length;
          try {
            p.part.check(p.itemCtx, items[i]!, p.state);
          } catch (e) {
            own.length = before;
            p.broken = true;
            memo.forget(p.rule.meta.id);
            epochs.delete(p.rule.meta.id);
            keep.delete(p.rule.meta.id);
            allUsable = false;
            failed(p.rule.meta, e);
          }
        }
        for (const f of own) findings.push(f);
        byItem[i] = oneOrMany(own);
      }
    } finally {
      sink = findings;
    }
    // A part that broke keeps nothing: its findings already kept for earlier items are dropped next time.
    memo.items = { seq: d.seq, epochs, byItem };
  }

  // Whole-document parts.
  for (const { rule, ctx } of active) {
    if (!rule.check) continue;
    try {
      rule.check(ctx);
    } catch (e) {
      failed(rule.meta, e);
    }
  }
  const kept = applySuppressions(model, findings, options.config);
  kept.sort(byStartAndRule);
  return dedupe(kept);
}

// ------------------------------------------------------------------ per-item findings kept across lints

/** What each per-item part said about each item (by index) at the last lint of a document. */
interface ItemsSnapshot {
  /** The itemDiff sequence number of the model linted. */
  seq: number;
  /** The state epoch of each part whose findings are kept (by rule id). */
  epochs: Map<string, number>;
  /** What the parts said about each item (by index), all parts together (one array, not one per rule). */
  byItem: KeptFindings[];
}

/** What a part said about one item: nothing, one finding (most rows with any), or several. */
type KeptFindings = OneOrMany<Finding>;

/**
 * One document's kept per-item findings. A rule's epoch changes whenever its state key does (kind,
 * today, config, workspace generation, the rule's prepared document facts); the findings kept for a rule
 * hold only while its epoch is the one they were made under.
 */
class ItemMemo {
  items: ItemsSnapshot | undefined;
  private readonly keys = new Map<string, { key: string; epoch: number }>();
  private nextEpoch = 1;

  epoch(ruleId: string, key: string): number {
    const k = this.keys.get(ruleId);
    if (k && k.key === key) return k.epoch;
    const epoch = this.nextEpoch++;
    this.keys.set(ruleId, { key, epoch });
    return epoch;
  }

  forget(ruleId: string): void {
    this.keys.delete(ruleId);
  }
}

function itemMemoFor(path: string): ItemMemo {
  const doc = documentMemo(path);
  let m = doc.get('lint-items') as ItemMemo | undefined;
  if (!m) doc.set('lint-items', (m = new ItemMemo()));
  return m;
}

const configKeys = new WeakMap<Config, string>();
function configKey(config: Config): string {
  let k = configKeys.get(config);
  if (k === undefined) configKeys.set(config, (k = JSON.stringify(config)));
  return k;
}

/** A JSON of a rule's state, with Maps and Sets written out in order. */
function stableKey(state: unknown): string {
  return JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)) ?? '';
}

/**
 * Findings in document order, then by rule. Made once (see isSectionItem in model.ts): it orders thousands
 * of findings on every lint.
 */
function byStartAndRule(a: Finding, b: Finding): number {
  return startLineOf(a.range) - startLineOf(b.range) || startCharacterOf(a.range) - startCharacterOf(b.range) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** A rule may lower its own severity for a softer case, never raise it above the configured one. */
function minSeverity(a: Finding['severity'], b: Finding['severity']): Finding['severity'] {
  const order = { error: 0, warning: 1, info: 2 } as const;
  return order[a] >= order[b] ? a : b;
}

/**
 * The fixes with every edit of the finding's own range (the same object, as rules write them) on the
 * finding's range instead, when clamping left it as it was: one range object per finding, not two (a
 * register being edited has thousands of RPN findings, each with its fix). A fix that is that one edit
 * is kept as one object (RangeFix).
 */
function withRange(fixes: Fix[], own: Range, range: Range): Fix[] {
  if (!sameRange(own, range)) return fixes;
  return fixes.map((f) => {
    if (!f.edits.some((e) => e.range === own)) return f;
    if (f.edits.length === 1) return new RangeFix(flat(f.title), range, f.edits[0]!.newText);
    return { ...f, edits: f.edits.map((e) => (e.range === own ? { ...e, range } : e)) };
  });
}

/** A fix that replaces its finding's range: a title, the range and the new text (its edit made when read). */
class RangeFix implements Fix {
  constructor(
    readonly title: string,
    private readonly range: Range,
    private readonly newText: string,
  ) {}

  get edits(): TextEdit[] {
    return [{ range: this.range, newText: this.newText }];
  }

  toJSON(): Fix {
    return { title: this.title, edits: this.edits };
  }
}

/**
 * The finding's own range, inside the document, frozen: the language server's diagnostic and the finding's
 * fix edits on the same range share it instead of copying it (a register's findings are kept between lints).
 */
function clampRange(model: DocumentModel, r: Range): Range {
  const last = model.lines.lineCount - 1;
  const lineOf = (p: Range['start']) => Math.max(0, Math.min(p.line, last));
  const characterOf = (p: Range['start'], line: number) => Math.max(0, Math.min(p.character, model.lines.lines[line]!.length));
  const sl = lineOf(r.start);
  const sc = characterOf(r.start, sl);
  const el = lineOf(r.end);
  const ec = characterOf(r.end, el);
  if (el < sl || (el === sl && ec < sc)) return new FrozenRange(sl, sc, sl, sc);
  return new FrozenRange(sl, sc, el, ec);
}

/**
 * The message as one flat string. A template literal makes a tree of its pieces (a cons string), about
 * twice the size of the text, that lives as long as the finding; reading a character makes V8 flatten it
 * into one string, and the garbage collector then drops the tree.
 */
function flat(message: string): string {
  message.charCodeAt(0);
  return message;
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
      if (startLineOf(b.range) !== startLineOf(a.range) || startCharacterOf(b.range) !== startCharacterOf(a.range) || b.ruleId !== a.ruleId) break;
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
