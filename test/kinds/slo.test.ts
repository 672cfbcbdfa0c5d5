/** SLO rules (RD030–RD032): targets, windows and error budgets as SREs write them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintMemory, only } from '../helpers/lint.js';
import { checkBudget, parseBudget, parseTarget, parseWindow, windowInText } from '../../server/src/rules/kd-slo.js';

const PATH = 'docs/SLOs.md';
const DAY = 24 * 60;

describe('SLO targets', () => {
  for (const t of ['99.9%', '≥ 99.5%', 'p99 < 250 ms', '<= 1s', '≤ 10 min', '≥ 100 RPS', 'within 250ms', '99.95', 'three nines', '99th percentile per cluster-day<sup>[1](#f1)</sup> <= 1s', '(a) <= 1s if `scope=resource` (b) <= 30s otherwise']) {
    it(`parses ${t}`, () => assert.equal(parseTarget(t).ok, true));
  }
  for (const t of ['fast', 'high availability', '<= X', 'X.Y.Z']) {
    it(`does not parse ${t}`, () => assert.equal(parseTarget(t).ok, false));
  }
  it('tells a ceiling on errors from a floor on success', () => {
    assert.equal(parseTarget('≤ 0.1%').bound, 'upper');
    assert.equal(parseTarget('≥ 99.5%').bound, 'lower');
    assert.equal(parseTarget('99.9% of requests').bound, 'lower');
  });
});

describe('SLO windows', () => {
  const cases: [string, number][] = [
    ['30d', 30 * DAY],
    ['28 days', 28 * DAY],
    ['30-day rolling window', 30 * DAY],
    ['Monthly (30 days)', 30 * DAY],
    ['Weekly', 7 * DAY],
    ['Daily', DAY],
    ['4 weeks', 28 * DAY],
  ];
  for (const [t, m] of cases) it(`reads ${t}`, () => assert.ok(parseWindow(t)!.includes(m)));
  it('accepts any usual month length for a bare "Monthly"', () => assert.ok(parseWindow('Monthly')!.includes(30 * DAY)));
  it('finds a window in an objective but not a latency threshold', () => {
    assert.deepEqual(windowInText('99.5% of requests over a 30-day rolling window'), [30 * DAY]);
    assert.equal(windowInText('95% of refunds issued within 2 hours'), undefined);
  });
});

describe('error budgets', () => {
  const judge = (target: string, window: string, budget: string) => {
    const t = parseTarget(target);
    return checkBudget(t.percents[0]!, t.bound, parseBudget(budget), parseWindow(window));
  };
  it('99.9% over 30 days allows 43.2 minutes', () => {
    assert.equal(judge('99.9%', '30 days', '43.2 min'), undefined);
    assert.equal(judge('99.9%', '30 days', '43 min'), undefined, 'rounded to the minute');
    const r = judge('99.9%', '30 days', '50 min');
    assert.equal(r?.problem, 'duration');
    assert.ok(Math.abs(r!.expectedDuration! - 43.2) < 1e-9);
  });
  it('reads a budget that states its own period', () => {
    assert.equal(judge('≥ 99.5%', 'Monthly (30 days)', '0.5% (3.6 hours/month)'), undefined);
    assert.equal(judge('≥ 99.0%', 'Weekly', '1% (1.68 hours/week)'), undefined);
    assert.equal(judge('≥ 99.0%', 'Weekly', '1% (3 hours/week)')?.problem, 'duration');
  });
  it('checks a percentage budget against 100 − target, or the ceiling itself', () => {
    assert.equal(judge('≥ 99.5%', 'Monthly', '1%')?.problem, 'percent');
    assert.equal(judge('≤ 0.1%', 'Weekly', '0.1% error budget'), undefined);
  });
  it('leaves N/A budgets alone', () => assert.equal(judge('≥ 99%', 'Peak hours', 'N/A (capacity planning)'), undefined));
});

describe('SLO documents', () => {
  it('finds nothing in a consistent production/development pair with N/A budgets', () => {
    const doc = [
      '# Service Level Objectives',
      '',
      '## Availability SLO',
      '- **Objective**: available for **99.5%** of requests over a 30-day rolling window.',
      '- **SLI**:',
      '    * Ratio of 2xx responses to all responses.',
      '',
      '## Latency SLO',
      '- **Objective**: 95% of requests complete within 250ms.',
      '',
      '## Production SLOs',
      '',
      '| SLI | Objective | Measurement Window | Error Budget |',
      '|-----|-----------|-------------------|--------------|',
      '| Availability | ≥ 99.5% | Monthly (30 days) | 0.5% (3.6 hours/month) |',
      '| Latency (95th percentile) | ≤ 100ms | Monthly | 5% of requests > 100ms |',
      '| Error Rate | ≤ 0.1% | Weekly | 0.1% error budget |',
      '| Throughput | ≥ 100 RPS | Peak hours | N/A (capacity planning) |',
      '',
      '## Development SLOs',
      '',
      '| SLI | Objective | Measurement Window | Error Budget |',
      '|-----|-----------|-------------------|--------------|',
      '| Availability | ≥ 99.0% | Weekly | 1% (1.68 hours/week) |',
      '',
    ].join('\n');
    assert.deepEqual(lintMemory(doc, PATH).filter((f) => /^RD03/.test(f.ruleId)), []);
  });

  it('tolerates placeholders in WIP rows but not in official ones', () => {
    const doc = [
      '# Scalability SLOs',
      '',
      '| Status | SLI | SLO |',
      '| --- | --- | --- |',
      '| __Official__ | API call latency, 99th percentile over 5 minutes | 99th percentile per cluster-day <= 1s |',
      '| __WIP__ | DNS programming latency | 99th percentile per cluster-day <= X |',
      '| __Official__ | Network latency | 99th percentile per cluster-day <= X |',
      '',
    ].join('\n');
    const f = lintMemory(doc, PATH).filter((x) => /^RD03/.test(x.ruleId));
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.range.start.line]),
      [['RD031', 6]],
    );
  });

  it('reports one finding per SLO listing every missing field', () => {
    // Two complete SLOs and one that lacks three fields (a document whose fields are mostly blank would
    // be a template, and templates are not judged).
    const doc = [
      '# SLOs', '', '| SLI | Target | Window | Owner | Alert |', '|---|---|---|---|---|',
      '| Latency | p99 < 250 ms | 30d | @api | ApiLatencyHigh |',
      '| Errors | 99.5% | 30d | @api | ApiErrorsHigh |',
      '| Availability | 99.9% |  |  |  |', '',
    ].join('\n');
    const f = only(lintMemory(doc, PATH), 'RD030');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /no window, owner or alert/);
  });

  it('does not ask for an owner when the document names one for all SLOs', () => {
    const doc = ['# SLOs', '', 'Owner: @sre', '', '| SLI | Target | Window | Owner |', '|---|---|---|---|', '| Availability | 99.9% | 30d |  |', ''].join('\n');
    assert.deepEqual(only(lintMemory(doc, PATH), 'RD030'), []);
  });
});
