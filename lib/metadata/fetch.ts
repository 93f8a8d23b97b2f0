// Shared response handling for the metadata providers: status → ServiceError naming the
// provider and what was asked, JSON parse, schema validation.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { ServiceError, type ServiceName } from '../errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/client';
import { parseJson } from '../http/client';
import { validate } from '../schema';

/** Throws for anything but 2xx; `allow404` turns a 404 into null. */
export async function send(client: HttpClient, service: ServiceName, what: string, req: HttpRequest, allow404 = false): Promise<HttpResponse | null> {
  const res = await client.request(req);
  if (res.status >= 200 && res.status < 300) return res;
  if (res.status === 404 && allow404) return null;
  const transient = res.status === 429 || res.status >= 500;
  const hint = res.status === 429 ? ' (rate limited; Retry-After too long or retries used up)'
    : res.status === 401 || res.status === 403 ? ' (access refused)' : '';
  throw new ServiceError(service, `HTTP ${res.status} for ${what}${hint}`, { status: res.status, transient, code: res.status === 429 ? 'rate_limited' : 'http' });
}

export async function getJson<S extends z.ZodType>(client: HttpClient, service: ServiceName, what: string, req: HttpRequest, schema: S, allow404 = false): Promise<z.infer<S> | null> {
  const res = await send(client, service, what, req, allow404);
  if (!res) return null;
  return validate(service, what, schema, parseJson(service, res));
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** This package's own name and version (and repository, when package.json names one). */
export const USER_AGENT = userAgent(packageIdentity(__dirname));

export function userAgent(pkg: { name: string; version?: string; repository?: string }): string {
  return `${pkg.name}${pkg.version ? `/${pkg.version}` : ''}${pkg.repository ? ` (+${pkg.repository})` : ''}`;
}

/** The nearest package.json above `from` (src: lib/metadata, build: dist/lib/metadata). */
export function packageIdentity(from: string): { name: string; version?: string; repository?: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string; repository?: string | { url?: string } };
      if (pkg.name) {
        const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
        return { name: pkg.name, version: pkg.version, repository: repo?.replace(/^git\+/, '').replace(/\.git$/, '') };
      }
    } catch {
      // no package.json here: look higher up
    }
    if (dirname(dir) === dir) return { name: 'node-red-contrib-audiobook-gaps' };
  }
}
