/**
 * A real JSON-RPC client for protocol tests: spawns `dist/server.cjs --stdio` and talks LSP to it.
 * Everything waits on events (notifications and responses); the only timers are guards that fail a
 * test instead of letting it hang.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type TextEdit,
  type WorkspaceEdit,
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Registration,
} from 'vscode-languageserver-protocol/node';

/** The repository root, found from this compiled file (out/test/server/…) or the source. */
export const REPO_ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(join(d, 'package.json')) && fs.existsSync(join(d, 'test', 'server', 'fixtures'))) return d;
    d = dirname(d);
  }
  return process.cwd();
})();

export const SERVER_BIN = join(REPO_ROOT, 'dist', 'server.cjs');
export const FIXTURES = join(REPO_ROOT, 'test', 'server', 'fixtures');

/** Guards every wait: a test that waits longer than this fails instead of hanging. */
export const GUARD_MS = 8000;

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Copies a fixture folder to a fresh temporary directory and returns its path. */
export function tempWorkspace(fixture: string, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(join(fs.realpathSync(os.tmpdir()), 'readiness-lsp-'));
  fs.cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const [rel, text] of Object.entries(extra)) {
    fs.mkdirSync(dirname(join(dir, rel)), { recursive: true });
    fs.writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export interface StartOptions {
  /** Workspace folder (absolute path); omitted: no folder. */
  root?: string;
  /** What the client answers to workspace/configuration for section `readiness`. */
  settings?: Record<string, unknown>;
  /** Extra or replacing client capabilities. */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
}

type Waiter = { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class TestClient {
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  readonly registrations: Registration[] = [];
  readonly logs: string[] = [];
  stderr = '';
  initializeResult!: InitializeResult;
  settings: Record<string, unknown>;
  private waiters: Waiter[] = [];
  private registrationWaiters: Array<() => void> = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || !w.pred(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'readiness' ? this.settings : null)));
    conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
      for (const w of this.registrationWaiters.splice(0)) w();
    });
    conn.listen();
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ? { ...process.env, ...options.env } : process.env });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn, options.settings ?? { today: '2026-06-01' });
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, dataSupport: true },
        synchronization: { dynamicRegistration: false },
      },
      ...options.capabilities,
    };
    const root = options.root;
    client.initializeResult = await client.guard(
      conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: root ? fileUri(root) : null,
        workspaceFolders: root ? [{ uri: fileUri(root), name: 'test' }] : null,
        capabilities,
        initializationOptions: options.initializationOptions,
      }),
      'initialize',
    );
    await conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the first publishDiagnostics for `uri` (already received or coming) that matches. */
  diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, what = `diagnostics for ${uri}`): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return this.guard(new Promise((resolve) => this.waiters.push({ uri, pred, resolve })), what);
  }

  /** Resolves once the server has registered a capability of `method`. */
  registered(method: string): Promise<Registration> {
    const find = () => this.registrations.find((r) => r.method === method);
    const found = find();
    if (found) return Promise.resolve(found);
    return this.guard(
      new Promise((resolve) => {
        const check = () => {
          const r = find();
          if (r) resolve(r);
          else this.registrationWaiters.push(check);
        };
        this.registrationWaiters.push(check);
      }),
      `registration of ${method}`,
    );
  }

  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    // A token only when there is one: an undefined third argument would be sent as positional params.
    const sent = token ? this.conn.sendRequest(method, params, token) : this.conn.sendRequest(method, params);
    return this.guard(sent as Promise<R>, method);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** shutdown + exit; resolves with the process exit code. */
  async stop(): Promise<number | null> {
    await this.request('shutdown', undefined);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await this.guard(this.exited, 'process exit');
    this.conn.dispose();
    return code;
  }

  /** Ends the server however it is (for cleanup after a failed test). */
  kill(): void {
    try {
      this.conn.dispose();
    } catch {
      /* already disposed */
    }
    if (this.proc.exitCode === null && !this.proc.killed) this.proc.kill();
  }

  guard<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Timed out after ${GUARD_MS} ms waiting for ${what}.\nServer stderr:\n${this.stderr}\nServer log:\n${this.logs.join('\n')}`)),
        GUARD_MS,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}

/** The text edits a workspace edit makes to one document (`changes` or versioned `documentChanges`). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const dc of edit.documentChanges ?? []) if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  return out;
}
