/**
 * CPU time of another process from `/proc/<pid>/stat`: on a shared, loaded machine a
 * process's CPU seconds vary far less than the wall time of what it does.
 *
 * @internal
 */
import * as Fs from "node:fs"

// USER_HZ: what /proc reports times in; 100 on every Linux architecture Node runs on
const TICKS_PER_SECOND = 100

/**
 * User + system CPU seconds a process has used so far (all its threads); `NaN` without `/proc`.
 *
 * @internal
 */
export const cpuSeconds = (pid: number | "self" = "self"): number => {
  try {
    const stat = Fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // fields after the command name (which may hold spaces), from field 3 (state) on
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // utime and stime are fields 14 and 15
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}
