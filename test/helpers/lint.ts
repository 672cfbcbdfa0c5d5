/** Lints texts in memory for tests: a document plus an in-memory workspace. */
import {
  buildModel,
  defaultConfig,
  lintModel,
  memoryWorkspace,
  parseConfig,
  WorkspaceIndex,
  type Config,
  type Finding,
} from '../../server/src/engine/index.js';

export const TEST_TODAY = '2026-06-01';

export interface MemLintOptions {
  /** Other files in the workspace (relative paths → text). Markdown files are indexed too. */
  files?: Record<string, string>;
  config?: string | Partial<Config>;
  codeowners?: string;
  today?: string;
}

export function lintMemory(text: string, relPath = 'docs/GAP_REGISTER.md', opts: MemLintOptions = {}): Finding[] {
  const root = '/ws';
  const files = { ...(opts.files ?? {}), [relPath]: text };
  const ws = memoryWorkspace(root, files, opts.codeowners);
  let config: Config;
  if (typeof opts.config === 'string') {
    const parsed = parseConfig(opts.config, root);
    if (parsed.problems.length) throw new Error(parsed.problems.map((p) => p.message).join('; '));
    config = parsed.config;
  } else config = { ...defaultConfig(), baseDir: root, ...(opts.config ?? {}) };
  const index = new WorkspaceIndex();
  for (const [p, t] of Object.entries(files)) if (/\.md$/.test(p)) index.update(buildModel(t, `${root}/${p}`, config));
  const model = buildModel(text, `${root}/${relPath}`, config);
  return lintModel(model, { config, workspace: ws, index, today: opts.today ?? config.today ?? TEST_TODAY });
}

export function ids(findings: Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}

export function only(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}
