/**
 * Node adapters shared by the CLI and the language server: a WorkspaceView over the file system and the
 * `.readiness.yaml` lookup. The engine itself never imports node:fs.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  CONFIG_FILE_NAME,
  defaultConfig,
  dirname,
  isInside,
  normalizePath,
  parseCodeowners,
  parseConfig,
  type Config,
  type ConfigProblem,
  type WorkspaceView,
} from '../engine/index.js';

/** Converts an OS path to the engine's absolute posix form. */
export function toPosix(p: string): string {
  const abs = nodePath.resolve(p);
  return normalizePath(abs.split(nodePath.sep).join('/').replace(/^([A-Za-z]):/, '/$1:'));
}

/** Converts the engine's posix path back to an OS path. */
export function fromPosix(p: string): string {
  if (nodePath.sep === '/') return p;
  return p.replace(/^\/([A-Za-z]:)/, '$1').split('/').join(nodePath.sep);
}

const MAX_READ = 2 * 1024 * 1024;

export interface FsWorkspace extends WorkspaceView {
  generation: number;
  /** Forget cached facts about a path (after a file watcher event), or everything. */
  invalidate(absPath?: string): void;
}

/**
 * A WorkspaceView over the file system, rooted at `root`. Nothing outside the root is ever read or
 * stat'ed (links that climb out of it are reported by the rules, not followed). Results are cached
 * until invalidate().
 */
export function createFsWorkspace(root: string): FsWorkspace {
  const rootPosix = toPosix(root);
  const statCache = new Map<string, 'file' | 'dir' | undefined>();
  const textCache = new Map<string, string | undefined>();
  let owners: ReadonlySet<string> | undefined | null = null;

  const inside = (p: string) => isInside(rootPosix, p);
  const view: FsWorkspace = {
    root: rootPosix,
    repository: fs.existsSync(nodePath.join(fromPosix(rootPosix), '.git')),
    stat(absPath) {
      const p = normalizePath(absPath);
      if (!inside(p)) return undefined;
      if (statCache.has(p)) return statCache.get(p);
      let r: 'file' | 'dir' | undefined;
      try {
        const real = fs.realpathSync(fromPosix(p));
        if (!inside(toPosix(real))) r = undefined;
        else {
          const st = fs.statSync(real);
          r = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
        }
      } catch {
        r = undefined;
      }
      statCache.set(p, r);
      return r;
    },
    readText(absPath) {
      const p = normalizePath(absPath);
      if (textCache.has(p)) return textCache.get(p);
      let t: string | undefined;
      if (view.stat(p) === 'file') {
        try {
          const fd = fs.openSync(fromPosix(p), 'r');
          try {
            const size = fs.fstatSync(fd).size;
            if (size <= MAX_READ) {
              const buf = Buffer.alloc(size);
              fs.readSync(fd, buf, 0, size, 0);
              t = buf.includes(0) ? undefined : buf.toString('utf8');
            }
          } finally {
            fs.closeSync(fd);
          }
        } catch {
          t = undefined;
        }
      }
      textCache.set(p, t);
      return t;
    },
    codeowners() {
      if (owners !== null) return owners;
      owners = undefined;
      for (const rel of ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS']) {
        const t = view.readText(`${rootPosix}/${rel}`);
        if (t !== undefined) {
          owners = parseCodeowners(t);
          break;
        }
      }
      return owners;
    },
    generation: 0,
    invalidate(absPath) {
      view.generation++;
      if (absPath === undefined) {
        statCache.clear();
        textCache.clear();
        owners = null;
        return;
      }
      const p = normalizePath(absPath);
      statCache.delete(p);
      textCache.delete(p);
      // A new or deleted file changes its folders' answers too.
      for (let d = dirname(p); inside(d) && d !== '/'; d = dirname(d)) statCache.delete(d);
      if (/CODEOWNERS$/.test(p)) owners = null;
    },
  };
  return view;
}

export interface LoadedConfig {
  config: Config;
  /** The config file used, if any (absolute posix path). */
  path: string | undefined;
  problems: ConfigProblem[];
}

/**
 * Finds the nearest `.readiness.yaml` from a document's folder up to the workspace root (the nearest
 * file wins) and parses it. Cached per folder; call clear() when a config file changes.
 */
export class ConfigLoader {
  private readonly byDir = new Map<string, LoadedConfig>();

  constructor(private readonly root: string | undefined) {}

  clear(): void {
    this.byDir.clear();
  }

  forDocument(docPath: string): LoadedConfig {
    return this.forDir(dirname(normalizePath(docPath)));
  }

  forDir(dir: string): LoadedConfig {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const file = `${dir}/${CONFIG_FILE_NAME}`.replace(/^\/\//, '/');
    let result: LoadedConfig | undefined;
    let text: string | undefined;
    try {
      text = fs.readFileSync(fromPosix(file), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const parsed = parseConfig(text, dir);
      result = { config: parsed.config, path: file, problems: parsed.problems };
    } else {
      const atTop = !this.root || dir === this.root || !isInside(this.root, dir) || dirname(dir) === dir;
      result = atTop ? { config: defaultConfig(), path: undefined, problems: [] } : this.forDir(dirname(dir));
    }
    this.byDir.set(dir, result);
    return result;
  }
}
