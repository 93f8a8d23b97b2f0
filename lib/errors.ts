// One error type for every external service, so a user always reads which service failed
// and why ("Audiobookshelf: rejected the API key (401)").

export type ServiceName = 'Audiobookshelf' | 'MyAnonamouse' | 'Prowlarr' | 'Torznab' | 'qBittorrent' | 'Transmission' | 'Deluge' | 'Audible' | 'Hardcover' | 'Goodreads' | 'Store';

export class ServiceError extends Error {
  readonly service: ServiceName;
  readonly status?: number;
  /** True when retrying later may help (timeouts, 5xx, 429). */
  readonly transient: boolean;
  readonly code: string;

  constructor(service: ServiceName, message: string, opts: { status?: number; transient?: boolean; code?: string; cause?: unknown } = {}) {
    super(`${service}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ServiceError';
    this.service = service;
    this.status = opts.status;
    this.transient = opts.transient ?? false;
    this.code = opts.code ?? 'error';
  }

  /** Node-RED shows err.toString() in Catch nodes and the debug sidebar: start with the service. */
  override toString(): string {
    return this.message;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
