/** Generated artefacts stay equal to their sources: the README rule table and the config JSON Schema. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers/paths.js';

const gen = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/generate.mjs')).href)) as {
  schemaText(): string;
  withRuleTable(s: string): string;
};

it('README rule table matches the rules (run `npm run generate`)', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes('<!-- rules:start -->'), 'README has the rule table markers');
  assert.equal(readme, gen.withRuleTable(readme));
});

it('schema/readiness.schema.json matches the zod schema (run `npm run generate`)', () => {
  const schema = readFileSync(join(REPO_ROOT, 'schema/readiness.schema.json'), 'utf8');
  assert.equal(schema, gen.schemaText());
  const parsed = JSON.parse(schema);
  assert.equal(parsed.additionalProperties, false);
  assert.ok(parsed.properties.rules && parsed.properties.rpnBands && parsed.properties.staleAfterDays);
});
