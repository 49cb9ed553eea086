/**
 * Domo's offset paging as a lazy `Stream`: `limit` + `offset` query parameters, bare JSON arrays
 * back, no total. A page is fetched only when the consumer pulls past the previous one; an empty
 * page, or a page shorter than `limit`, ends the stream (see `clampSafe` for the one exception).
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** @internal */
export interface Page {
  readonly limit: number
  readonly offset: number
}

/** @internal */
export interface PagingOptions {
  /** the family's documented maximum `limit` (users 500, audit 1000, task lists 50, …) */
  readonly max: number
  /** items per request; clamped to `1..max`, default `max` (fewest round trips) */
  readonly pageSize?: number | undefined
  /** item offset of the first item (default 0) */
  readonly offset?: number | undefined
  /**
   * Domo documents no behaviour above a family's maximum `limit` (400 or a silent clamp); if the
   * server clamps, every page is shorter than `limit` and a short page is no proof of the end.
   * With `clampSafe`, a short page ends the stream only when an earlier page was longer; a
   * first short page is confirmed by one more request (which an empty page ends). Costs one
   * request on a list that fits in one page; never loses items to a clamp.
   */
  readonly clampSafe?: boolean | undefined
}

/**
 * The page size to request: a whole number within `1..max` (a larger one would be a 400 from
 * Domo, a smaller one is pointless).
 *
 * @internal
 */
export const clampPageSize = (max: number, pageSize: number | undefined): number =>
  pageSize === undefined || !Number.isFinite(pageSize) ? max : Math.min(max, Math.max(1, Math.floor(pageSize)))

/**
 * Pages through `fetch` lazily, one request per pulled page.
 *
 * @internal
 */
export const offsetPaged = <A, E, R>(
  options: PagingOptions,
  fetch: (page: Page) => Effect.Effect<ReadonlyArray<A>, E, R>
): Stream.Stream<A, E, R> => {
  const limit = clampPageSize(options.max, options.pageSize)
  const start = Math.max(0, Math.floor(options.offset ?? 0))
  const clampSafe = options.clampSafe === true
  // state: the next offset and the longest page seen so far
  return Stream.paginateChunkEffect(
    { offset: start, longest: 0 },
    ({ longest, offset }) =>
      Effect.map(fetch({ limit, offset }), (items) => {
        const n = items.length
        const last = n === 0 || (n < limit && (!clampSafe || longest > n))
        return [
          Chunk.fromIterable(items),
          last ? Option.none() : Option.some({ offset: offset + n, longest: Math.max(longest, n) })
        ] as const
      })
  )
}

/**
 * The query parameters of one page.
 *
 * @internal
 */
export const pageParams = (page: Page): Record<string, string> => ({
  limit: String(page.limit),
  offset: String(page.offset)
})
