/** Rules of this family, in id order; the registry (index.ts) merges the families. */
import type { Rule } from '../engine/rule.js';
import { rd020 } from './rd020-invariant-check-missing.js';
import { rd021 } from './rd021-invariant-check-broken.js';
import { rd022 } from './rd022-invariant-alert-missing.js';
import { rd030 } from './rd030-slo-field-missing.js';
import { rd031 } from './rd031-slo-target-invalid.js';
import { rd032 } from './rd032-slo-error-budget-mismatch.js';
import { rd040 } from './rd040-checklist-status-contradiction.js';
import { rd041 } from './rd041-overall-score-mismatch.js';
import { rd042 } from './rd042-level-claim-unsupported.js';
import { rd043 } from './rd043-checklist-evidence-broken.js';

export const RULES_KINDS_DOCS: Rule[] = [rd020, rd021, rd022, rd030, rd031, rd032, rd040, rd041, rd042, rd043];
