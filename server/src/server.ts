/**
 * `readiness-language-server`: the process entry (bundled to dist/server.cjs). The transport comes from
 * the command line; everything else lives in server/src/lsp/.
 */
import { hasTransport, runFromCommandLine, USAGE } from './lsp/main.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!hasTransport(args)) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
runFromCommandLine();
