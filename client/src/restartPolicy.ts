/**
 * How often the client restarts a crashed server: at most `maxRestarts` within `windowMs`, then it
 * gives up until the user restarts it. Pure (no `vscode`), so it is unit-tested.
 */
export class RestartPolicy {
  private restarts: number[] = [];

  constructor(
    readonly maxRestarts = 5,
    readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; true when the server may be restarted once more. */
  allowRestart(): boolean {
    const t = this.now();
    this.restarts = this.restarts.filter((r) => t - r < this.windowMs);
    if (this.restarts.length >= this.maxRestarts) return false;
    this.restarts.push(t);
    return true;
  }

  /** Forgets past crashes (after a manual restart). */
  reset(): void {
    this.restarts = [];
  }
}
