// One run at a time per store directory. Overlapping triggers and two nodes that share a
// store (same Node-RED process, same nedb files) queue behind each other instead of racing,
// so the second run sees what the first one recorded. An intent record seen at the start of
// a run therefore always belongs to a run that died.
const tails = new Map<string, Promise<unknown>>();

export async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
