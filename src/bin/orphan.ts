/**
 * `npm start` and `npx` run the mock under a shell that does not pass signals on: stopping npm would
 * leave the mock running, holding its port. Started that way, the mock stops itself, as on SIGTERM,
 * once the process that started it is gone (its parent process id changes when it is re-parented).
 */
export function stopWhenOrphaned(intervalMs = 500): NodeJS.Timeout {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    process.kill(process.pid, 'SIGTERM')
  }, intervalMs)
  // Never what keeps the process alive.
  timer.unref()
  return timer
}
