// Validates a service's answer at the boundary; a mismatch names the service, the request
// and the first offending field instead of failing later with "cannot read x of undefined".
import type { z } from 'zod';
import { ServiceError, type ServiceName } from './errors';

export function validate<S extends z.ZodType>(service: ServiceName, what: string, schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : '(root)';
  throw new ServiceError(service, `unexpected answer to ${what}: field "${field}" ${issue.message}`, { code: 'malformed' });
}
