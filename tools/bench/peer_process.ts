/**
 * A benchmark peer's process: the CPU time it has used, all threads, from
 * Linux's scheduler statistics (a measure of its work per request that the
 * load of other processes on a shared machine moves far less than
 * throughput), and stopping it.
 *
 * @module
 */

/**
 * Nanoseconds of CPU time the process `pid` has run, summed over its threads
 * (`/proc/PID/task/TID/schedstat`, first field), or `null` where there is no
 * such file (not Linux, or the process is gone).
 *
 * @param pid Process id.
 * @returns CPU nanoseconds.
 */
export function processCpuNs(pid: number): number | null {
  try {
    let total = 0;
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`);
      total += Number(text.split(" ")[0]);
    }
    return total;
  } catch {
    return null;
  }
}

/**
 * Send SIGTERM (if it still runs) and wait for the process to end.
 *
 * @param process The peer.
 * @returns Its exit status.
 */
export async function terminate(process: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  try {
    process.kill("SIGTERM");
  } catch {
    // Already gone.
  }
  return await process.status;
}
