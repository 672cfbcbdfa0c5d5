/**
 * The engine's public face. Pure TypeScript: Markdown text plus a small workspace view in, a model and
 * findings out. The CLI (server/src/cli.ts) and the language server (server/src/lsp/) adapt it.
 */
import { buildModel } from './build.js';
import type { Config } from './config.js';
import { runRules, type LintOptions } from './lint.js';
import { forgetDocumentMemo } from './memo.js';
import type { DocumentModel } from './model.js';
import { RULES } from '../rules/index.js';
import type { Finding } from './types.js';
import { range } from './text.js';

export * from './types.js';
export * from './config.js';
export * from './workspace.js';
export * from './model.js';
export { buildModel, releaseCells } from './build.js';
export { WorkspaceIndex, summarize, type Definition, type DocumentSummary } from './index-store.js';
export { applyEdits, applyFixes, selectFixEdits } from './fixes.js';
export { runRules, todayIso, type LintOptions } from './lint.js';
export type { Rule, RuleContext, Report } from './rule.js';
export { RULES, RULE_META, findRule } from '../rules/index.js';
export { documentScores, type DocumentScores } from './scores.js';
export { FrozenRange, LineIndex, sameRange } from './text.js';

/** Runs every rule (or options.rules) over a model. */
export function lintModel(model: DocumentModel, options: LintOptions): Finding[] {
  return runRules(model, options, options.rules ?? RULES);
}

export const TOO_LARGE_RULE = { id: 'RD091', name: 'document-too-large' } as const;
export const CONFIG_INVALID_RULE = { id: 'RD090', name: 'config-invalid' } as const;

/** The one finding a document above maxFileSize gets instead of a lint (callers may skip reading it). */
export function tooLargeFinding(size: number, maxFileSize: number): Finding {
  return {
    ruleId: TOO_LARGE_RULE.id,
    ruleName: TOO_LARGE_RULE.name,
    severity: 'warning',
    message: `Document is ${formatBytes(size)}, above the ${formatBytes(maxFileSize)} limit (maxFileSize); it was not linted.`,
    range: range(0, 0, 0, 0),
  };
}

/** Builds the model and lints it. A document above config.maxFileSize gets one finding instead. */
export function lintText(text: string, path: string, options: LintOptions): { model: DocumentModel | undefined; findings: Finding[] } {
  const size = sizeAbove(text, options.config.maxFileSize);
  if (size !== undefined) return { model: undefined, findings: [tooLargeFinding(size, options.config.maxFileSize)] };
  const model = buildModel(text, path, options.config);
  return { model, findings: lintModel(model, options) };
}

/**
 * Forgets what the engine kept from earlier builds and lints of a document (all documents without a
 * path): the rows and per-row findings it reuses when the same document is linted again after an edit.
 */
export function forgetDocument(path?: string): void {
  forgetDocumentMemo(path);
}

/** The text's UTF-8 size when it is above `max` bytes, else undefined (without counting when it cannot be). */
export function sizeAbove(text: string, max: number): number | undefined {
  if (text.length * 3 <= max) return undefined;
  const size = byteLength(text);
  return size > max ? size : undefined;
}

export function byteLength(text: string): number {
  // Exact UTF-8 length without allocating a buffer (the engine does not use node:buffer).
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 10 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

export type { Config };
