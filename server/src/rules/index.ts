/**
 * The rule registry: every rule in id order. To add a rule: write server/src/rules/<id>-<name>.ts,
 * docs/rules/<ID>.md and fixtures under test/fixtures/rules/<ID>/, then list it here.
 */
import type { Rule } from '../engine/rule.js';
import type { RuleMeta } from '../engine/types.js';
import { DOC_KINDS } from '../engine/types.js';

import { RULES_CORE } from './registry-core.js';
import { RULES_KINDS_DOCS } from './registry-kinds-docs.js';
import { RULES_KINDS_OPS } from './registry-kinds-ops.js';

export const RULES: readonly Rule[] = [...RULES_CORE, ...RULES_KINDS_DOCS, ...RULES_KINDS_OPS].sort((a, b) => a.meta.id.localeCompare(b.meta.id));

/** Findings that do not come from a Rule object but are configured and documented like one. */
export const ENGINE_RULES: readonly RuleMeta[] = [
  {
    id: 'RD080',
    name: 'unused-suppression',
    description: 'A readiness-disable comment that silences nothing.',
    defaultSeverity: 'info',
    kinds: DOC_KINDS,
  },
  {
    id: 'RD090',
    name: 'config-invalid',
    description: 'The .readiness.yaml file is not valid; the defaults apply where it is wrong.',
    defaultSeverity: 'error',
    kinds: DOC_KINDS,
  },
  {
    id: 'RD091',
    name: 'document-too-large',
    description: 'The document is larger than maxFileSize and was not linted.',
    defaultSeverity: 'warning',
    kinds: DOC_KINDS,
  },
];

export const RULE_META: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...ENGINE_RULES].sort((a, b) => a.id.localeCompare(b.id));

export function findRule(idOrName: string): RuleMeta | undefined {
  const k = idOrName.trim();
  return RULE_META.find((m) => m.id.toUpperCase() === k.toUpperCase() || m.name === k.toLowerCase());
}
