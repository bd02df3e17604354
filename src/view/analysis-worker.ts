// Worker thread of the viewer's background analysis: analyses the run directories it is given and posts the result
// back. In a worker so that reading every record of a 1 GB run (tens of seconds) never delays a page.

import { parentPort, workerData } from "node:worker_threads";
import { analyzeRuns } from "../analyze/analyze.js";

const { dirs } = workerData as { dirs: string[] };
analyzeRuns(dirs, { keepRollouts: true, keepActions: false }).then(
  (analysis) => parentPort?.postMessage({ ok: true, analysis }),
  (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
);
