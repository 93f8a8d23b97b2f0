// How a node tells the user something went wrong: a badge of a few words on the node ("401
// from ABS", "bad input", "no mam_id") and the whole sentence through done(text) → node.error(text, msg), so
// a Catch node gets msg.error.message and the debug sidebar shows words, not a folded Error
// object. The text is redacted: no secret reaches a badge, a log or a Catch node.
import { ServiceError } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { shortText, type StatusTarget } from './status';

const SHORT_SERVICE: Record<string, string> = {
  Audiobookshelf: 'ABS', MyAnonamouse: 'MAM', qBittorrent: 'qBit', Audible: 'Audible', Hardcover: 'Hardcover', Goodreads: 'Goodreads', Store: 'store',
};

/** An error a node raises itself about what it was given or how it is set up. */
export class ConfigError extends Error {
  /** The badge: what is missing, in a few words ("no mam_id"). */
  constructor(readonly badge: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The whole, redacted message of anything thrown. */
export function fullText(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

/** A badge under 20 characters that still says what went wrong. */
export function badgeText(err: unknown): string {
  if (err instanceof ConfigError) return shortText(err.badge);
  const message = fullText(err);
  if (err instanceof ServiceError) {
    const who = SHORT_SERVICE[err.service] ?? err.service;
    if (err.status && err.status >= 400) return shortText(`${err.status} from ${who}`);
    if (err.code === 'unreachable') return shortText(`${who} unreachable`);
    if (err.code === 'timeout') return shortText(`${who} timed out`);
    if (err.code === 'auth' || err.code === 'unauthorized' || err.code === 'session_expired') return shortText(`${who} login refused`);
    if (err.code === 'malformed') return shortText(`odd reply from ${who}`);
    if (err.code === 'config') return shortText(`${who} not set up`);
  }
  // "mam-search: msg.payload must be…" — a wiring mistake, not a service failure.
  if (/msg\.[a-z]+/i.test(message)) return 'bad input';
  // Otherwise the first words after the node or service name, cut at a word.
  const words = message.replace(/^[\w-]+: /, '');
  if (words.length <= 19) return words;
  const cut = words.slice(0, 19);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 8)).trim()}…`;
}

interface Reporter extends StatusTarget {
  error(text: string): void;
}

/**
 * Red badge, then done(text): Node-RED hands it to node.error(text, msg), so a Catch node gets
 * msg.error.message and the sidebar shows the sentence (an Error object shows there folded, as
 * "error: object"). The runtime takes any value for done's error; its typings say Error only.
 */
export function reportError(node: StatusTarget, err: unknown, done: (err?: Error) => void, badge?: string): void {
  node.status({ fill: 'red', shape: 'dot', text: badge ? shortText(badge) : badgeText(err) });
  (done as (err?: unknown) => void)(fullText(err));
}

/** On deploy: a red ring saying what the configuration lacks, and the sentence in the log. */
export function reportMissing(node: Reporter, err: ConfigError): void {
  node.status({ fill: 'red', shape: 'ring', text: badgeText(err) });
  node.error(fullText(err));
}

/** The stored credentials of the config node `id` (empty when it or they are missing). */
export function credentialsOf(RED: { nodes: { getNode(id: string): unknown } }, id: string | undefined): Record<string, string | undefined> {
  const node = id ? (RED.nodes.getNode(id) as { credentials?: Record<string, string | undefined> } | null) : null;
  return node?.credentials ?? {};
}
