/**
 * The markers a lane row's id cell carries after the id ({@link CellTag} of ./cell-fit.ts):
 * full text when the column has room, the short form (explained by the `m` line of the help
 * overlay) when it has not. Constants only, so the key table can name them without loading
 * the row code.
 */

/** A muted lane (`m`: notifications off): `(muted)`, narrow `(m)`. */
export const MUTED_TAG = { text: '(muted)', short: '(m)' } as const;

/** A lane of an offline fleet host (its last published state): `(offline)`, narrow `(off)`. */
export const OFFLINE_TAG = { text: '(offline)', short: '(off)' } as const;
