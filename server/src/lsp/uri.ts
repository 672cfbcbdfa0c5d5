/**
 * URIs <-> the engine's absolute posix paths. Only `file:` URIs name files on disk; other schemes
 * (`untitled:`) get a pseudo path so the engine can still guess the kind from the name.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fromPosix, toPosix } from '../node/fsWorkspace.js';

export interface DocumentLocation {
  /** Absolute posix path used by the engine (a pseudo path for non-file URIs). */
  path: string;
  /** True when `path` names a file on disk (a `file:` URI). */
  onDisk: boolean;
}

export function uriToLocation(uri: string): DocumentLocation | undefined {
  if (typeof uri !== 'string' || uri.length === 0) return undefined;
  if (uri.startsWith('file:')) {
    try {
      return { path: toPosix(fileURLToPath(uri)), onDisk: true };
    } catch {
      return undefined;
    }
  }
  const colon = uri.indexOf(':');
  if (colon <= 0) return undefined;
  let rest = uri.slice(colon + 1);
  try {
    rest = decodeURIComponent(rest);
  } catch {
    /* keep it encoded */
  }
  rest = rest.replace(/[?#].*$/, '').replace(/^\/+/, '');
  return { path: `/${rest || 'untitled'}`, onDisk: false };
}

/** The posix path of a `file:` URI, or undefined for any other URI. */
export function uriToPath(uri: string): string | undefined {
  const loc = uriToLocation(uri);
  return loc?.onDisk ? loc.path : undefined;
}

export function pathToUri(path: string): string {
  return pathToFileURL(fromPosix(path)).href;
}

/** Markdown by language id, or by extension when the client did not say. */
export function isMarkdown(uri: string, languageId: string | undefined): boolean {
  if (languageId === 'markdown') return true;
  return /\.(?:md|markdown)$/i.test(uri.replace(/[?#].*$/, ''));
}
