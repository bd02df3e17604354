// Progress reporting for long work: a live bar with counts, rate and ETA on a TTY; plain periodic lines otherwise
// (CI logs, pipes), so long jobs never look hung and never flood a log.

import cliProgress from "cli-progress";

export interface ProgressOptions {
  label: string;
  total: number;
  stream?: NodeJS.WriteStream;
  intervalMs?: number; // plain mode: at most one line per interval (default 5 s)
  extra?: () => string; // appended to each update, e.g. "success 42% · 1.2M tok · $0.31"
}

export interface Progress {
  tick(n?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

export function startProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const started = Date.now();
  let done = 0;
  let total = opts.total;
  if (stream.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${opts.label} [{bar}] {value}/{total} · {rate}/s · ETA {eta_formatted}{extra}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = () => ({ rate: rate(done, started), extra: opts.extra ? " · " + opts.extra() : "" });
    bar.start(total, 0, payload());
    return {
      tick(n = 1) {
        done += n;
        bar.update(done, payload());
      },
      setTotal(t) {
        total = t;
        bar.setTotal(t);
      },
      stop() {
        bar.stop();
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  let lastPrint = 0;
  const line = () => {
    const elapsed = (Date.now() - started) / 1000;
    const r = done / Math.max(elapsed, 1e-9);
    const eta = r > 0 && total > done ? `${formatSeconds((total - done) / r)}` : "-";
    stream.write(`${opts.label}: ${done}/${total} · ${r.toFixed(1)}/s · ETA ${eta}${opts.extra ? " · " + opts.extra() : ""}\n`);
  };
  return {
    tick(n = 1) {
      done += n;
      const now = Date.now();
      if (now - lastPrint >= interval || done === total) {
        lastPrint = now;
        line();
      }
    },
    setTotal(t) {
      total = t;
    },
    stop() {
      if (done !== total || lastPrint === 0) line();
    },
  };
}

function rate(done: number, started: number): string {
  const s = (Date.now() - started) / 1000;
  return (done / Math.max(s, 1e-9)).toFixed(1);
}

export function formatSeconds(s: number): string {
  if (!isFinite(s)) return "-";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
