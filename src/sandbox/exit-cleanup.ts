// Last-chance cleanup when the hgym process exits with episodes still open (a crash, process.exit, a test runner
// tearing a worker down): kill their processes and remove their temp dirs and cgroups, synchronously, because
// the 'exit' event allows nothing else. Normal teardown is Episode.close().
const tasks = new Set<() => void>();
let installed = false;

export function atExit(task: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const t of [...tasks]) {
        try {
          t();
        } catch {
          // keep going: the other episodes still deserve their cleanup
        }
      }
    });
  }
  tasks.add(task);
  return () => tasks.delete(task);
}

// Synchronous short sleep for the exit path (gives SIGKILLed processes time to leave their cgroup).
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
