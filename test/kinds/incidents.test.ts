/**
 * Incidents, postmortems and runbooks (RD070–RD074) and owner handles (RD081): what a reader of an incident
 * report would notice, checked on small in-memory documents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStamp } from '../../server/src/rules/rd071-timeline-out-of-order.js';
import { ownerHint } from '../../server/src/rules/rd07-ops-util.js';
import { findPlaceholders } from '../../server/src/rules/rd074-placeholder-left.js';
import { lintMemory, only } from '../helpers/lint.js';

const PM = 'docs/postmortems/2026-05-12-search.md';

function postmortem(parts: { title?: string; timeline?: string[]; actions?: string[]; extra?: string[] } = {}): string {
  return [
    `# ${parts.title ?? 'Postmortem: stale search results'}`,
    '',
    '## Summary',
    '',
    'A reindex job stalled; users saw listings up to six hours old.',
    '',
    '## Timeline',
    '',
    ...(parts.timeline ?? ['- 2026-05-12 03:10 UTC — reindex starts.', '- 2026-05-12 09:20 UTC — reindex restarted.']),
    '',
    '## Root cause',
    '',
    'No checkpointing in the reindex job.',
    '',
    '## Action items',
    '',
    ...(parts.actions ?? ['- Add checkpoints — Search team, due 2026-06-15']),
    '',
    ...(parts.extra ?? []),
  ].join('\n');
}

describe('RD070 required-section-missing', () => {
  it('accepts synonyms and an impact stated in the summary', () => {
    assert.equal(only(lintMemory(postmortem(), PM), 'RD070').length, 0);
  });

  it('lists every missing section once, on the title', () => {
    const text = ['# Postmortem: DNS failures', '', '## Summary', '', 'Lookups failed for 20 minutes.', '', '## What went wrong', '', 'A resolver wedged.', ''].join('\n');
    const fs = only(lintMemory(text, PM), 'RD070');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.range.start.line, 0);
    assert.match(fs[0]!.message, /has no Impact, Timeline or Action items section/);
  });

  it('leaves project retrospectives and other structures alone (fewer than two usual sections)', () => {
    const retro = ['# POSTMORTEM', '', '## Overview', '', 'The project shipped.', '', '## What Went Well', '', 'Tests.', '', '## Challenges Faced', '', 'Time.', ''].join('\n');
    assert.deepEqual(only(lintMemory(retro, PM), 'RD070'), []);
  });

  it('takes the required sections from the configuration', () => {
    const text = ['# Billing runbook', '', '## Symptoms', '', 'Invoices stop.', ''].join('\n');
    assert.equal(only(lintMemory(text, 'docs/runbooks/billing.md'), 'RD070').length, 0);
    const fs = only(lintMemory(text, 'docs/runbooks/billing.md', { config: 'requiredSections:\n  runbook: [Escalation]\n' }), 'RD070');
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /Runbook has no Escalation section/);
  });
});

describe('RD071 timeline-out-of-order', () => {
  it('parses the timestamp forms timelines use', () => {
    const s = (t: string) => {
      const p = parseStamp(t, 2026);
      return p && [p.day !== undefined ? new Date(p.day * 86400000).toISOString().slice(0, 10) : undefined, p.seconds];
    };
    assert.deepEqual(s('2026-05-03 22:30 — pre-GATE-A'), ['2026-05-03', 22 * 3600 + 30 * 60]);
    assert.deepEqual(s('**14:00:32 UTC** alert'), [undefined, 14 * 3600 + 32]);
    assert.deepEqual(s('2:00 PM UTC — drill starts'), [undefined, 14 * 3600]);
    assert.deepEqual(s('May 5, 14:05 — failover'), ['2026-05-05', 14 * 3600 + 5 * 60]);
    assert.equal(s('8 retry attempts, all killed'), undefined);
  });

  it('reports the first entry that goes back, with both times', () => {
    const fs = only(
      lintMemory(postmortem({ timeline: ['- 2026-05-04 12:50 — compose live.', '- 2026-05-04 12:03 — diagnostics.', '- 2026-05-04 11:00 — later typo.'] }), PM),
      'RD071',
    );
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.message, 'Timeline entry 2026-05-04 12:03 comes after 2026-05-04 12:50 (line 9); entries should be in chronological order.');
  });

  it('skips undated entries and reads times after a date as the same day', () => {
    const tl = ['- 2026-05-03 22:30 — artefacts.', '- 8 retry attempts: all killed.', '- 2026-05-04 00:30 — first SIGKILL.', '- 01:17 — STOP document.'];
    assert.equal(only(lintMemory(postmortem({ timeline: tl }), PM), 'RD071').length, 0);
  });

  it('reads a time-only timeline across midnight', () => {
    const tl = ['- 23:40 UTC — export starts.', '- 00:15 UTC — disk full.', '- 00:50 UTC — export done.'];
    assert.equal(only(lintMemory(postmortem({ timeline: tl }), PM), 'RD071').length, 0);
  });
});

describe('RD072 action-item-owner-missing and RD073 action-item-due-missing', () => {
  it('recognises owners in the forms people write', () => {
    for (const t of ['Add alert @sre-oncall', 'Add alert (owner: Platform team)', 'Add alert — SRE, due 2026-06-10', 'Add alert (Alice)', 'Owner: Bob — add alert']) {
      assert.equal(ownerHint(t)?.kind, 'named', t);
    }
    assert.equal(ownerHint('Add alert (owner: TBD)')?.kind, 'blank');
    for (const t of ['Add alert for KC_DB=dev-file (H2)', 'Add alert (optional)', 'Add alert — see runbook']) assert.equal(ownerHint(t), undefined, t);
  });

  it('reports list items with no owner and skips done items', () => {
    const fs = only(lintMemory(postmortem({ actions: ['- Add checkpoints', '- [x] Restart the job', '- Alert on index age — @search-oncall'] }), PM), 'RD072');
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /Action item "Add checkpoints" names no owner/);
  });

  it('takes a section-wide owner into account', () => {
    const actions = ['All items below are owned by the Search team.', '', '- Add checkpoints', '- Alert on index age'];
    assert.equal(only(lintMemory(postmortem({ actions }), PM), 'RD072').length, 0);
  });

  it('asks for due dates only where the list tracks them', () => {
    const none = only(lintMemory(postmortem({ actions: ['- Add checkpoints — Search', '- Alert on index age — SRE'] }), PM), 'RD073');
    assert.equal(none.length, 0);
    const some = only(lintMemory(postmortem({ actions: ['- Add checkpoints — Search, due 2026-06-15', '- Alert on index age — SRE'] }), PM), 'RD073');
    assert.equal(some.length, 1);
    assert.equal(some[0]!.severity, 'info');
  });
});

describe('RD074 placeholder-left', () => {
  it('finds placeholders but not code arguments, links or decisions', () => {
    const hits = (raw: string) => findPlaceholders(raw, raw.replace(/`[^`]*`/g, (x) => ' '.repeat(x.length)), { angleAnywhere: true, tbd: true }).map((h) => h.token);
    assert.deepEqual(hits('Date: YYYY-MM-DD, owner TBD, see {{ link }}'), ['YYYY-MM-DD', 'TBD', '{{ link }}']);
    assert.deepEqual(hits('[Describe the impact] and <service-name>'), ['[Describe the impact]', '<service-name>']);
    assert.deepEqual(hits('`kubectl logs <pod-name>` [Runbook](x.md) [Team vote] <br/>'), []);
  });

  it('leaves templates alone', () => {
    const text = postmortem({ title: 'Postmortem template', extra: ['**Date:** YYYY-MM-DD', '', 'TBD'] });
    assert.equal(only(lintMemory(text, 'docs/postmortems/TEMPLATE.md'), 'RD074').length, 0);
    assert.equal(only(lintMemory(text, PM), 'RD074').length, 0, 'a "template" title is enough');
  });

  it('reports placeholders in a filled postmortem', () => {
    const fs = only(lintMemory(postmortem({ extra: ['**Date:** YYYY-MM-DD', '', '## Lessons learned', '', 'TBD'] }), PM), 'RD074');
    assert.deepEqual(fs.map((f) => f.message.split(' is ')[0]), ['Template placeholder YYYY-MM-DD', 'Template placeholder TBD']);
  });

  it('accepts TBD in an incident that is still being investigated', () => {
    const text = ['# Incident: card declines', '', '**Status:** Investigating', '', '## Summary', '', 'Root cause: TBD', ''].join('\n');
    assert.equal(only(lintMemory(text, 'docs/incidents/2026-05-30-cards.md'), 'RD074').length, 0);
  });
});

describe('RD081 unknown-owner', () => {
  const text = ['# Gap register', '', '| ID | Gap | Owner | Status |', '|----|-----|-------|--------|', '| G-1 | A | @acme/ledgr | Open |', '| G-2 | B | Data team | Open |'].join('\n');

  it('reports a handle CODEOWNERS does not list, with a suggestion', () => {
    const fs = only(lintMemory(text, 'docs/GAP_REGISTER.md', { codeowners: '* @acme/ledger\n' }), 'RD081');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.message, 'Owner @acme/ledgr is not listed in CODEOWNERS; did you mean @acme/ledger?');
  });

  it('says nothing without CODEOWNERS or with codeowners: false', () => {
    assert.equal(only(lintMemory(text, 'docs/GAP_REGISTER.md'), 'RD081').length, 0);
    assert.equal(only(lintMemory(text, 'docs/GAP_REGISTER.md', { codeowners: '* @acme/ledger\n', config: 'codeowners: false\n' }), 'RD081').length, 0);
  });
});
