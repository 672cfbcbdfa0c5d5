/**
 * `.readiness.yaml`: one readable file, validated with zod. Parsing never throws: an invalid file yields
 * located problems and the defaults (plus whatever parts of the file were valid) keep working.
 */
import { z } from 'zod';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { DocKind, Range, SeveritySetting } from './types.js';
import { DOC_KINDS } from './types.js';
import { range } from './text.js';

export const CONFIG_FILE_NAME = '.readiness.yaml';

const severity = z.enum(['error', 'warning', 'info', 'off']);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date such as 2026-01-31');
const kind = z.enum(DOC_KINDS as [DocKind, ...DocKind[]]);
const ROLE_NAMES = [
  'id', 'title', 'severity', 'occurrence', 'detection', 'rpn', 'priority', 'owner', 'status', 'evidence', 'due',
  'reviewed', 'action', 'sli', 'target', 'window', 'alert', 'budget', 'check', 'score', 'category', 'level', 'time',
  'count',
] as const;

export const configSchema = z
  .object({
    today: isoDate.optional().describe('Pretend today is this date (reproducible runs and CI).'),
    staleAfterDays: z.number().int().positive().optional().describe('A review/update date older than this is stale (default 90).'),
    rules: z
      .record(z.string(), severity)
      .optional()
      .describe('Severity per rule, by id (RD005) or name (owner-missing); "off" disables it.'),
    rpnBands: z
      .object({
        high: z.number().describe('RPN above this is High (default 80).'),
        medium: z.number().describe('RPN at or above this is Medium (default 40).'),
      })
      .strict()
      .optional()
      .describe('Thresholds of the priority bands; a document may declare its own bands in prose.'),
    columns: z
      .partialRecord(z.enum(ROLE_NAMES), z.array(z.string()))
      .optional()
      .describe('Extra header names per column role, e.g. owner: [Steward].'),
    requiredSections: z
      .partialRecord(kind, z.array(z.string()))
      .optional()
      .describe('Sections a document of a kind must have, e.g. postmortem: [Summary, Impact].'),
    kinds: z.record(z.string(), kind).optional().describe('Document kind by glob, relative to this file.'),
    ignore: z.array(z.string()).optional().describe('Globs (gitignore syntax) the CLI does not lint.'),
    maxFileSize: z.number().int().positive().optional().describe('Documents larger than this many bytes get one diagnostic instead of a lint (default 5 MB).'),
    scoreTolerance: z.number().nonnegative().optional().describe('Allowed difference, in points, between a stated overall score and the mean of its categories (default 5).'),
    scoreWeights: z.record(z.string(), z.number().nonnegative()).optional().describe('Weights of categories in the overall score, by category name.'),
    codeowners: z.boolean().optional().describe('Check owner handles against CODEOWNERS (default true when a CODEOWNERS file exists).'),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;

/** The effective configuration every rule reads. */
export interface Config {
  today: string | undefined;
  staleAfterDays: number;
  rules: Record<string, SeveritySetting>;
  rpnBands: { high: number; medium: number };
  columns: Partial<Record<(typeof ROLE_NAMES)[number], string[]>>;
  requiredSections: Partial<Record<DocKind, string[]>>;
  kinds: Record<string, DocKind>;
  ignore: string[];
  maxFileSize: number;
  scoreTolerance: number;
  scoreWeights: Record<string, number>;
  codeowners: boolean;
  /** Absolute posix folder of the config file the settings came from (globs are relative to it). */
  baseDir: string | undefined;
}

export const DEFAULT_REQUIRED_SECTIONS: Partial<Record<DocKind, string[]>> = {
  postmortem: ['Summary', 'Impact', 'Timeline', 'Root cause', 'Action items'],
  incident: ['Summary', 'Impact', 'Timeline'],
};

export function defaultConfig(): Config {
  return {
    today: undefined,
    staleAfterDays: 90,
    rules: {},
    rpnBands: { high: 80, medium: 40 },
    columns: {},
    requiredSections: { ...DEFAULT_REQUIRED_SECTIONS },
    kinds: {},
    ignore: [],
    maxFileSize: 5 * 1024 * 1024,
    scoreTolerance: 5,
    scoreWeights: {},
    codeowners: true,
    baseDir: undefined,
  };
}

export interface ConfigProblem {
  message: string;
  /** Where in the config file; 0-based like every engine range. */
  range: Range;
}

export interface ParsedConfig {
  config: Config;
  problems: ConfigProblem[];
}

/** Applies a validated (possibly partial) file over the defaults. */
export function resolveConfig(file: Partial<ConfigFile>, baseDir?: string): Config {
  const c = defaultConfig();
  c.baseDir = baseDir;
  if (file.today) c.today = file.today;
  if (file.staleAfterDays) c.staleAfterDays = file.staleAfterDays;
  if (file.rules) c.rules = { ...file.rules };
  if (file.rpnBands) c.rpnBands = { ...file.rpnBands };
  if (file.columns) c.columns = { ...file.columns };
  if (file.requiredSections) c.requiredSections = { ...c.requiredSections, ...file.requiredSections };
  if (file.kinds) c.kinds = { ...file.kinds };
  if (file.ignore) c.ignore = [...file.ignore];
  if (file.maxFileSize) c.maxFileSize = file.maxFileSize;
  if (file.scoreTolerance !== undefined) c.scoreTolerance = file.scoreTolerance;
  if (file.scoreWeights) c.scoreWeights = { ...file.scoreWeights };
  if (file.codeowners !== undefined) c.codeowners = file.codeowners;
  return c;
}

/**
 * Parses `.readiness.yaml` text. Every problem carries the range of the offending key or value, found
 * with the yaml library's own positions; valid top-level keys still apply when others are invalid.
 */
export function parseConfig(text: string, baseDir?: string): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const toRange = (r: [number, number] | readonly [number, number, number?] | undefined): Range => {
    if (!r) return range(0, 0, 0, 0);
    const a = lc.linePos(r[0]);
    const b = lc.linePos(r[1] ?? r[0]);
    return range(a.line - 1, a.col - 1, b.line - 1, b.col - 1);
  };
  for (const e of doc.errors) problems.push({ message: `Invalid YAML: ${e.message.split('\n')[0]}`, range: toRange(e.pos) });
  if (doc.errors.length) return { config: resolveConfig({}, baseDir), problems };

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    problems.push({ message: `Invalid YAML: ${(e as Error).message}`, range: range(0, 0, 0, 0) });
    return { config: resolveConfig({}, baseDir), problems };
  }
  if (data === null || data === undefined) return { config: resolveConfig({}, baseDir), problems };
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push({ message: 'The configuration must be a mapping of settings (key: value).', range: toRange(doc.contents?.range as [number, number] | undefined) });
    return { config: resolveConfig({}, baseDir), problems };
  }

  const result = configSchema.safeParse(data);
  if (result.success) return { config: resolveConfig(result.data, baseDir), problems };

  // Keep the valid top-level keys; report each issue at its node.
  const bad = new Set<string>();
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let message: string;
    let at: (string | number)[] = path;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const known = path.length === 0 ? suggestKey(key) : undefined;
        problems.push({
          message: `Unknown setting "${[...path, key].join('.')}"${known ? `; did you mean "${known}"?` : '.'}`,
          range: toRange(keyRange(doc.contents, keyPath)),
        });
        bad.add(String(keyPath[0]));
      }
      continue;
    } else {
      message = `Invalid value for "${path.join('.')}": ${issue.message}.`;
    }
    if (path.length) bad.add(String(path[0]));
    problems.push({ message, range: toRange(valueRange(doc.contents, at) ?? keyRange(doc.contents, at)) });
  }
  const partial: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (bad.has(k)) continue;
    const one = configSchema.safeParse({ [k]: v });
    if (one.success) Object.assign(partial, one.data);
  }
  return { config: resolveConfig(partial as Partial<ConfigFile>, baseDir), problems };
}

const TOP_KEYS = Object.keys(configSchema.shape);

function suggestKey(key: string): string | undefined {
  const k = key.toLowerCase().replace(/[-_ ]/g, '');
  let best: string | undefined;
  let bestD = 3;
  for (const t of TOP_KEYS) {
    const d = editDistance(k, t.toLowerCase());
    if (d < bestD) [best, bestD] = [t, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

function findPair(node: unknown, key: string | number): { key: YamlNode | null; value: unknown } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) {
        return { key: item.key as YamlNode, value: item.value };
      }
    }
  } else if (isSeq(node) && typeof key === 'number') {
    return { key: null, value: node.items[key] };
  }
  return undefined;
}

function walk(root: unknown, path: (string | number)[]): { key: YamlNode | null; value: unknown } | undefined {
  let node = root;
  let last: { key: YamlNode | null; value: unknown } | undefined;
  for (const p of path) {
    last = findPair(node, p);
    if (!last) return undefined;
    node = last.value;
  }
  return last;
}

function keyRange(root: unknown, path: (string | number)[]): [number, number] | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = walk(root, path.slice(0, n));
    const r = (hit?.key as { range?: [number, number, number] } | null)?.range ?? (hit?.value as { range?: [number, number, number] })?.range;
    if (r) return [r[0], r[1]];
  }
  return undefined;
}

function valueRange(root: unknown, path: (string | number)[]): [number, number] | undefined {
  const hit = walk(root, path);
  const r = (hit?.value as { range?: [number, number, number] } | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** The JSON Schema shipped in the package and wired through contributes.yamlValidation. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { target: 'draft-7' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://readiness.dev/schema/readiness.schema.json',
    title: 'Readiness configuration (.readiness.yaml)',
  };
}

/** Severity of a rule after configuration: by id, then by name, then the rule's default. */
export function ruleSeverity(config: Config, id: string, name: string, fallback: SeveritySetting): SeveritySetting {
  return config.rules[id] ?? config.rules[name] ?? fallback;
}
