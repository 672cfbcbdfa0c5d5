/** Rules of this family, in id order; the registry (index.ts) merges the families. */
import type { Rule } from '../engine/rule.js';
import { rd050 } from './rd050-summary-count-mismatch.js';
import { rd051 } from './rd051-gap-status-contradiction.js';
import { rd060 } from './rd060-missing-file-claim-wrong.js';
import { rd070 } from './rd070-required-section-missing.js';
import { rd071 } from './rd071-timeline-out-of-order.js';
import { rd072 } from './rd072-action-item-owner-missing.js';
import { rd073 } from './rd073-action-item-due-missing.js';
import { rd074 } from './rd074-placeholder-left.js';
import { rd081 } from './rd081-unknown-owner.js';

export const RULES_KINDS_OPS: Rule[] = [rd050, rd051, rd060, rd070, rd071, rd072, rd073, rd074, rd081];
