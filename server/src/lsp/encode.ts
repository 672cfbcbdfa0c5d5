/**
 * The JSON encoding of outgoing messages over --stdio (vscode-jsonrpc's `contentTypeEncoder`). A
 * `textDocument/publishDiagnostics` notification is assembled from the UTF-8 JSON of each diagnostic,
 * cached per Diagnostic object: a lint after a one-line edit keeps the diagnostic objects of the
 * findings that did not change (./convert.ts), so only the few new ones are stringified. Every other
 * message is JSON.stringify as usual, and so is anything this encoder cannot assemble exactly: the bytes
 * are always those of `JSON.stringify(message)` in UTF-8.
 *
 * What is cached: only frozen objects (the diagnostics of ./convert.ts are frozen deeply; an object that
 * can still change is stringified every time), and only when the same object is published again for the
 * same document. A publication of new diagnostics (a document opened, or an engine that makes new
 * findings on every lint) costs one JSON.stringify and little more: its diagnostics are only remembered
 * (until the document's next publication), and the cache fills with those that come again.
 *
 * The cached bytes live in batches, one per publication that cached something; a batch lives while one
 * of its diagnostics does. So that a long editing session does not keep batches of mostly dead bytes
 * (measured: 5 MB after 10,000 edits of a 4,000-row register), a publication whose cached diagnostics
 * hold two or more batches of more than twice their own size (and 64 KB more) moves them into one new
 * batch; a single batch is left to the next `forget`. The cache serves bursts of typing: when the user
 * pauses, the server drops it (`forget`), and the JSON of a big register's diagnostics (≈ 1–2 MB) is not
 * kept while nobody types.
 */
import type { ContentTypeEncoderOptions, Message } from 'vscode-languageserver/node';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';

/** Stands for the diagnostics array in the message's skeleton (its JSON is found once, or the message is stringified whole). */
const MARK = '\u0000readiness:diagnostics\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** Bytes of dead diagnostics' JSON a document's batches may hold before they are compacted. */
const COMPACT_SLACK = 64 * 1024;
/** What a batch costs besides its bytes (its ArrayBuffer, backing store and allocation), counted as held. */
const BATCH_OVERHEAD = 256;

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;

/** An application/json content type encoder for vscode-jsonrpc's StreamMessageWriter. */
export interface DiagnosticsEncoder {
  readonly name: string;
  encode(msg: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array>;
  /** The message as UTF-8 JSON, synchronously (what `encode` resolves with). */
  encodeSync(msg: unknown): Uint8Array;
  /** The cached UTF-8 JSON of a diagnostic, if any: a view into the batch that holds it (read it, never write it). */
  cached(diagnostic: object): Uint8Array | undefined;
  /** Drops every cached JSON (the user paused: the next publication stringifies, the one after caches again). */
  forget(): void;
}

export function createDiagnosticsEncoder(): DiagnosticsEncoder {
  /** The UTF-8 JSON of diagnostics published at least twice. */
  let cache = new WeakMap<object, Buffer>();
  /** Per document URI, the uncached diagnostics of its last publication (cached if they come again). */
  const previous = new Map<string, Set<object>>();

  function encodeSync(msg: unknown): Uint8Array {
    const parts = split(msg);
    if (!parts) return stringify(msg);
    const { uri, diagnostics } = parts;
    const n = diagnostics.length;
    const before = uri === undefined ? undefined : previous.get(uri);
    const fresh = new Set<object>();
    // First what is known of each element, without stringifying anything.
    const pieces = new Array<Buffer | string | number | undefined>(n);
    let known = 0;
    for (let i = 0; i < n; i++) {
      const d = diagnostics[i];
      if (typeof d !== 'object' || d === null || !Object.isFrozen(d)) continue;
      const bytes = cache.get(d);
      if (bytes) {
        pieces[i] = bytes;
        known++;
      } else if (before?.has(d)) {
        pieces[i] = -1; // published before: cache it now
        known++;
      } else {
        fresh.add(d);
      }
    }
    if (uri !== undefined) {
      if (fresh.size) previous.set(uri, fresh);
      else previous.delete(uri);
    }
    if (known === 0) return stringify(msg); // all new: one JSON.stringify is the fastest

    /** Per element: its cached bytes, its JSON (not cached), or the index of its JSON in `repeated`. */
    const repeated: (string | Buffer)[] = [];
    for (let i = 0; i < n; i++) {
      if (pieces[i] instanceof Buffer) continue;
      const json = elementJson(diagnostics[i]);
      if (json === undefined) return stringify(msg);
      if (pieces[i] === -1) {
        pieces[i] = repeated.length;
        repeated.push(json);
      } else {
        pieces[i] = json;
      }
    }

    // A cached view keeps its whole batch alive. After many lints the diagnostics cached from one batch
    // are mostly gone (their rows changed) while a few keep the batch: when the batches this publication
    // holds (two or more; their bytes plus a fixed cost each) exceed twice the bytes it uses by over
    // COMPACT_SLACK, its cached diagnostics move into the new batch too.
    let held = 0;
    let used = 0;
    const batches = new Set<ArrayBufferLike>();
    for (let i = 0; i < n; i++) {
      const p = pieces[i];
      if (!(p instanceof Buffer)) continue;
      used += p.length;
      if (!batches.has(p.buffer)) {
        batches.add(p.buffer);
        held += p.buffer.byteLength + BATCH_OVERHEAD;
      }
    }
    const compact = batches.size > 1 && held > 2 * used + COMPACT_SLACK;
    if (repeated.length || compact) {
      // What goes into one new buffer of its own (exactly its size, not from the shared pool), cached as
      // views into it: the JSON of the diagnostics seen again and, compacting, the bytes of the cached
      // ones (each object once). Every piece that moves becomes its index in `into`.
      const into = repeated;
      if (compact) {
        const moved = new Map<object, number>();
        for (let i = 0; i < n; i++) {
          const p = pieces[i];
          if (!(p instanceof Buffer)) continue;
          const d = diagnostics[i] as object;
          let k = moved.get(d);
          if (k === undefined) {
            moved.set(d, (k = into.length));
            into.push(p);
          }
          pieces[i] = k;
        }
      }
      const sizes = into.map((j) => (typeof j === 'string' ? Buffer.byteLength(j, 'utf8') : j.length));
      const batch = Buffer.allocUnsafeSlow(sizes.reduce((a, b) => a + b, 0));
      const views: Buffer[] = [];
      let at = 0;
      for (let k = 0; k < into.length; k++) {
        const j = into[k]!;
        if (typeof j === 'string') batch.write(j, at, 'utf8');
        else j.copy(batch, at);
        views.push(batch.subarray(at, at + sizes[k]!));
        at += sizes[k]!;
      }
      for (let i = 0; i < n; i++) {
        const p = pieces[i];
        if (typeof p === 'number') {
          pieces[i] = views[p]!;
          cache.set(diagnostics[i] as object, views[p]!);
        }
      }
    }

    const head = Buffer.from(parts.head, 'utf8');
    const tail = Buffer.from(parts.tail, 'utf8');
    let size = head.length + tail.length + 2 + Math.max(0, n - 1);
    for (let i = 0; i < n; i++) {
      const p = pieces[i] as Buffer | string;
      size += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
    }
    const out = Buffer.allocUnsafe(size);
    let at = head.copy(out, 0);
    out[at++] = OPEN;
    for (let i = 0; i < n; i++) {
      if (i > 0) out[at++] = COMMA;
      const p = pieces[i] as Buffer | string;
      at += typeof p === 'string' ? out.write(p, at, 'utf8') : p.copy(out, at);
    }
    out[at++] = CLOSE;
    tail.copy(out, at);
    return out;
  }

  return {
    name: 'application/json',
    encodeSync,
    cached: (d) => cache.get(d),
    forget() {
      cache = new WeakMap();
      previous.clear();
    },
    encode(msg: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
      try {
        const charset = options?.charset ?? 'utf-8';
        if (charset !== 'utf-8') return Promise.resolve(Buffer.from(JSON.stringify(msg, undefined, 0), charset));
        return Promise.resolve(encodeSync(msg));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

/** What vscode-jsonrpc's own application/json encoder does. */
function stringify(msg: unknown): Buffer {
  return Buffer.from(JSON.stringify(msg, undefined, 0), 'utf8');
}

/** The message's JSON cut around its diagnostics array, or undefined when it is not a publishDiagnostics this can assemble. */
function split(msg: unknown): { head: string; uri: string | undefined; diagnostics: readonly unknown[]; tail: string } | undefined {
  if (!isObject(msg) || msg.method !== PUBLISH_DIAGNOSTICS || typeof msg.toJSON === 'function') return undefined;
  const params = msg.params;
  if (!isObject(params) || typeof params.toJSON === 'function') return undefined;
  const diagnostics = params.diagnostics;
  if (!Array.isArray(diagnostics) || typeof (diagnostics as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const skeleton = JSON.stringify(msg, function (this: unknown, key: string, value: unknown) {
    return this === params && key === 'diagnostics' ? MARK : value;
  });
  const at = skeleton.indexOf(MARK_JSON);
  if (at < 0 || skeleton.indexOf(MARK_JSON, at + 1) >= 0) return undefined;
  const uri = typeof params.uri === 'string' ? params.uri : undefined;
  return { head: skeleton.slice(0, at), uri, diagnostics, tail: skeleton.slice(at + MARK_JSON.length) };
}

/** The JSON of one array element as JSON.stringify writes it inside an array, or undefined when only the whole message can say. */
function elementJson(d: unknown): string | undefined {
  if (typeof d === 'object' && d !== null && typeof (d as { toJSON?: unknown }).toJSON === 'function') return undefined; // toJSON would get the index as key
  return JSON.stringify(d) ?? 'null'; // undefined, functions and symbols are null in an array
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
