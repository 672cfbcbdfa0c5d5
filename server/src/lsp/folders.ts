/**
 * Workspace folders: per folder a file-system WorkspaceView, a `.readiness.yaml` loader and a
 * WorkspaceIndex built in the background from the folder's Markdown files. Documents open in the
 * editor override what is on disk (the server updates the index from their models).
 */
import * as fs from 'node:fs';
import {
  buildModel,
  isInside,
  WorkspaceIndex,
  type Config,
} from '../engine/index.js';
import { ConfigLoader, createFsWorkspace, fromPosix, toPosix, type FsWorkspace, type LoadedConfig } from '../node/fsWorkspace.js';
import { uriToPath } from './uri.js';
import { walkMarkdownFiles } from './walk.js';

export const MAX_INDEXED_FILES = 20_000;

export interface Folder {
  uri: string;
  /** Absolute posix path of the folder. */
  root: string;
  workspace: FsWorkspace;
  loader: ConfigLoader;
  index: WorkspaceIndex;
  /** True once the background index of the folder has completed. */
  indexed: boolean;
  /** Set when the folder is removed; a running index stops. */
  disposed: boolean;
}

export class Folders {
  private list: Folder[] = [];
  /** Config lookup for files on disk that are outside every workspace folder (only their own folder). */
  readonly outside = new ConfigLoader(undefined);

  add(uri: string): Folder | undefined {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    const existing = this.list.find((f) => f.root === path);
    if (existing) return existing;
    const folder: Folder = {
      uri,
      root: path,
      workspace: createFsWorkspace(fromPosix(path)),
      loader: new ConfigLoader(path),
      index: new WorkspaceIndex(),
      indexed: false,
      disposed: false,
    };
    this.list.push(folder);
    return folder;
  }

  remove(uri: string): Folder | undefined {
    const path = uriToPath(uri);
    const i = this.list.findIndex((f) => f.uri === uri || (path !== undefined && f.root === path));
    if (i < 0) return undefined;
    const [folder] = this.list.splice(i, 1);
    folder!.disposed = true;
    return folder;
  }

  all(): readonly Folder[] {
    return this.list;
  }

  /** The innermost folder holding a path. */
  forPath(path: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.list) {
      if (isInside(f.root, path) && (!best || f.root.length > best.root.length)) best = f;
    }
    return best;
  }

  /** The config for a document on disk: its folder's loader, or the loader for loose files. */
  configFor(path: string): LoadedConfig {
    const folder = this.forPath(path);
    return (folder?.loader ?? this.outside).forDocument(path);
  }

  /** The config that applies in a folder on disk (e.g. the folder of a changed `.readiness.yaml`). */
  configForDir(dir: string): LoadedConfig {
    const folder = this.forPath(dir);
    return (folder?.loader ?? this.outside).forDir(dir);
  }

  dispose(): void {
    for (const f of this.list) f.disposed = true;
    this.list = [];
  }
}

export interface IndexHooks {
  /** True when the editor has the file open: its open model wins over the disk. */
  isOpen(path: string): boolean;
  /** Called with each config the indexed files use (to report problems of .readiness.yaml files). */
  onConfig(loaded: LoadedConfig): void;
  log(message: string): void;
}

export interface IndexResult {
  indexed: number;
  truncated: boolean;
}

/** Reads every Markdown file of a folder once and fills its index. Never throws. */
export async function indexFolder(folder: Folder, hooks: IndexHooks, maxFiles = MAX_INDEXED_FILES): Promise<IndexResult> {
  let indexed = 0;
  const walk = await walkMarkdownFiles(fromPosix(folder.root), { maxFiles, cancelled: () => folder.disposed });
  for (const file of walk.files) {
    if (folder.disposed) break;
    const path = toPosix(file);
    try {
      if (await indexFile(folder, path, hooks)) indexed++;
    } catch (e) {
      hooks.log(`Could not index ${path}: ${errorMessage(e)}`);
    }
  }
  folder.indexed = !folder.disposed;
  return { indexed, truncated: walk.truncated };
}

/**
 * Re-reads one file into its folder's index (or removes it when it is gone). Returns true when the file
 * was indexed. An open document is left alone: its editor content is authoritative.
 */
export async function indexFile(folder: Folder, path: string, hooks: IndexHooks): Promise<boolean> {
  if (hooks.isOpen(path)) return false;
  const loaded = folder.loader.forDocument(path);
  hooks.onConfig(loaded);
  const text = await readMarkdown(path, loaded.config);
  if (folder.disposed || hooks.isOpen(path)) return false;
  if (text === undefined) {
    folder.index.remove(path);
    return false;
  }
  folder.index.update(buildModel(text, path, loaded.config));
  return true;
}

async function readMarkdown(path: string, config: Config): Promise<string | undefined> {
  try {
    const os = fromPosix(path);
    const st = await fs.promises.lstat(os);
    if (!st.isFile() || st.size > config.maxFileSize) return undefined;
    const text = await fs.promises.readFile(os, 'utf8');
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
