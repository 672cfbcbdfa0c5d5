/**
 * Runs the server in this process on the transport named on the command line (--stdio, --node-ipc,
 * --socket=PORT, --pipe=NAME); vscode-languageserver's createConnection reads process.argv itself.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, type ReadinessServer, type ServerOptions } from './server.js';

export const USAGE = 'usage: readiness-language-server --stdio | --node-ipc | --socket=PORT';

/** True when argv names a transport createConnection understands. */
export function hasTransport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(?:socket|pipe)=./.test(a));
}

export function runFromCommandLine(options?: ServerOptions): ReadinessServer {
  const connection = createConnection(ProposedFeatures.all);
  const report = (what: string) => (e: unknown) => {
    try {
      connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } catch {
      /* the connection is gone */
    }
  };
  // A bug must cost one answer, never the session.
  process.on('uncaughtException', report('Uncaught exception'));
  process.on('unhandledRejection', report('Unhandled rejection'));
  return startServer(connection, options);
}
