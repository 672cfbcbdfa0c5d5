/**
 * The CLI's output formats: text (one line per finding and a summary), JSON (an array of findings) and
 * SARIF 2.1.0 (for code-scanning tools). Engine ranges are 0-based; everything printed here is 1-based.
 */
import type * as Sarif from 'sarif';
import { ruleDocsUrl, type Finding, type RuleMeta, type Severity } from '../engine/index.js';

/** One finding to print, with the file it belongs to as shown to the user (relative, forward slashes). */
export interface Reported {
  file: string;
  finding: Finding;
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(reported: readonly Reported[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const r of reported) {
    if (r.finding.severity === 'error') c.errors++;
    else if (r.finding.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Messages are one line in every format that is read line by line. */
function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function formatTextLine(r: Reported): string {
  const { start } = r.finding.range;
  return `${r.file}:${start.line + 1}:${start.character + 1}  ${r.finding.severity}  ${oneLine(r.finding.message)}  ${r.finding.ruleId}`;
}

/**
 * Text: `path:line:col  severity  message  RULE-ID` per finding, then a summary line. `filesLinted`
 * is the number of documents looked at.
 */
export function formatText(reported: readonly Reported[], filesLinted: number): string {
  const lines = reported.map(formatTextLine);
  if (reported.length === 0) {
    lines.push(`No problems found in ${plural(filesLinted, 'file', 'files')}.`);
  } else {
    const c = countFindings(reported);
    const files = new Set(reported.map((r) => r.file)).size;
    lines.push(
      `✖ ${plural(reported.length, 'problem', 'problems')} (${plural(c.errors, 'error', 'errors')}, ${plural(c.warnings, 'warning', 'warnings')}, ${c.infos} info) in ${plural(files, 'file', 'files')}`,
    );
  }
  return lines.join('\n') + '\n';
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  ruleName: string;
  message: string;
}

export function toJsonFinding(r: Reported): JsonFinding {
  const { start, end } = r.finding.range;
  return {
    file: r.file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: r.finding.severity,
    rule: r.finding.ruleId,
    ruleName: r.finding.ruleName,
    message: r.finding.message,
  };
}

export function formatJson(reported: readonly Reported[]): string {
  return JSON.stringify(reported.map(toJsonFinding), null, 2) + '\n';
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/readiness-dev/readiness';

export interface SarifOptions {
  /** The tool's version (package.json). */
  version: string;
  /** Every rule the tool knows (RULE_META); results reference them by index. */
  rules: readonly RuleMeta[];
  /** Absolute OS path of the folder `file` paths are relative to (the current directory). */
  baseDir: string;
  /** Shows a related location's absolute posix path as the user sees files (relative to baseDir). */
  displayPath: (absPosix: string) => string;
}

function sarifLevel(s: Severity): Sarif.Result.level {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

function region(r: Finding['range']): Sarif.Region {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

/** A relative path as a URI reference: segments percent-encoded, forward slashes. */
export function relativeUri(file: string): string {
  return file
    .split('/')
    .map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** A folder as a file: URI ending in a slash (SARIF's originalUriBaseIds require the slash). */
export function folderUri(absDir: string): string {
  let p = absDir.replace(/\\/g, '/');
  if (/^[A-Za-z]:/.test(p)) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return 'file://' + p.split('/').map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/');
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  return { uri: relativeUri(file), uriBaseId: '%SRCROOT%' };
}

export function toSarif(reported: readonly Reported[], options: SarifOptions): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (meta: Pick<RuleMeta, 'id' | 'name' | 'description' | 'defaultSeverity'>) => {
    ruleIndex.set(meta.id, rules.length);
    rules.push({
      id: meta.id,
      name: meta.name,
      shortDescription: { text: meta.description },
      helpUri: ruleDocsUrl(meta.id),
      defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
    });
  };
  for (const meta of options.rules) addRule(meta);
  // A finding from a rule the table does not list still gets a descriptor, so every result resolves.
  for (const r of reported) {
    if (!ruleIndex.has(r.finding.ruleId)) {
      addRule({ id: r.finding.ruleId, name: r.finding.ruleName, description: r.finding.ruleName, defaultSeverity: r.finding.severity });
    }
  }

  const results: Sarif.Result[] = reported.map((r) => {
    const f = r.finding;
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.file), region: region(f.range) } }],
    };
    if (f.related?.length) {
      result.relatedLocations = f.related.map((rl, i) => ({
        id: i,
        message: { text: rl.message },
        physicalLocation: {
          artifactLocation: artifactLocation(rl.path ? options.displayPath(rl.path) : r.file),
          region: region(rl.range),
        },
      }));
    }
    if (f.fixes?.length) {
      result.fixes = f.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(r.file),
            replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
          },
        ],
      }));
    }
    return result;
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'readiness',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: folderUri(options.baseDir) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(reported: readonly Reported[], options: SarifOptions): string {
  return JSON.stringify(toSarif(reported, options), null, 2) + '\n';
}
