// Shapes of the Audiobookshelf answers we rely on (recorded from ABS 2.36.0, see
// test/fixtures/abs/). Objects are loose: fields we do not name pass through untouched, so
// other callers (the import watcher) can read them without a second schema.
import { z } from 'zod';

const str = z.string();
const nullableStr = z.string().nullable().optional();

export const statusSchema = z.looseObject({
  app: str,
  serverVersion: str.optional(),
  isInit: z.boolean().optional(),
});

export const pingSchema = z.looseObject({ success: z.boolean() });

export const librarySchema = z.looseObject({
  id: str,
  name: str,
  mediaType: str,
  folders: z.array(z.looseObject({ fullPath: str })).optional(),
});
export const librariesSchema = z.looseObject({ libraries: z.array(librarySchema) });

/** A list item: ABS always returns these minified (only `seriesName` text, no arrays). */
export const minifiedItemSchema = z.looseObject({
  id: str,
  libraryId: str,
  mediaType: str,
  path: str.optional(),
  addedAt: z.number().optional(),
  media: z.looseObject({
    metadata: z.looseObject({
      title: nullableStr,
      seriesName: nullableStr,
    }).optional(),
  }).nullable().optional(),
});

export const itemPageSchema = z.looseObject({
  results: z.array(minifiedItemSchema),
  total: z.number().int().nonnegative(),
  limit: z.number().optional(),
  page: z.number().optional(),
});

/**
 * Only the envelope is checked here; each book item is checked on its own (bookItemSchema)
 * so an error can name the item instead of "libraryItems.4711.media…".
 */
export const batchSchema = z.looseObject({
  libraryItems: z.array(z.looseObject({ id: str })),
});

/** The full item (GET /api/items/:id, batch/get): exact authors, narrators and series. */
export const bookItemSchema = z.looseObject({
  id: str,
  libraryId: str,
  mediaType: z.literal('book'),
  path: str,
  addedAt: z.number(),
  isMissing: z.boolean().optional(),
  isInvalid: z.boolean().optional(),
  media: z.looseObject({
    metadata: z.looseObject({
      title: str,
      subtitle: nullableStr,
      authors: z.array(z.looseObject({ id: str.optional(), name: str })),
      narrators: z.array(str),
      series: z.array(z.looseObject({ id: str.optional(), name: str, sequence: z.string().nullable().optional() })),
      asin: nullableStr,
      isbn: nullableStr,
      language: nullableStr,
      // A string ("2012") on 2.36; tolerate a number or null.
      publishedYear: z.union([str, z.number()]).nullable().optional(),
    }),
    duration: z.number().nullable().optional(),
  }),
});

export const searchSchema = z.looseObject({
  book: z.array(z.looseObject({ libraryItem: z.looseObject({ id: str }) })),
});

export const taskSchema = z.looseObject({
  id: str,
  action: str,
  data: z.looseObject({ libraryId: str.optional() }).nullable().optional(),
  isFinished: z.boolean().optional(),
  isFailed: z.boolean().optional(),
});
export const tasksSchema = z.looseObject({ tasks: z.array(taskSchema) });

export const meSchema = z.looseObject({
  id: str,
  username: str,
  type: str.optional(),
  /** Legacy user token: needed for the socket (API keys cannot authenticate it). A secret. */
  token: str.optional(),
});

export type AbsLibrary = z.infer<typeof librarySchema>;
export type AbsMinifiedItem = z.infer<typeof minifiedItemSchema>;
export type AbsItemPage = z.infer<typeof itemPageSchema>;
export type AbsBookItem = z.infer<typeof bookItemSchema>;
/** An expanded item as ABS sent it, before it is checked as a book. */
export type AbsRawItem = z.infer<typeof batchSchema>['libraryItems'][number];
export type AbsTask = z.infer<typeof taskSchema>;
export type AbsMe = z.infer<typeof meSchema>;
