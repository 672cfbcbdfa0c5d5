/**
 * The environment the extension starts the language server with. Pure (no `vscode`), so it is unit-tested.
 *
 * On Linux, glibc's malloc keeps in the process much of what a burst of work freed (indexing a workspace,
 * the lints of a big register being edited):
 * - it gives each thread that allocates an arena of its own (up to 8 per core: V8's compiler threads,
 *   libuv's pool). Two arenas, measured on the bench workspace with Node over --stdio: RSS after indexing
 *   109–119 MB instead of 118–145 MB, at the same latencies;
 * - after freeing a big block (a file read while indexing, the JSON of thousands of diagnostics) it raises
 *   its mmap threshold to that block's size and its trim threshold to twice that, so later blocks of that
 *   size stay in the process when freed. Fixed at glibc's defaults (128 KB), measured the same way: RSS
 *   after indexing 102–107 MB instead of 107–116 MB, and after 10,000 edits of the 4,000-row register
 *   108–112 MB instead of 121–128 MB (docs/performance.md).
 * Not measured in VS Code's own (Electron) Node runtime, whose allocator may not read the variables. Other
 * platforms ignore them. A value the user set is kept.
 */
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
});

export function serverEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const env = { ...base };
  for (const [name, value] of Object.entries(SERVER_MALLOC_ENV)) if (env[name] === undefined) env[name] = value;
  return env;
}
