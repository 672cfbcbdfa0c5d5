/**
 * The environment the extension starts the language server with. Pure (no `vscode`), so it is unit-tested.
 *
 * On Linux, glibc's malloc gives each thread that allocates an arena of its own (up to 8 per core: V8's
 * compiler threads, libuv's pool) and keeps there what a burst of work freed (indexing a workspace, the
 * lints of a big register being edited). Measured on the bench workspace with Node over --stdio: RSS after
 * indexing 118–145 MB from one server process to the next and 142–149 MB after 10,000 edits of the
 * 4,000-row register; with two arenas 109–119 MB and 128–137 MB, at the same latencies. Not measured in
 * VS Code's own (Electron) Node runtime, whose allocator may not read the variable. Other platforms ignore
 * it. A value the user set is kept.
 */
export const SERVER_MALLOC_ARENAS = '2';

export function serverEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return base.MALLOC_ARENA_MAX === undefined ? { ...base, MALLOC_ARENA_MAX: SERVER_MALLOC_ARENAS } : { ...base };
}
