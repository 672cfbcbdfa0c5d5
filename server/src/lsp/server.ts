/**
 * The Readiness language server, as a function of a Connection so tests (and other hosts) can inject
 * one. It adapts the engine: documents in, diagnostics, code actions, code lenses, hovers and
 * definitions out. Nothing here knows a rule; every handler is guarded so no document, config or
 * request can take the process down.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type CodeLensParams,
  type Connection,
  type DefinitionParams,
  type Diagnostic,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  basename,
  buildModel,
  releaseCells,
  documentScores,
  sizeAbove,
  forgetDocument,
  tooLargeFinding,
  CONFIG_FILE_NAME,
  defaultConfig,
  dirname,
  isInside,
  lintModel,
  ruleSeverity,
  type Config,
  type DocumentModel,
  type DocumentScores,
  type Finding,
} from '../engine/index.js';
import type { LoadedConfig } from '../node/fsWorkspace.js';
import { fixAllAction, FIX_ALL_KIND, kindRequested, quickFixes } from './actions.js';
import { CONFIG_RULE, configProblemToDiagnostic, DiagnosticConverter, isRange } from './convert.js';
import { errorMessage, Folders, indexFile, indexFolder, MAX_INDEXED_FILES, type Folder, type IndexHooks } from './folders.js';
import { codeLenses } from './lenses.js';
import { definitionsAt, hoverAt } from './navigation.js';
import { applySettings, DEFAULT_SETTINGS, parseSettings, settingsSection, type ReadinessSettings } from './settings.js';
import { isMarkdown, pathToUri, uriToLocation, uriToPath } from './uri.js';
import { withTimeout } from '../node/timeout.js';
import { IdleCollector } from '../node/idle-gc.js';
import * as v8 from 'node:v8';

export const SERVER_NAME = 'readiness-language-server';

export interface ServerOptions {
  /** Delay between the last change of a document and its lint (ms). */
  debounceMs?: number;
  /** Delay before relinting other open documents after the workspace changed (ms). */
  relintDelayMs?: number;
  /** Bound of the background index per folder. */
  maxIndexedFiles?: number;
  /** How long to wait for the client's answer to workspace/configuration (ms). */
  configurationTimeoutMs?: number;
  /**
   * Collect garbage this long after the last lint or index when nothing else happened (ms); off when
   * undefined. The command-line server turns it on; in-process hosts (tests) leave their heap alone.
   */
  idleCollectMs?: number;
  /** Called when the server is idle, just before that collection: caches that only serve bursts of typing let go. */
  onIdle?: () => void;
}

/** What the client may pass in initializationOptions. */
interface InitializationOptions {
  /** The `readiness` settings section, for clients that cannot answer workspace/configuration. */
  settings?: unknown;
  /** The client already forwards file events (VS Code's synchronize.fileEvents): do not register watchers. */
  fileEventsFromClient?: boolean;
}

interface DocState {
  uri: string;
  path: string;
  onDisk: boolean;
  /** Bumped whenever something the lint depends on (settings, config, other documents) changes. */
  epoch: number;
  lintedVersion: number | undefined;
  lintedEpoch: number | undefined;
  model: DocumentModel | undefined;
  /**
   * The model's scores for code lenses, computed with each lint: their per-row memo then follows every
   * edit (one row read again), instead of holding the rows of whichever version last had its lenses asked.
   */
  scores: DocumentScores | undefined;
  findings: Finding[];
  /**
   * The diagnostics of `findings`, in order (read them through diagnosticsOf); made by `converter`, so an
   * unchanged finding keeps its diagnostic object. Undefined after an idle release, until next asked for.
   */
  diagnostics: Diagnostic[] | undefined;
  converter: DiagnosticConverter;
  /** The ids (and RPNs) the document defines, to notice when other documents need a relint. */
  /** Linted at least once, and whether it defined ids then (others may reference or duplicate them). */
  indexedOnce: boolean;
  definesIds: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The first content event of a document is its open: lint at once, debounce afterwards. */
  seen: boolean;
  /** When the last change arrived and the last lint ended (ms, performance.now()). */
  changedAt: number;
  lintedAt: number;
  /** Version and diagnostics last published (push mode), to send a relint of the same version only when it changed something. */
  publishedVersion: number | undefined;
  publishedDiagnostics: Diagnostic[] | undefined;
}

/** A document's diagnostics, made from its findings when they were not yet (or were released). */
function diagnosticsOf(st: DocState): Diagnostic[] {
  return (st.diagnostics ??= st.converter.diagnostics(st.findings));
}

interface Capabilities {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  documentChanges: boolean;
  workspaceFolders: boolean;
}

class ParamsError extends Error {}

/** The client cancelled the request: answered with RequestCancelled. */
class Cancelled extends Error {}

function checkCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new Cancelled();
}

/** READINESS_TRACE=1: log where each lint's time went (build, index, rules, diagnostics). */
const TRACE = typeof process !== 'undefined' && !!process.env?.READINESS_TRACE;

/** A change handled this soon after a lint ended was queued behind it: part of a burst. */
const QUEUED_MS = 20;

export class ReadinessServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly folders = new Folders();
  private readonly states = new Map<string, DocState>();
  private readonly settingsCache = new Map<string, Promise<ReadinessSettings>>();
  /** Config problems last published, per config file path (JSON of the diagnostics). */
  private readonly configPublished = new Map<string, string>();
  private caps: Capabilities = {
    configuration: false,
    pullDiagnostics: false,
    diagnosticRefresh: false,
    watchedFilesDynamic: false,
    configurationDynamic: false,
    documentChanges: false,
    workspaceFolders: false,
  };
  private baseSettings: ReadinessSettings = DEFAULT_SETTINGS;
  private pushedSettings: ReadinessSettings = DEFAULT_SETTINGS;
  private fileEventsFromClient = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private shuttingDown = false;
  private readonly debounceMs: number;
  private readonly relintDelayMs: number;
  private readonly maxIndexedFiles: number;
  private readonly configurationTimeoutMs: number;
  /** Whether the client asked the server to shut down (the process then exits with 0). */
  get shutdownRequested(): boolean {
    return this.shuttingDown;
  }
  private readonly collector: IdleCollector | undefined;
  /** Resolves when the initial background index of every folder has completed (for tests and logs). */
  indexing: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    options: ServerOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 150;
    this.relintDelayMs = options.relintDelayMs ?? 300;
    this.maxIndexedFiles = options.maxIndexedFiles ?? MAX_INDEXED_FILES;
    this.configurationTimeoutMs = options.configurationTimeoutMs ?? 3000;
    this.collector =
      options.idleCollectMs !== undefined
        ? new IdleCollector(options.idleCollectMs, (ms) => {
            if (!TRACE) return;
            const m = process.memoryUsage();
            const mb = (n: number) => (n / 1048576).toFixed(1);
            const spaces = v8.getHeapSpaceStatistics().map((x) => `${x.space_name.replace(/_space$/, '')} ${mb(x.space_used_size)}/${mb(x.space_size)}`).join(', ');
            this.log(`trace idle collection in ${ms.toFixed(0)} ms: heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB (${spaces}), external ${mb(m.external)} MB, RSS ${mb(m.rss)} MB`);
          }, () => this.release(options.onIdle))
        : undefined;
  }

  /**
   * The user paused: let go of what only serves while they type (the open documents' table cells, read
   * again when next asked for; the host's own caches), just before the idle collection.
   */
  private release(hostRelease: (() => void) | undefined): void {
    try {
      const rows = releaseCells([...this.states.values()].flatMap((st) => (st.model ? [st.model] : [])));
      if (TRACE) this.log(`trace idle release: the cells of ${rows} table rows, the diagnostics of ${this.states.size} documents`);
      // The diagnostics are made again from the findings when next needed (a register's thousands of
      // objects otherwise stay for the session); the next publication is then sent even if unchanged.
      for (const st of this.states.values()) {
        st.converter = new DiagnosticConverter({ uri: st.uri });
        st.diagnostics = undefined;
        st.publishedDiagnostics = undefined;
      }
    } finally {
      hostRelease?.();
    }
  }

  /** Wires every handler on the connection and starts listening. */
  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.guard('initialized', () => this.initialized()));
    c.onShutdown(() => this.shutdown());
    c.onDidChangeConfiguration((p) => this.guard('didChangeConfiguration', () => this.didChangeConfiguration(p)));
    c.onDidChangeWatchedFiles((p) => this.guardAsync('didChangeWatchedFiles', () => this.didChangeWatchedFiles(p)));
    c.onCodeAction(this.request('codeAction', (p: CodeActionParams, t) => this.codeAction(p, t), [] as CodeAction[]));
    c.onCodeLens(this.request('codeLens', (p: CodeLensParams, t) => this.codeLens(p, t), [] as CodeLens[]));
    c.onHover(this.request('hover', (p: HoverParams, t) => this.hover(p, t), null as Hover | null));
    c.onDefinition(this.request('definition', (p: DefinitionParams, t) => this.definition(p, t), [] as Location[]));
    c.languages.diagnostics.on(
      this.request('diagnostic', (p: DocumentDiagnosticParams) => this.pullDiagnostics(p), {
        kind: DocumentDiagnosticReportKind.Full,
        items: [],
      } as DocumentDiagnosticReport),
    );

    this.documents.onDidOpen((e) => this.guard('didOpen', () => this.opened(e.document)));
    this.documents.onDidChangeContent((e) => this.guard('didChange', () => this.changed(e.document)));
    this.documents.onDidClose((e) => this.guardAsync('didClose', () => this.closed(e.document)));
    this.documents.listen(c);
    c.listen();
  }

  // ---------------------------------------------------------------- lifecycle

  private initialize(params: InitializeParams): InitializeResult {
    const caps: ClientCapabilities = params?.capabilities ?? {};
    this.caps = {
      configuration: caps.workspace?.configuration === true,
      pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
      diagnosticRefresh: caps.workspace?.diagnostics?.refreshSupport === true,
      watchedFilesDynamic: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configurationDynamic: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
      workspaceFolders: caps.workspace?.workspaceFolders === true,
    };
    const init = (isObject(params?.initializationOptions) ? params.initializationOptions : {}) as InitializationOptions;
    this.baseSettings = parseSettings(settingsSection(init.settings));
    this.pushedSettings = this.baseSettings;
    this.fileEventsFromClient = init.fileEventsFromClient === true;

    const folderUris: string[] = [];
    if (Array.isArray(params?.workspaceFolders)) {
      for (const f of params.workspaceFolders) if (typeof f?.uri === 'string') folderUris.push(f.uri);
    } else if (typeof params?.rootUri === 'string') {
      folderUris.push(params.rootUri);
    } else if (typeof params?.rootPath === 'string' && params.rootPath) {
      try {
        folderUris.push(pathToUri(params.rootPath));
      } catch {
        /* ignore a malformed root path */
      }
    }
    for (const uri of folderUris) this.folders.add(uri);

    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME },
    };
    if (this.caps.pullDiagnostics) {
      result.capabilities.diagnosticProvider = { identifier: 'readiness', interFileDependencies: true, workspaceDiagnostics: false };
    }
    return result;
  }

  private initialized(): void {
    const c = this.connection;
    if (this.caps.watchedFilesDynamic && !this.fileEventsFromClient) {
      const kind = WatchKind.Create | WatchKind.Change | WatchKind.Delete;
      c.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.md', kind },
            { globPattern: '**/*.markdown', kind },
            { globPattern: `**/${CONFIG_FILE_NAME}`, kind },
            { globPattern: '**/CODEOWNERS', kind },
          ],
        })
        .catch((e) => this.log(`Could not register file watchers: ${errorMessage(e)}`, 'warn'));
    }
    if (this.caps.configurationDynamic) {
      c.client
        .register(DidChangeConfigurationNotification.type, { section: 'readiness' })
        .catch((e) => this.log(`Could not register for configuration changes: ${errorMessage(e)}`, 'warn'));
    }
    if (this.caps.workspaceFolders) {
      try {
        c.workspace.onDidChangeWorkspaceFolders((e) => this.guard('didChangeWorkspaceFolders', () => this.foldersChanged(e)));
      } catch {
        /* the client does not send folder changes */
      }
    }
    this.indexing = this.indexAll(this.folders.all());
  }

  private shutdown(): void {
    this.shuttingDown = true;
    for (const st of this.states.values()) if (st.timer) clearTimeout(st.timer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.collector?.dispose();
    this.folders.dispose();
  }

  private foldersChanged(e: WorkspaceFoldersChangeEvent): void {
    for (const f of e.removed ?? []) this.folders.remove(f.uri);
    const added: Folder[] = [];
    for (const f of e.added ?? []) {
      const folder = this.folders.add(f.uri);
      if (folder) added.push(folder);
    }
    this.indexing = this.indexAll(added);
    this.relintAll();
  }

  // ---------------------------------------------------------------- index

  private readonly indexHooks: IndexHooks = {
    isOpen: (path) => this.isOpenPath(path),
    onConfig: (loaded) => this.reportConfig(loaded),
    log: (m) => this.log(m, 'warn'),
  };

  private async indexAll(folders: readonly Folder[]): Promise<void> {
    await Promise.all(
      folders.map(async (folder) => {
        const started = Date.now();
        try {
          const r = await indexFolder(folder, this.indexHooks, this.maxIndexedFiles);
          if (folder.disposed) return;
          this.log(
            `Indexed ${r.indexed} Markdown file(s) in ${folder.root} in ${Date.now() - started} ms` +
              (r.truncated ? ` (stopped at ${this.maxIndexedFiles} files)` : '') +
              '.',
          );
        } catch (e) {
          this.log(`Indexing ${folder.root} failed: ${errorMessage(e)}`, 'error');
        }
      }),
    );
    if (!this.shuttingDown && folders.length) this.relintAll();
    this.collector?.touch();
  }

  private isOpenPath(path: string): boolean {
    for (const st of this.states.values()) if (st.onDisk && st.path === path) return true;
    return false;
  }

  // ---------------------------------------------------------------- documents

  private opened(doc: TextDocument): void {
    if (!isMarkdown(doc.uri, doc.languageId)) return;
    const loc = uriToLocation(doc.uri);
    if (!loc) return;
    this.states.set(doc.uri, {
      uri: doc.uri,
      path: loc.path,
      onDisk: loc.onDisk,
      epoch: 0,
      lintedVersion: undefined,
      lintedEpoch: undefined,
      model: undefined,
      scores: undefined,
      findings: [],
      diagnostics: [],
      converter: new DiagnosticConverter({ uri: doc.uri }),
      indexedOnce: false,
      definesIds: false,
      timer: undefined,
      seen: false,
      changedAt: 0,
      lintedAt: 0,
      publishedVersion: undefined,
      publishedDiagnostics: undefined,
    });
  }

  private changed(doc: TextDocument): void {
    const st = this.states.get(doc.uri);
    if (!st) return;
    // Lint at once after a calm moment (a single edit, the first key of a burst); debounce only a burst:
    // a lint is already waiting, the last change came less than the debounce time ago, or this change
    // waited in the queue while a lint ran (it arrives just as that lint ends).
    const now = performance.now();
    const burst = st.seen && (st.timer !== undefined || now - st.changedAt < this.debounceMs || now - st.lintedAt < QUEUED_MS);
    const delay = burst ? this.debounceMs : 0;
    st.seen = true;
    st.changedAt = now;
    if (this.caps.pullDiagnostics) return; // the client pulls when it wants diagnostics
    this.scheduleLint(st, delay);
  }

  private async closed(doc: TextDocument): Promise<void> {
    const st = this.states.get(doc.uri);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    this.states.delete(doc.uri);
    // What the engine kept to relint this document quickly after an edit.
    forgetDocument(st.path);
    if (!this.caps.pullDiagnostics) this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    // The disk content is what the workspace sees again.
    const folder = st.onDisk ? this.folders.forPath(st.path) : undefined;
    if (folder && !this.isOpenPath(st.path)) {
      await indexFile(folder, st.path, this.indexHooks);
      if (st.definesIds) this.relintAll();
    }
  }

  private scheduleLint(st: DocState, delay: number): void {
    if (this.shuttingDown) return;
    if (st.timer) clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      this.lint(st.uri).catch((e) => this.log(`Linting ${st.uri} failed: ${errorMessage(e)}`, 'error'));
    }, delay);
  }

  /** Marks every open document stale and relints it (push) or asks the client to pull again. */
  private relintAll(except?: string): void {
    for (const st of this.states.values()) {
      if (st.uri === except) continue;
      st.epoch++;
      if (!this.caps.pullDiagnostics) this.scheduleLint(st, this.relintDelayMs);
    }
    if (this.caps.pullDiagnostics && this.caps.diagnosticRefresh && !this.shuttingDown) {
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        this.connection.languages.diagnostics.refresh().catch(() => undefined);
      }, this.relintDelayMs);
    }
  }

  /**
   * Lints the document's current text unless its latest result is still current, and publishes it
   * (push mode). Always the latest version: a run that waited on settings reads the text afterwards,
   * and a run overtaken by a settings or workspace change starts over.
   */
  private async lint(uri: string): Promise<DocState | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const st = this.states.get(uri);
      if (!st) return undefined;
      const epoch = st.epoch;
      const settings = await this.settingsFor(uri);
      const doc = this.documents.get(uri);
      if (!doc || this.states.get(uri) !== st || this.shuttingDown) return undefined;
      if (st.epoch !== epoch) continue;
      if (st.lintedVersion === doc.version && st.lintedEpoch === epoch) return st;
      this.compute(st, doc, settings);
      this.collector?.touch();
      st.lintedAt = performance.now();
      st.lintedVersion = doc.version;
      st.lintedEpoch = epoch;
      if (!this.caps.pullDiagnostics) {
        // A relint that changes nothing (after indexing, a settings refresh) is not sent again. A new
        // version is always sent (no need to compare thousands of diagnostics first).
        const same =
          st.publishedVersion === doc.version &&
          st.publishedDiagnostics !== undefined &&
          sameDiagnostics(diagnosticsOf(st), st.publishedDiagnostics);
        if (!same) {
          st.publishedVersion = doc.version;
          st.publishedDiagnostics = diagnosticsOf(st);
          const sent = this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: st.publishedDiagnostics });
          if (TRACE) {
            const queued = performance.now();
            void Promise.resolve(sent).then(() => this.log(`trace ${uri} v${doc.version}: sent ${(performance.now() - st.changedAt).toFixed(1)} ms after the change (queued at ${(queued - st.changedAt).toFixed(1)} ms)`));
          }
        }
      }
      return st;
    }
    return this.states.get(uri);
  }

  private compute(st: DocState, doc: TextDocument, settings: ReadinessSettings): void {
    st.model = undefined;
    st.scores = undefined;
    st.findings = [];
    st.diagnostics = undefined;
    if (!settings.enable) return;
    const text = doc.getText();
    let folder: Folder | undefined;
    let config: Config;
    if (st.onDisk) {
      folder = this.folders.forPath(st.path);
      const loaded = this.folders.configFor(st.path);
      this.reportConfig(loaded);
      config = loaded.config;
    } else {
      config = defaultConfig();
    }
    config = applySettings(config, settings);
    const options = { config, workspace: folder?.workspace, index: folder?.index };
    const t0 = performance.now();
    const times: number[] = [];
    try {
      const size = sizeAbove(text, config.maxFileSize);
      if (size !== undefined) {
        st.findings = [tooLargeFinding(size, config.maxFileSize)];
      } else {
        const model = buildModel(text, st.path, config);
        st.model = model;
        times.push(performance.now());
        if (folder) {
          // Other open documents read this one's ids and RPNs: relint them when those changed.
          const before = folder.index.generation;
          st.definesIds = folder.index.update(model).definitions.length > 0;
          if (st.indexedOnce && folder.index.generation !== before) this.relintAll(st.uri);
          st.indexedOnce = true;
        }
        times.push(performance.now());
        st.findings = lintModel(model, options);
        st.scores = documentScores(model);
        times.push(performance.now());
      }
    } catch (e) {
      this.log(`The engine failed on ${st.uri}: ${errorMessage(e)}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}`, 'error');
      st.findings = [];
    }
    st.diagnostics = undefined;
    const diagnostics = diagnosticsOf(st);
    if (TRACE && times.length === 3) {
      const [built, indexed, linted] = times as [number, number, number];
      const ms = (a: number, b: number) => (b - a).toFixed(1);
      this.log(`trace ${st.uri} v${doc.version}: build ${ms(t0, built)} ms, index ${ms(built, indexed)} ms, rules ${ms(indexed, linted)} ms, diagnostics ${ms(linted, performance.now())} ms (${diagnostics.length})`);
    }
  }

  /** Publishes (or clears) the problems of a `.readiness.yaml` on the file itself, when they changed. */
  private reportConfig(loaded: LoadedConfig): void {
    if (!loaded.path) return;
    const sev = ruleSeverity(loaded.config, CONFIG_RULE.id, CONFIG_RULE.name, 'error');
    const diagnostics = sev === 'off' ? [] : loaded.problems.map((p) => configProblemToDiagnostic(p, sev));
    const key = JSON.stringify(diagnostics);
    if ((this.configPublished.get(loaded.path) ?? '[]') === key) return;
    this.configPublished.set(loaded.path, key);
    this.connection.sendDiagnostics({ uri: pathToUri(loaded.path), diagnostics });
  }

  private clearConfigDiagnostics(path: string): void {
    if ((this.configPublished.get(path) ?? '[]') !== '[]') {
      this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
    }
    this.configPublished.delete(path);
  }

  // ---------------------------------------------------------------- settings

  private settingsFor(uri: string): Promise<ReadinessSettings> {
    if (!this.caps.configuration) return Promise.resolve(this.pushedSettings);
    let p = this.settingsCache.get(uri);
    if (!p) {
      const request = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'readiness' });
      p = withTimeout(request, this.configurationTimeoutMs)
        .then((raw) => parseSettings(raw, this.baseSettings))
        .catch((e) => {
          this.log(`workspace/configuration failed for ${uri}: ${errorMessage(e)}`, 'warn');
          this.settingsCache.delete(uri);
          return this.baseSettings;
        });
      this.settingsCache.set(uri, p);
    }
    return p;
  }

  private didChangeConfiguration(params: DidChangeConfigurationParams): void {
    this.settingsCache.clear();
    if (!this.caps.configuration) {
      this.pushedSettings = parseSettings(settingsSection(params?.settings), this.baseSettings);
    }
    this.relintAll();
  }

  // ---------------------------------------------------------------- file events

  private async didChangeWatchedFiles(params: DidChangeWatchedFilesParams): Promise<void> {
    const changes = Array.isArray(params?.changes) ? params.changes : [];
    const configPaths = new Map<string, boolean>(); // path -> deleted
    const reindex: Array<Promise<unknown>> = [];
    for (const change of changes) {
      const path = typeof change?.uri === 'string' ? uriToPath(change.uri) : undefined;
      if (!path) continue;
      for (const folder of this.folders.all()) if (isInside(folder.root, path)) folder.workspace.invalidate(path);
      const name = basename(path);
      if (name === CONFIG_FILE_NAME) {
        configPaths.set(path, change.type === FileChangeType.Deleted);
      } else if (/\.(?:md|markdown)$/i.test(name)) {
        const folder = this.folders.forPath(path);
        if (!folder) continue;
        if (change.type === FileChangeType.Deleted) {
          if (!this.isOpenPath(path)) folder.index.remove(path);
        } else {
          reindex.push(indexFile(folder, path, this.indexHooks).catch((e) => this.log(`Could not index ${path}: ${errorMessage(e)}`, 'warn')));
        }
      }
    }
    if (configPaths.size) {
      for (const folder of this.folders.all()) {
        folder.loader.clear();
        folder.workspace.invalidate();
      }
      this.folders.outside.clear();
      // Report the new state of each changed config file at once, even when no open document uses it.
      for (const [path, deleted] of configPaths) {
        const loaded = deleted ? undefined : this.folders.configForDir(dirname(path));
        if (loaded?.path === path) this.reportConfig(loaded);
        else this.clearConfigDiagnostics(path);
      }
      // The config shapes every model (column names, kinds): rebuild the indexes.
      reindex.push(this.indexAll(this.folders.all()));
    }
    await Promise.all(reindex);
    this.relintAll();
  }

  // ---------------------------------------------------------------- requests

  private async pullDiagnostics(params: DocumentDiagnosticParams): Promise<DocumentDiagnosticReport> {
    const uri = documentUri(params);
    const st = this.states.has(uri) ? await this.lint(uri) : undefined;
    return { kind: DocumentDiagnosticReportKind.Full, items: st ? diagnosticsOf(st) : [] };
  }

  private async codeAction(params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> {
    const uri = documentUri(params);
    if (!isRange(params.range)) throw new ParamsError('codeAction: `range` must be a range.');
    if (!this.documents.get(uri) || !this.states.has(uri)) return [];
    const context = isObject(params.context) ? params.context : { diagnostics: [] };
    const diagnostics: unknown[] = Array.isArray(context.diagnostics) ? context.diagnostics : [];
    const only = Array.isArray(context.only) ? context.only.filter((k): k is string => typeof k === 'string') : undefined;
    const wantQuickFixes = kindRequested(only, CodeActionKind.QuickFix) && diagnostics.length > 0;
    const wantFixAll = kindRequested(only, FIX_ALL_KIND);
    if (!wantQuickFixes && !wantFixAll) return [];
    // Both kinds come from the findings of the current version: lint it first if it is not linted yet.
    const st = await this.lint(uri);
    checkCancelled(token);
    const current = this.documents.get(uri);
    if (!st || !current || st.lintedVersion !== current.version) return [];
    const target = { uri, version: current.version, documentChanges: this.caps.documentChanges };
    const actions: CodeAction[] = [];
    if (wantQuickFixes) actions.push(...quickFixes(diagnostics, st.findings, target, (f) => st.converter.diagnostic(f)));
    if (wantFixAll) {
      const all = fixAllAction(current.getText(), st.findings, target);
      if (all) actions.push(all);
    }
    return actions;
  }

  private async codeLens(params: CodeLensParams, token?: CancellationToken): Promise<CodeLens[]> {
    const uri = documentUri(params);
    if (!this.states.has(uri)) return [];
    const st = await this.lint(uri);
    checkCancelled(token);
    return st?.model ? codeLenses(st.model, st.scores) : [];
  }

  private async hover(params: HoverParams, token?: CancellationToken): Promise<Hover | null> {
    const uri = documentUri(params);
    const position = checkPosition(params);
    if (!this.states.has(uri)) return null;
    const st = await this.lint(uri);
    checkCancelled(token);
    if (!st?.model) return null;
    const folder = st.onDisk ? this.folders.forPath(st.path) : undefined;
    return hoverAt(st.model, position, folder?.index);
  }

  private async definition(params: DefinitionParams, token?: CancellationToken): Promise<Location[]> {
    const uri = documentUri(params);
    const position = checkPosition(params);
    if (!this.states.has(uri)) return [];
    const st = await this.lint(uri);
    checkCancelled(token);
    if (!st?.model) return [];
    const folder = st.onDisk ? this.folders.forPath(st.path) : undefined;
    if (!folder) return [];
    return definitionsAt(st.model, position, folder.index).map((d) => ({
      uri: d.path === st.path ? st.uri : pathToUri(d.path),
      range: d.range,
    }));
  }

  // ---------------------------------------------------------------- guards and logging

  /**
   * Wraps a request handler: malformed params give InvalidParams, any other failure the fallback. A
   * request the client cancelled (it asked again after an edit, or moved on) gets RequestCancelled: at
   * once when the cancellation came before the server reached it (it waited behind a lint), else after
   * the lint it waited for, without computing the answer nobody wants.
   */
  private request<P, R>(name: string, handler: (params: P, token: CancellationToken | undefined) => R | Promise<R>, fallback: R) {
    return async (params: P, token?: CancellationToken): Promise<R | ResponseError<any>> => {
      try {
        if (token?.isCancellationRequested) throw new Cancelled();
        if (!isObject(params)) throw new ParamsError(`${name}: params must be an object.`);
        const result = await handler(params, token);
        if (token?.isCancellationRequested) throw new Cancelled();
        return result;
      } catch (e) {
        if (e instanceof Cancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name}: cancelled by the client.`);
        if (e instanceof ParamsError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
        this.log(`${name} failed: ${errorMessage(e)}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}`, 'error');
        return fallback;
      }
    };
  }

  private guard(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`${name} failed: ${errorMessage(e)}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}`, 'error');
    }
  }

  private guardAsync(name: string, fn: () => Promise<void>): void {
    try {
      fn().catch((e) => this.log(`${name} failed: ${errorMessage(e)}`, 'error'));
    } catch (e) {
      this.log(`${name} failed: ${errorMessage(e)}`, 'error');
    }
  }

  log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    try {
      if (level === 'error') this.connection.console.error(message);
      else if (level === 'warn') this.connection.console.warn(message);
      else this.connection.console.info(message);
    } catch {
      /* the connection is gone; nothing to tell */
    }
  }
}

/** Starts the server on a connection (created by server/src/server.ts, or injected by a test). */
export function startServer(connection: Connection, options?: ServerOptions): ReadinessServer {
  const server = new ReadinessServer(connection, options);
  server.listen();
  return server;
}

/** Whether two lists of diagnostics are the same (the same objects, mostly: an unchanged finding keeps its diagnostic). */
function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  }
  return true;
}

function documentUri(params: unknown): string {
  const td = isObject(params) ? params.textDocument : undefined;
  if (!isObject(td) || typeof td.uri !== 'string' || td.uri.length === 0) {
    throw new ParamsError('`textDocument.uri` must be a non-empty string.');
  }
  return td.uri;
}

function checkPosition(params: { position?: unknown }): { line: number; character: number } {
  const p = params.position;
  if (
    !isObject(p) ||
    !Number.isInteger(p.line) ||
    !Number.isInteger(p.character) ||
    (p.line as number) < 0 ||
    (p.character as number) < 0
  ) {
    throw new ParamsError('`position` must have non-negative integer `line` and `character`.');
  }
  return { line: p.line as number, character: p.character as number };
}

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
