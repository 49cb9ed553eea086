/** @internal */
import * as Option from "effect/Option"

/**
 * `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `nowWallMillis`.
 *
 * @internal
 */
export const parseRetryAfter = (value: string | undefined, nowWallMillis: number): Option.Option<number> => {
  if (value === undefined) return Option.none()
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Option.some(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? Option.none() : Option.some(Math.max(0, date - nowWallMillis))
}
