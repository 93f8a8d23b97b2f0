// The secret scan's search, shared by the pipeline-wide secret tests.

/** Every place a secret (raw or URL-encoded) shows up in the collected text. */
export function findLeaks(haystacks: Record<string, string>, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    for (const s of secrets) {
      for (const form of new Set([s, encodeURIComponent(s), decodeURIComponent(s)])) {
        if (text.includes(form)) leaks.push(`${where} contains ${s.slice(0, 12)}…`);
      }
    }
  }
  return leaks;
}
