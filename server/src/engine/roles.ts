/**
 * Tolerant header matching: which role a column header or a `Key:` label plays. Case, punctuation,
 * markup and mojibake are ignored; users add synonyms in `.readiness.yaml` (`columns:`).
 */
import type { Config } from './config.js';
import type { Role } from './types.js';
import { demojibake } from './text.js';

const SYNONYMS: Record<Role, string[]> = {
  id: ['#', 'id', 'fm id', 'fm #', 'gap id', 'gap #', 'signal id', 'risk id', 'item id', 'ref', 'key', 'no', 'nr', 'invariant id', 'inv id', 'slo id', 'req id', 'requirement id', 'control id', 'finding id', 'issue id', 'ticket', 'identifier', 'action id'],
  title: ['title', 'failure mode', 'potential failure mode', 'failure mode description', 'description', 'description summary', 'summary', 'issue', 'item', 'name', 'rule', 'gap description', 'finding', 'invariant', 'statement', 'control', 'requirement', 'feature', 'capability', 'risk', 'problem', 'hazard', 'gap title'],
  severity: ['s', 'sev', 'severity', 'severity s', 'sev s', 'severity 1 10', 'impact s'],
  occurrence: ['o', 'occ', 'occurrence', 'occurrance', 'occurence', 'occurrence o', 'occ o', 'occurrence 1 10'],
  detection: ['d', 'det', 'detection', 'detectability', 'detection d', 'det d', 'detection 1 10'],
  rpn: ['rpn', 'risk priority number', 'rpn score', 'rpn s o d', 'rpn s x o x d', 'rpn s×o×d'],
  priority: ['priority', 'prio', 'pri', 'priority band', 'band', 'risk level', 'criticality', 'urgency', 'importance', 'risk band'],
  owner: ['owner', 'owners', 'owner s', 'assignee', 'assignees', 'assigned to', 'assigned', 'dri', 'responsible', 'who', 'accountable', 'owner team', 'owning team', 'team', 'driver', 'point of contact', 'poc', 'contact'],
  status: ['status', 'state', 'done', 'done?', 'resolution', 'current state', 'current status', 'progress', 'статус', 'state of play'],
  evidence: ['evidence', 'proof', 'link', 'links', 'reference', 'references', 'evidence path', 'evidence paths', 'evidence folder', 'evidence link', 'evidence links', 'current evidence', 'artifact', 'artifacts', 'details', 'source', 'docs', 'documentation', 'see'],
  due: ['due', 'due date', 'target date', 'eta', 'deadline', 'due by', 'target completion', 'completion date', 'fix by', 'date due', 'срок'],
  reviewed: ['last reviewed', 'reviewed', 'reviewed on', 'last updated', 'updated', 'last review', 'last verified', 'verified on', 'last checked', 'as of', 'updated at', 'last update', 'updated on', 'date updated', 'last refreshed', 'refreshed', 'last revised', 'revised', 'last edited', 'last modified', 'modified', 'last reviewed on', 'reviewed at', 'last reviewed date', 'stand', 'zuletzt aktualisiert', 'aktualisiert', 'dernière mise à jour', 'mis à jour', 'última actualización', 'actualizado', 'última atualização', 'atualizado em', 'обновлено', 'последнее обновление'],
  action: ['action', 'actions', 'action item', 'action items', 'mitigation', 'mitigations', 'mitigation actions', 'mitigation action', 'mitigation plan', 'next step', 'next steps', 'fix', 'remediation', 'recommended action', 'recommended actions', 'recommendation', 'proposed cap', 'cap', 'task', 'follow up', 'followup'],
  sli: ['sli', 'indicator', 'metric', 'sli name', 'service level indicator', 'sli metric', 'measurement'],
  target: ['target', 'objective', 'slo', 'slo target', 'threshold', 'goal', 'target slo', 'baseline slo', 'target value', 'цель', 'целевое значение', 'objetivo', 'objectif', 'ziel'],
  window: ['window', 'measurement window', 'period', 'time window', 'compliance period', 'evaluation window', 'rolling window', 'slo window', 'окно', 'ventana', 'fenêtre', 'zeitfenster'],
  alert: ['alert', 'alerting', 'alerts', 'alert trigger', 'alert rule', 'alert name', 'paging', 'fires when', 'page', 'pager', 'alert condition'],
  budget: ['error budget', 'budget', 'allowed errors', 'error budget remaining'],
  check: ['check', 'checks', 'test', 'tests', 'enforcement', 'enforced by', 'enforced', 'verified by', 'verification', 'test file', 'enforcing test', 'covered by', 'covers', 'how verified', 'how enforced', 'checked by'],
  score: ['score', '%', 'percent', 'percentage', 'completion', 'readiness', 'score %', 'current score', 'readiness %', 'completion %', 'progress %', 'current %'],
  category: ['category', 'area', 'domain', 'aspect', 'dimension', 'pillar', 'component', 'categories', 'capability area'],
  level: ['level', 'current level', 'maturity', 'tier', 'maturity level', 'readiness level', 'target level'],
  time: ['time', 'time utc', 'timestamp', 'when', 'date', 'date time', 'datetime', 'time utc+0', 'time (utc)'],
  count: ['count', 'total', 'number of gaps', 'gaps'],
};

/** First words that decide a role on their own (`Owner / Target`, `Status notes`, `Evidence (link)`). */
const LEADING_WORD: Record<string, Role> = {
  owner: 'owner',
  owners: 'owner',
  assignee: 'owner',
  status: 'status',
  evidence: 'evidence',
  rpn: 'rpn',
  severity: 'severity',
  occurrence: 'occurrence',
  detection: 'detection',
  priority: 'priority',
  due: 'due',
  deadline: 'due',
  mitigation: 'action',
  sli: 'sli',
  alert: 'alert',
  alerting: 'alert',
  window: 'window',
};

export function normalizeHeader(s: string): string {
  return demojibake(s)
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_`~]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#%?×+]+/gu, ' ')
    .trim();
}

const BUILTIN = new Map<string, Role>();
for (const [role, names] of Object.entries(SYNONYMS) as [Role, string[]][]) {
  for (const n of names) if (!BUILTIN.has(normalizeHeader(n))) BUILTIN.set(normalizeHeader(n), role);
}

const userMaps = new WeakMap<Config, Map<string, Role>>();

function userMap(config: Config | undefined): Map<string, Role> | undefined {
  if (!config || !config.columns || !Object.keys(config.columns).length) return undefined;
  let m = userMaps.get(config);
  if (!m) {
    m = new Map();
    for (const [role, names] of Object.entries(config.columns) as [Role, string[]][]) {
      for (const n of names ?? []) m.set(normalizeHeader(n), role);
    }
    userMaps.set(config, m);
  }
  return m;
}

/** The role a header or label plays, or undefined. */
export function roleOf(header: string, config?: Config): Role | undefined {
  const n = normalizeHeader(header);
  if (!n) return undefined;
  const user = userMap(config)?.get(n);
  if (user) return user;
  const exact = BUILTIN.get(n) ?? BUILTIN.get(n.replace(/\?$/, ''));
  if (exact) return exact;
  // `Last refreshed (UTC)`, `Owner (team)`: the qualifier in parentheses does not change the role.
  if (header.includes('(')) {
    const bare = normalizeHeader(header.replace(/\([^)]*\)/g, ' '));
    const r = bare && bare !== n ? (userMap(config)?.get(bare) ?? BUILTIN.get(bare)) : undefined;
    if (r) return r;
  }
  const words = n.split(' ');
  const lead = LEADING_WORD[words[0]!];
  if (lead && words.length <= 4) return lead;
  if (words.includes('rpn')) return 'rpn';
  return undefined;
}

/**
 * Maps a table's headers to roles: the first column that plays a role keeps it. A `Severity` column in
 * a table with no occurrence, detection or RPN columns is a priority scale (BLOCKER/MAJOR, P0/P1), not S.
 */
export function mapColumns(headers: string[], config?: Config): { roles: (Role | undefined)[]; byRole: Partial<Record<Role, number>> } {
  const roles = headers.map((h) => roleOf(h, config));
  const byRole: Partial<Record<Role, number>> = {};
  // An exact header (`Detection`) beats one that only starts with the word (`Detection method`).
  const exact = headers.map((h) => isExactHeader(h, config));
  for (const pass of [true, false]) {
    roles.forEach((r, i) => {
      if (!r || exact[i] !== pass) return;
      if (byRole[r] === undefined) byRole[r] = i;
    });
  }
  // `| SLO | Target |`, `| Objective | SLO target |`: with a column that says target beside it, the SLO
  // or Objective column names the objective (the SLI when there is no SLI column), it is not the target.
  const targets = roles.map((r, i) => (r === 'target' ? i : -1)).filter((i) => i >= 0);
  if (targets.length > 1) {
    const named = targets.find((i) => /(?:^| )(?:target|цель)(?: |$)/.test(normalizeHeader(headers[i]!)));
    if (named !== undefined && byRole.target !== named) {
      const nameCol = byRole.target!;
      byRole.target = named;
      if (byRole.sli === undefined) {
        byRole.sli = nameCol;
        roles[nameCol] = 'sli';
      }
    }
  }
  roles.forEach((r, i) => {
    if (r && byRole[r] !== i) roles[i] = undefined;
  });
  // S × Likelihood × D: a Likelihood (or Probability) column beside Severity and Detection is the O.
  if (byRole.severity !== undefined && byRole.detection !== undefined && byRole.occurrence === undefined) {
    const i = headers.findIndex((h, k) => roles[k] === undefined && /^(?:likelihood|probability|prob)\b/.test(normalizeHeader(h)));
    if (i >= 0) {
      byRole.occurrence = i;
      roles[i] = 'occurrence';
    }
  }
  // …unless the table has an RPN column: then Severity is the S of S × O × D (or of S × Likelihood).
  if (byRole.severity !== undefined && byRole.occurrence === undefined && byRole.detection === undefined && byRole.rpn === undefined) {
    const i = byRole.severity;
    delete byRole.severity;
    if (byRole.priority === undefined) {
      byRole.priority = i;
      roles[i] = 'priority';
    } else roles[i] = undefined;
  }
  // A lone `S`, `O` or `D` header means nothing outside an S/O/D triple.
  for (const r of ['severity', 'occurrence', 'detection'] as const) {
    const i = byRole[r];
    if (i !== undefined && normalizeHeader(headers[i]!).length === 1) {
      const triple = byRole.severity !== undefined && byRole.occurrence !== undefined && byRole.detection !== undefined;
      if (!triple) {
        delete byRole[r];
        roles[i] = undefined;
      }
    }
  }
  return { roles, byRole };
}

function isExactHeader(header: string, config?: Config): boolean {
  const n = normalizeHeader(header);
  return userMap(config)?.has(n) === true || BUILTIN.has(n) || BUILTIN.has(n.replace(/\?$/, ''));
}
