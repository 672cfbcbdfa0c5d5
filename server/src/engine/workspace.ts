/**
 * The small view of a workspace the engine is given. The engine never touches the file system itself:
 * the CLI and the language server pass an implementation (server/src/node/fsWorkspace.ts), tests pass
 * an in-memory one (memoryWorkspace below).
 */
import { memoByString } from './text.js';

export interface WorkspaceView {
  /** Absolute posix path of the workspace root. Links are resolved inside it only. */
  readonly root: string | undefined;
  /** What is at an absolute posix path: a file, a folder or nothing. Must not follow paths outside root. */
  stat(absPath: string): 'file' | 'dir' | undefined;
  /** Text of a file (for anchors and test names); undefined when missing, binary, unreadable or too large. */
  readText(absPath: string): string | undefined;
  /** Owners named in CODEOWNERS (handles with @, e-mails), or undefined when there is no CODEOWNERS file. */
  codeowners(): ReadonlySet<string> | undefined;
  /**
   * True when the root is a repository's root (it holds `.git`), false when it is known not to be (a
   * folder of documents copied out of their repositories), undefined when unknown.
   */
  readonly repository?: boolean;
  /**
   * Bumped whenever what the view answers may have changed (a watched file changed): the engine keeps
   * per-row findings across lints only while it is unchanged. Undefined for a view that never changes.
   */
  readonly generation?: number;
}

/**
 * Posix path helpers that do not need node:path, so the engine stays pure. normalizePath is memoized:
 * link checks resolve the same few targets thousands of times in a big register.
 */
export const normalizePath: (p: string) => string = memoByString(normalizePathOnce, 20_000, 1024);

function normalizePathOnce(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!abs) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  return (abs ? '/' : '') + parts.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return normalizePath(rel);
  return normalizePath(`${base}/${rel}`);
}

/** True when `p` is `root` or inside it. */
export function isInside(root: string, p: string): boolean {
  const r = root.endsWith('/') ? root : root + '/';
  return p === root || p.startsWith(r);
}

export function relativePath(root: string | undefined, p: string): string {
  if (root && isInside(root, p)) return p === root ? '.' : p.slice(root.length + (root.endsWith('/') ? 0 : 1));
  return p;
}

/** Parses CODEOWNERS text into the set of owners it names. */
export function parseCodeowners(text: string): Set<string> {
  const owners = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.replace(/#.*/, '').trim();
    if (!t) continue;
    const parts = t.split(/\s+/).slice(1);
    for (const o of parts) owners.add(o.toLowerCase());
  }
  return owners;
}

/** An in-memory workspace for tests and for the fuzzer: absolute posix paths to file texts. */
export function memoryWorkspace(root: string, files: Record<string, string>, codeownersText?: string): WorkspaceView {
  const norm = new Map<string, string>();
  const dirs = new Set<string>([normalizePath(root)]);
  for (const [p, t] of Object.entries(files)) {
    const abs = joinPath(root, p);
    norm.set(abs, t);
    for (let d = dirname(abs); d !== '/' && d !== '.' && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  const owners = codeownersText === undefined ? undefined : parseCodeowners(codeownersText);
  return {
    root: normalizePath(root),
    stat: (p) => (norm.has(p) ? 'file' : dirs.has(p) ? 'dir' : undefined),
    readText: (p) => norm.get(p),
    codeowners: () => owners,
  };
}
