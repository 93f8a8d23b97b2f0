// The search nodes' forms: a weights field that is not JSON is an error at deploy naming the
// node it belongs to; numbers in it override the defaults one by one.
import { strict as assert } from 'node:assert';
import { indexerRunOptions } from '../../lib/indexer/search-options';
import { DEFAULT_WEIGHTS } from '../../lib/mam/rank';
import { parseWeights } from '../../lib/mam/search-options';

describe('search forms: ranking weights', () => {
  it('a weights field that is not JSON names the node whose form it is', () => {
    assert.throws(() => parseWeights('{format: 30'), /^Error: mam-search: weights must be JSON like \{"format":30,"seeders":20\}, got \{format: 30$/);
    assert.throws(() => indexerRunOptions({ weights: 'not json' } as never), /^Error: indexer-search: weights must be JSON/);
  });

  it('empty means the defaults; a number overrides its own weight only; other values are ignored', () => {
    assert.deepEqual(parseWeights('  '), DEFAULT_WEIGHTS);
    const keys = Object.keys(DEFAULT_WEIGHTS) as (keyof typeof DEFAULT_WEIGHTS)[];
    const w = parseWeights(JSON.stringify({ [keys[0]]: 99, [keys[1]]: 'x', nonsense: 5 }));
    assert.deepEqual(w, { ...DEFAULT_WEIGHTS, [keys[0]]: 99 });
  });
});
