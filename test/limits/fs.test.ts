/**
 * Limits on the file system, with every read of node:fs watched: links out of the workspace (relative,
 * through a symbolic link, with an anchor that would need the target's headings) are reported and
 * never opened; a binary, oversized or special file is never read as text; and nothing in a workspace
 * is ever executed — configuration tags, config scripts, package scripts, code blocks — by the CLI or
 * the language server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
// The module object itself (not the ESM namespace) can be patched; syncBuiltinESMExports shows it to namespace imports.
import fsModule from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it, mock } from 'node:test';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { main } from '../../server/src/cli.js';
import { createFsWorkspace, toPosix } from '../../server/src/node/fsWorkspace.js';
import { startServer } from '../../server/src/lsp/server.js';

function tree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(dirname(join(root, rel)), { recursive: true });
    fs.writeFileSync(join(root, rel), content);
  }
}

const REGISTER = (evidence: string[]) =>
  [
    '# Gap Register',
    '',
    '| ID | Gap | Owner | Status | Evidence |',
    '|----|-----|-------|--------|----------|',
    ...evidence.map((e, i) => `| G-${String(i + 1).padStart(3, '0')} | Gap | @sre | Done | ${e} |`),
    '',
  ].join('\n');

/** Records the real path of every file node:fs is asked to open or read, for the duration of `fn`. */
async function watchReads<T>(fn: () => Promise<T> | T): Promise<{ result: T; opened: string[] }> {
  const opened: string[] = [];
  const note = (p: unknown) => {
    if (typeof p !== 'string' && !(p instanceof URL)) return;
    const s = p instanceof URL ? p.pathname : p;
    try {
      opened.push(fs.realpathSync.native(s));
    } catch {
      opened.push(s);
    }
  };
  const wrap = <K extends 'openSync' | 'readFileSync'>(name: K) => {
    const orig = fsModule[name] as (...a: unknown[]) => unknown;
    return mock.method(fsModule, name, (...args: unknown[]) => {
      note(args[0]);
      return orig.apply(fsModule, args);
    });
  };
  const origOpen = fsModule.promises.open;
  const origReadFile = fsModule.promises.readFile;
  const mocks = [
    wrap('openSync'),
    wrap('readFileSync'),
    mock.method(fsModule.promises, 'readFile', (...args: unknown[]) => (note(args[0]), (origReadFile as (...a: unknown[]) => unknown).apply(fsModule.promises, args))),
    mock.method(fsModule.promises, 'open', (...args: unknown[]) => (note(args[0]), (origOpen as (...a: unknown[]) => unknown).apply(fsModule.promises, args))),
  ];
  syncBuiltinESMExports();
  try {
    const result = await fn();
    return { result, opened };
  } finally {
    for (const m of mocks) m.mock.restore();
    syncBuiltinESMExports();
  }
}

describe('file-system limits', () => {
  let base: string;
  let ws: string;
  let outside: string;

  before(() => {
    base = fs.mkdtempSync(join(fs.realpathSync(os.tmpdir()), 'readiness-limits-'));
    ws = join(base, 'ws');
    outside = join(base, 'outside');
    tree(outside, {
      'secret.md': '# Secret\n\n## Token\n\nSECRET\n\n| ID | Owner | Status |\n|---|---|---|\n| S-001 |  | Open |\n',
      'folder/inner.md': '# Inner\n',
    });
    tree(ws, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'docs/GAP_REGISTER.md': REGISTER([
        '[ev](../../outside/secret.md)',
        '[ev](../../outside/secret.md#token)',
        '[ev](esc/secret.md#token)',
        '[ev](esc/secret.md)',
        '[ev](escfile.md#token)',
        '`../../outside/folder/inner.md`',
        '[ev](ok.md#ok)',
      ]),
      'docs/ok.md': '# Ok\n',
      'docs/blob.md': Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02, 0x0a]),
    });
    // A folder and a file inside the workspace that lead out of it.
    fs.symlinkSync(outside, join(ws, 'docs', 'esc'));
    fs.symlinkSync(join(outside, 'secret.md'), join(ws, 'docs', 'escfile.md'));
  });

  after(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('the workspace view answers nothing about paths that lead out of the root', () => {
    const view = createFsWorkspace(ws);
    const root = toPosix(ws);
    assert.equal(view.stat(`${root}/../outside/secret.md`), undefined);
    assert.equal(view.stat(`${root}/docs/esc/secret.md`), undefined, 'a symbolic link out of the root is not followed');
    assert.equal(view.readText(`${root}/docs/esc/secret.md`), undefined);
    assert.equal(view.readText(`${root}/docs/escfile.md`), undefined);
    assert.equal(view.readText(toPosix(join(outside, 'secret.md'))), undefined);
    assert.equal(view.readText(`${root}/docs/blob.md`), undefined, 'a binary file is not text');
    assert.equal(view.readText(`${root}/docs`), undefined, 'a folder is not text');
    assert.equal(view.readText(`${root}/docs/ok.md`), '# Ok\n');
  });

  it('the CLI reports every link out of the workspace and never opens a file outside it', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const { result: code, opened } = await watchReads(() =>
      main(['lint', '--today', '2026-06-01', '--format', 'json', '.'], { out: (s) => void out.push(s), err: (s) => void err.push(s), cwd: ws }),
    );
    const realOutside = fs.realpathSync(outside);
    const leaked = opened.filter((p) => p.startsWith(realOutside + '/') || p === realOutside);
    assert.deepEqual(leaked, [], 'files outside the workspace were opened');
    assert.ok(opened.some((p) => p.endsWith('GAP_REGISTER.md')), 'the watch saw the register being read');
    const findings = JSON.parse(out.join('')) as { file: string; rule: string; message: string; line: number }[];
    const rd007 = findings.filter((f) => f.rule === 'RD007' && f.file === 'docs/GAP_REGISTER.md');
    // Six rows lead out of the workspace (the last one is a good link).
    assert.equal(new Set(rd007.map((f) => f.line)).size, 6, JSON.stringify(findings, null, 1));
    assert.ok(!findings.some((f) => /secret/.test(f.file) || /inner/.test(f.file)), 'no file outside the workspace was linted');
    assert.match(err.join(''), /blob\.md: binary/);
    assert.equal(code, 1);
  });
});

describe('nothing in a workspace is executed', () => {
  let ws: string;
  let marker: string;

  before(() => {
    ws = fs.mkdtempSync(join(fs.realpathSync(os.tmpdir()), 'readiness-noexec-'));
    marker = join(ws, 'EXECUTED');
    const js = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');`;
    tree(ws, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.readiness.yaml': `today: 2026-06-01\nkinds: !!js/function "function () { ${js} }"\nrules: { RD005: !!js/eval "${js}" }\n`,
      'readiness.config.js': js,
      'readiness.config.cjs': js,
      '.readiness.js': js,
      '.markdownlint-cli2.cjs': js,
      'package.json': JSON.stringify({ name: 'x', scripts: { prepare: js, postinstall: js, lint: js } }),
      'node_modules/readiness/index.js': js,
      'node_modules/.bin/readiness': `#!/bin/sh\ntouch ${marker}\n`,
      'docs/GAP_REGISTER.md': `${REGISTER(['[ev](ok.md)'])}\n\`\`\`js\n${js}\n\`\`\`\n\n<script>${js}</script>\n\n<img src=x onerror="${js}">\n`,
      'docs/ok.md': '---\nkind: !!js/function "function () {}"\n---\n# Ok\n',
    });
  });

  after(() => {
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('the CLI lints it without running anything', async () => {
    const code = await main(['lint', '--today', '2026-06-01', '.'], { out: () => undefined, err: () => undefined, cwd: ws });
    assert.ok(code === 1 || code === 2, `exit ${code}`);
    assert.equal(fs.existsSync(marker), false);
  });

  it('the language server indexes and lints it without running anything', async () => {
    const up = new PassThrough();
    const down = new PassThrough();
    const server = startServer(createConnection(up, down), { debounceMs: 5, relintDelayMs: 5 });
    const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const published = new Map<string, PublishDiagnosticsParams>();
    let onPublish: (() => void) | undefined;
    client.onNotification(PublishDiagnosticsNotification.type, (p) => {
      published.set(p.uri, p);
      onPublish?.();
    });
    client.onNotification('window/logMessage', () => undefined);
    client.listen();
    const rootUri = pathToFileURL(ws).href;
    await client.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'w' }], capabilities: {} });
    await client.sendNotification('initialized', {});
    await server.indexing;
    const uri = pathToFileURL(join(ws, 'docs', 'GAP_REGISTER.md')).href;
    const wait = new Promise<void>((resolve) => (onPublish = () => published.has(uri) && resolve()));
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: fs.readFileSync(join(ws, 'docs', 'GAP_REGISTER.md'), 'utf8') } });
    await wait;
    await client.sendRequest('shutdown', null);
    client.dispose();
    assert.equal(fs.existsSync(marker), false);
  });
});
