/**
 * The environment the VS Code extension starts the language server with (client/src/serverEnv.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVER_MALLOC_ENV, serverEnv } from '../../client/src/serverEnv.js';

describe('server environment', () => {
  it('tunes glibc malloc, keeping everything else of the editor environment', () => {
    const base = Object.freeze({ PATH: '/usr/bin', HOME: '/home/dev', NODE_OPTIONS: '--max-old-space-size=512' });
    const env = serverEnv(base);
    assert.deepEqual(env, { ...base, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' });
    assert.deepEqual(Object.keys(SERVER_MALLOC_ENV).sort(), ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']);
    assert.equal('MALLOC_ARENA_MAX' in base, false, 'the editor environment is not changed');
  });

  it('keeps a value the user set, even an empty one', () => {
    assert.equal(serverEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX, '8');
    assert.equal(serverEnv({ MALLOC_ARENA_MAX: '' }).MALLOC_ARENA_MAX, '');
    const env = serverEnv({ MALLOC_TRIM_THRESHOLD_: '1048576' });
    assert.equal(env.MALLOC_TRIM_THRESHOLD_, '1048576');
    assert.equal(env.MALLOC_MMAP_THRESHOLD_, '131072');
  });
});
