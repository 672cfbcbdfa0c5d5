/**
 * Runs the server in this process on the transport named on the command line (--stdio, --node-ipc,
 * --socket=PORT, --pipe=NAME). Over --stdio the connection is made here, with a message writer whose
 * encoder reuses the JSON of unchanged diagnostics (./encode.ts); the other transports are
 * vscode-languageserver's createConnection reading process.argv itself.
 */
import { format } from 'node:util';
import * as v8 from 'node:v8';
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type RemoteConsole,
} from 'vscode-languageserver/node';
import { createDiagnosticsEncoder, type DiagnosticsEncoder } from './encode.js';
import { startServer, type ReadinessServer, type ServerOptions } from './server.js';

export const USAGE = 'usage: readiness-language-server --stdio | --node-ipc | --socket=PORT';

/** True when argv names a transport createConnection understands. */
export function hasTransport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(?:socket|pipe)=./.test(a));
}

/** The transport createConnection would pick: the first argument that names one. */
export function transportOf(argv: readonly string[]): 'stdio' | 'node-ipc' | 'socket' | 'pipe' | undefined {
  for (const a of argv) {
    if (a === '--stdio') return 'stdio';
    if (a === '--node-ipc') return 'node-ipc';
    const name = a.split('=')[0];
    if (name === '--socket') return 'socket';
    if (name === '--pipe') return 'pipe';
  }
  return undefined;
}

export function runFromCommandLine(options?: ServerOptions): ReadinessServer {
  tuneForLongSessions();
  const stdio = transportOf(process.argv.slice(2)) === 'stdio';
  const encoder = stdio ? createDiagnosticsEncoder() : undefined;
  const connection = encoder ? stdioConnection(encoder) : createConnection(ProposedFeatures.all);
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
  // A server process of its own: give memory back when the user pauses (see IdleCollector).
  const server = startServer(connection, { idleCollectMs: 1000, onIdle: encoder && (() => encoder.forget()), ...options });
  if (stdio) {
    // What createConnection does for --stdio on its own: end with the input (the client is gone),
    // successfully only after a shutdown request.
    const end = () => process.exit(server.shutdownRequested ? 0 : 1);
    process.stdin.on('end', end);
    process.stdin.on('close', end);
  }
  return server;
}

/**
 * A server process of its own lives as long as the editor, and runs the same code on every edit:
 * - no baseline machine code (Sparkplug): V8 makes it for every function that has run a few times and
 *   keeps it for the session; the lint's hot paths get optimized code either way. Measured on the
 *   4,000-row register (docs/performance.md): code space after 10,000 edits 1.0 MB instead of 1.9 MB,
 *   the same latency while typing;
 * - no bytecode flushing: the idle collection would otherwise drop the lint's bytecode when the user
 *   pauses, and the first edit after the pause would compile it again from source (that edit's median:
 *   39 ms instead of 49 ms, at the same memory).
 */
function tuneForLongSessions(): void {
  for (const flag of ['--no-sparkplug', '--no-flush-bytecode']) {
    try {
      v8.setFlagsFromString(flag);
    } catch {
      /* a V8 without the flag: nothing to do */
    }
  }
}

/** The --stdio connection: JSON-RPC over stdin/stdout, publishDiagnostics encoded from cached JSON. */
function stdioConnection(encoder: DiagnosticsEncoder): Connection {
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: encoder });
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  // stdout is the protocol: what a dependency would print goes to the client's log instead (as
  // createConnection does for --stdio).
  redirectConsole(console, connection.console);
  return connection;
}

/** Sends what is written to `target` (the global console) to the client's log. */
export function redirectConsole(target: Console, remote: RemoteConsole): void {
  const to =
    (level: 'error' | 'warn' | 'info' | 'log' | 'debug') =>
    (...args: unknown[]) => {
      try {
        remote[level](format(...args));
      } catch {
        /* the connection is gone */
      }
    };
  target.log = to('log');
  target.info = to('info');
  target.debug = to('debug');
  target.warn = to('warn');
  target.error = to('error');
  target.trace = (...args: unknown[]) => to('log')(`Trace: ${format(...args)}\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`);
  target.dir = (item: unknown) => to('log')(item);
}
