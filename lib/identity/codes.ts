// Book identifiers as keys: ASINs in upper case, ISBNs as 10 or 13 digits (X kept).

export function normaliseAsin(asin: string | undefined): string | undefined {
  const clean = asin?.trim().toUpperCase();
  return clean ? clean : undefined;
}

export function normaliseIsbn(isbn: string | undefined): string | undefined {
  const clean = isbn?.replace(/[^0-9Xx]/g, '').toUpperCase();
  return clean && (clean.length === 10 || clean.length === 13) ? clean : undefined;
}
