/**
 * A small, bounded, asynchronous Markdown file walker for the server's background index. Symbolic links
 * are never followed (so the walk stays inside the folder), VCS and dependency folders are skipped, and
 * the walk yields to the event loop so requests keep being answered while it runs.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MARKDOWN_FILE = /\.(?:md|markdown)$/i;

export interface WalkOptions {
  /** Stop after this many Markdown files. */
  maxFiles: number;
  /** Stop after visiting this many directory entries of any kind (a guard for huge trees). */
  maxEntries?: number;
  /** Checked between directories; return true to stop early. */
  cancelled?: () => boolean;
}

export interface WalkResult {
  files: string[];
  /** True when a bound stopped the walk before the tree was exhausted. */
  truncated: boolean;
}

/** OS paths of the Markdown files under `root`, breadth first, sorted per directory. */
export async function walkMarkdownFiles(root: string, options: WalkOptions): Promise<WalkResult> {
  const files: string[] = [];
  const maxEntries = options.maxEntries ?? options.maxFiles * 20;
  let entries = 0;
  const queue: string[] = [root];
  while (queue.length) {
    if (options.cancelled?.()) return { files, truncated: true };
    const dir = queue.shift()!;
    let dirents: fs.Dirent[];
    try {
      dirents = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      if (++entries > maxEntries) return { files, truncated: true };
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) queue.push(nodePath.join(dir, d.name));
      } else if (d.isFile() && MARKDOWN_FILE.test(d.name)) {
        files.push(nodePath.join(dir, d.name));
        if (files.length >= options.maxFiles) return { files, truncated: true };
      }
    }
  }
  return { files, truncated: false };
}
