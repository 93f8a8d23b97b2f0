// What MAM sent when it did not send data: its login page (the session is gone: stop
// everything) or another page (this one request failed: a deleted torrent's notice), told
// apart by what only a sign-in page has, never by a leading "<".
import type { HttpResponse } from '../http/client';

/**
 * MAM's login page, told apart from other HTML (a "torrent not found" page is not a dead
 * session) by what only a sign-in page has: the form posting to takelogin.php, a password
 * field, a "Login" title; or the plain "Error, you are not signed in" text.
 */
export function looksLikeLogin(res: Pick<HttpResponse, 'body'>): boolean {
  const text = res.body.subarray(0, 16384).toString('utf8').toLowerCase();
  if (text.trimStart().startsWith('error, you are not signed in')) return true;
  if (!/<(?:!doctype|html|head|body|form)\b/.test(text)) return false;
  return /action=["']?[^"'>]*takelogin\.php/.test(text) || /<input[^>]+type=["']?password/.test(text) || /<title>[^<]*\blog ?in\b/.test(text);
}

/** A few words of what came back instead of a .torrent (markup stripped), for the reason. */
export function describeBody(res: Pick<HttpResponse, 'text'>): string {
  const words = res.text().slice(0, 4096).replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return words ? `"${words}"` : 'an empty body';
}
