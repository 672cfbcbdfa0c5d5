/**
 * Finds the Markdown files the CLI lints: walks folders for `*.md` / `*.markdown`, skipping
 * `node_modules`, `.git`, git-ignored paths (every `.gitignore` from the workspace root down, each
 * applying below its own folder, plus `.git/info/exclude`) and whatever the caller's `isIgnored`
 * says (the config's `ignore` globs). Symbolic-link loops and unreadable folders are reported through
 * `onWarning` and skipped; the walk always finishes.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkOptions {
  /** Absolute OS path of the workspace root. `.gitignore` files from here down apply. */
  root: string;
  /** Extra exclusion (config `ignore` globs); `absPath` is an absolute OS path. */
  isIgnored?: (absPath: string, isDir: boolean) => boolean;
  /** Receives one-line warnings (unreadable folder, link loop, ignored input). */
  onWarning: (message: string) => void;
  /** How a path is shown in warnings (e.g. relative to the current folder); the absolute path by default. */
  display?: (absPath: string) => string;
}

export interface WalkInput {
  /** Absolute OS path, known to exist. */
  path: string;
  isDir: boolean;
}

/** Folder names never walked into. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

const MARKDOWN = /\.(md|markdown)$/i;

export function isMarkdownName(name: string): boolean {
  return MARKDOWN.test(name);
}

/** Git's ignore rules as seen from a set of folders; each `.gitignore` is read at most once. */
export class GitIgnores {
  private readonly byDir = new Map<string, Ignore | null>();
  private readonly ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

  constructor(private readonly root: string) {}

  private matcher(dir: string): Ignore | null {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached;
    const texts: string[] = [];
    for (const file of dir === this.root ? ['.gitignore', '.git/info/exclude'] : ['.gitignore']) {
      try {
        texts.push(fs.readFileSync(nodePath.join(dir, file), 'utf8'));
      } catch {
        // No such file (or unreadable): no rules from it.
      }
    }
    const m = texts.length ? ignore({ ignorecase: this.ignoreCase }).add(texts.join('\n')) : null;
    this.byDir.set(dir, m);
    return m;
  }

  /**
   * True when git would ignore `absPath`. The rules of deeper `.gitignore` files override shallower
   * ones (a `!pattern` below re-includes what a parent excluded), as in git.
   */
  ignores(absPath: string, isDir: boolean): boolean {
    const top = isWithin(this.root, absPath) ? this.root : nodePath.dirname(absPath);
    const dirs: string[] = [];
    for (let d = nodePath.dirname(absPath); ; d = nodePath.dirname(d)) {
      dirs.unshift(d);
      if (d === top || nodePath.dirname(d) === d) break;
    }
    let ignored = false;
    for (const dir of dirs) {
      const m = this.matcher(dir);
      if (!m) continue;
      const rel = toRel(dir, absPath);
      if (rel === undefined) continue;
      let r: { ignored: boolean; unignored: boolean };
      try {
        r = m.test(isDir ? `${rel}/` : rel);
      } catch {
        continue; // A name the ignore library cannot take as a path: no rule applies to it.
      }
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }
}

/** `absPath` relative to `dir` with forward slashes, or undefined when it is not strictly below it. */
export function toRel(dir: string, absPath: string): string | undefined {
  const rel = nodePath.relative(dir, absPath);
  if (!rel || rel.startsWith('..') || nodePath.isAbsolute(rel)) return undefined;
  return rel.split(nodePath.sep).join('/');
}

function isWithin(dir: string, p: string): boolean {
  return p === dir || toRel(dir, p) !== undefined;
}

/**
 * Lists the files to lint, in a stable order: explicit files as given (whatever their extension),
 * folders walked depth-first in name order. A file reached twice (through a link, or given twice) is
 * listed once.
 */
export function walkFiles(inputs: readonly WalkInput[], options: WalkOptions): string[] {
  const git = new GitIgnores(options.root);
  const rootReal = realpath(options.root) ?? options.root;
  const show = options.display ?? ((p: string) => p);
  const skip = (p: string, isDir: boolean) => git.ignores(p, isDir) || (options.isIgnored?.(p, isDir) ?? false);
  const out: string[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  const addFile = (p: string) => {
    let key = p;
    try {
      key = fs.realpathSync(p);
    } catch {
      // Keep the path itself as the key.
    }
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    out.push(p);
  };

  for (const input of inputs) {
    if (!input.isDir) {
      addFile(input.path);
      continue;
    }
    if (input.path !== options.root && toRel(options.root, input.path) !== undefined && skip(input.path, true)) {
      options.onWarning(`${show(input.path)}: the folder is ignored (.gitignore or the configuration's ignore list); nothing to lint there.`);
      continue;
    }
    walkDir(input.path);
  }
  return out;

  function walkDir(start: string): void {
    // Iterative depth-first walk; each stack entry carries the real paths of its ancestors so a link
    // back up the tree is recognised as a loop.
    interface Frame {
      dir: string;
      ancestors: ReadonlySet<string>;
    }
    const startReal = realpath(start);
    if (startReal === undefined) {
      options.onWarning(`${show(start)}: cannot resolve the folder; skipped.`);
      return;
    }
    if (seenDirs.has(startReal)) return;
    seenDirs.add(startReal);
    const stack: Frame[] = [{ dir: start, ancestors: new Set([startReal]) }];
    while (stack.length) {
      const { dir, ancestors } = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        options.onWarning(`${show(dir)}: cannot read the folder (${errCode(e)}); skipped.`);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: Frame[] = [];
      for (const entry of entries) {
        const p = nodePath.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const st = fs.statSync(p);
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch (e) {
            if (isMarkdownName(entry.name)) options.onWarning(`${show(p)}: broken symbolic link (${errCode(e)}); skipped.`);
            continue;
          }
          // Nothing outside the workspace is read: a link that leads out of the root is not followed.
          const real = realpath(p);
          if ((isDir || (isFile && isMarkdownName(entry.name))) && (real === undefined || !isWithin(rootReal, real))) {
            options.onWarning(`${show(p)}: symbolic link to ${real ?? 'an unknown place'}, outside the workspace; skipped.`);
            continue;
          }
        }
        if (isDir) {
          if (SKIPPED_DIRS.has(entry.name)) continue;
          if (skip(p, true)) continue;
          const real = realpath(p);
          if (real === undefined) {
            options.onWarning(`${show(p)}: cannot resolve the folder; skipped.`);
            continue;
          }
          if (ancestors.has(real)) {
            options.onWarning(`${show(p)}: symbolic link loop (it leads back to ${show(real)}); skipped.`);
            continue;
          }
          if (seenDirs.has(real)) continue; // Already walked through another path.
          seenDirs.add(real);
          subdirs.push({ dir: p, ancestors: new Set([...ancestors, real]) });
        } else if (isFile) {
          if (!isMarkdownName(entry.name)) continue;
          if (skip(p, false)) continue;
          addFile(p);
        }
      }
      // Push in reverse so the first folder (by name) is walked first.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  }
}

function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function errCode(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? err?.message ?? String(e);
}
