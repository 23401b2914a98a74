/**
 * True when a process with `pid` exists on this machine: signal 0 checks without sending. EPERM
 * means it exists but belongs to another user. Lock files and staging directories name the pid of
 * the run that made them, and are only taken over once that run is gone.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
