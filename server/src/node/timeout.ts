/** A promise that rejects when `p` does not settle within `ms`: the server's bound on client answers, and every wait in tests and benches. */
export function withTimeout<T>(p: PromiseLike<T>, ms: number, what?: string | (() => string)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const label = what === undefined ? '' : `: ${typeof what === 'string' ? what : what()}`;
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms${label}`)), ms);
    Promise.resolve(p).then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
