/**
 * A full garbage collection once the server has been calm for a moment after work that allocated (a lint,
 * an index). V8 otherwise keeps the heap it grew while a user typed in a big register (each edit makes a
 * new copy of the document's text) long after the typing stopped; collecting while nobody waits gives
 * that memory back. The pause (tens of milliseconds) falls where no request is waiting for it.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export class IdleCollector {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly gc: (() => void) | undefined;

  constructor(
    private readonly delayMs: number,
    /** Told after each collection (for tracing). */
    private readonly onCollected?: (ms: number) => void,
  ) {
    let gc: (() => void) | undefined;
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = undefined; // not available: memory is left to V8 alone
    }
    this.gc = typeof gc === 'function' ? gc : undefined;
  }

  /** Work that allocated has just ended: collect once nothing else happened for `delayMs`. */
  touch(): void {
    if (!this.gc) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const started = performance.now();
      try {
        this.gc!();
      } catch {
        /* nothing to do */
      }
      this.onCollected?.(performance.now() - started);
    }, this.delayMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
