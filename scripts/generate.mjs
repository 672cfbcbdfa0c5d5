// Regenerates the committed artefacts that come from code: the JSON Schema of .readiness.yaml (from
// the zod schema) and the rule table in README.md (from the rules' metadata). Run after `tsc`:
//   npm run generate
// test/generated.test.ts fails when either has drifted.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = await import(join(root, 'out/server/src/engine/index.js'));

export function schemaText() {
  return JSON.stringify(engine.configJsonSchema(), null, 2) + '\n';
}

/** A table cell's text: GFM cuts rows at every unescaped `|`, even inside inline code. */
function cell(text) {
  return text.replace(/(?<!\\)\|/g, '\\|');
}

export function ruleTable() {
  const rows = engine.RULE_META.map(
    (m) => `| [${m.id}](docs/rules/${m.id}.md) | \`${m.name}\` | ${m.defaultSeverity} | ${m.fixable ? 'yes' : ''} | ${m.kinds.length >= 10 ? 'all' : m.kinds.join(', ')} | ${cell(m.description)} |`,
  );
  return ['| Rule | Name | Default | Fix | Kinds | What it reports |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function withRuleTable(readme) {
  return readme.replace(/(<!-- rules:start -->)[\s\S]*?(<!-- rules:end -->)/, (_m, a, b) => `${a}\n${ruleTable()}\n${b}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(join(root, 'schema'), { recursive: true });
  writeFileSync(join(root, 'schema/readiness.schema.json'), schemaText());
  const readmePath = join(root, 'README.md');
  writeFileSync(readmePath, withRuleTable(readFileSync(readmePath, 'utf8')));
  console.log('wrote schema/readiness.schema.json and the README rule table');
}
