/**
 * Resident memory of a process from `/proc/<pid>/status`: its peak (`VmHWM`) and current
 * (`VmRSS`) RSS, and a reset of the peak, so a benchmark can measure one phase of a long-lived
 * process (e.g. an emulator child) on its own.
 *
 * @internal
 */
import * as Fs from "node:fs"

const field = (pid: number | "self", name: "VmHWM" | "VmRSS"): number | undefined => {
  try {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(Fs.readFileSync(`/proc/${pid}/status`, "utf8"))
    return match === null ? undefined : Number(match[1])
  } catch {
    // not Linux, or the process is gone
    return undefined
  }
}

/**
 * Peak RSS in KiB of a process (default: this one). Not `resourceUsage().maxRSS` where `/proc`
 * is there: on Linux that keeps the parent's RSS at fork time, which would hide a child's own.
 * Elsewhere this process's `maxRSS`, and `NaN` for another process.
 *
 * @internal
 */
export const peakRssKiB = (pid: number | "self" = "self"): number =>
  field(pid, "VmHWM") ?? (pid === "self" ? process.resourceUsage().maxRSS : Number.NaN)

/**
 * Current RSS in KiB of a process (default: this one); `NaN` when `/proc` cannot tell.
 *
 * @internal
 */
export const rssKiB = (pid: number | "self" = "self"): number => field(pid, "VmRSS") ?? Number.NaN

/**
 * Reset a process's peak RSS to its current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0,
 * needs to own the process). `false` when that is not possible: the peak is then since start.
 *
 * @internal
 */
export const resetPeakRss = (pid: number | "self" = "self"): boolean => {
  try {
    Fs.writeFileSync(`/proc/${pid}/clear_refs`, "5")
    return true
  } catch {
    return false
  }
}
