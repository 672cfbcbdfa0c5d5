/** The register and FMEA rules (RD001–RD014), in id order; the registry (index.ts) merges the families. */
import type { Rule } from '../engine/rule.js';
import { rd001 } from './rd001-rpn-missing.js';
import { rd002 } from './rd002-rpn-mismatch.js';
import { rd003 } from './rd003-score-out-of-range.js';
import { rd004 } from './rd004-priority-band-mismatch.js';
import { rd005 } from './rd005-owner-missing.js';
import { rd006 } from './rd006-evidence-missing.js';
import { rd007 } from './rd007-evidence-link-broken.js';
import { rd008 } from './rd008-stale-review-date.js';
import { rd009 } from './rd009-overdue-item.js';
import { rd010 } from './rd010-duplicate-id.js';
import { rd011 } from './rd011-quoted-figure-mismatch.js';
import { rd012 } from './rd012-undefined-id-reference.js';
import { rd013 } from './rd013-weekday-mismatch.js';
import { rd014 } from './rd014-table-pipe-in-code.js';

export const RULES_CORE: Rule[] = [rd001, rd002, rd003, rd004, rd005, rd006, rd007, rd008, rd009, rd010, rd011, rd012, rd013, rd014];
