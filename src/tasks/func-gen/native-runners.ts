// func-gen `exec` verdicts for the compiled languages' own test runners: `go test` and `cargo test`. Each test's
// outcome is read from the runner's machine-readable output instead of the exit status alone:
//   go test:    run as `go test -json`: one JSON event per line; a test's `pass`/`fail` event, and a package's
//               `fail` (build failure, a test binary that died). Go's testing package fails a test that calls
//               os.Exit(0) (since Go 1.16), so an early exit cannot pass silently.
//   cargo test: libtest's per-test lines `test NAME ... ok|FAILED|ignored` under each `Running <binary>` /
//               `Doc-tests <crate>` header, and each binary's `test result:` summary: a binary that announced
//               `running N tests` and ended without its summary (std::process::exit inside a test) is "incomplete".
// Ids are "<package or binary>::<test>". The toolchain's caches go to the run's private directory in the
// sandbox's /tmp: no network (GOPROXY=off, --offline), nothing written outside the workspace and /tmp.
//
// Limitation (docs/REWARDS.md): unlike the Python and node runners, whose reports are signed by a wrapper the
// candidate cannot reach, these verdicts come from the test process's own standard output, which code under test
// can also write to; a candidate that prints a runner's lines for every expected test and then ends the process
// with status 0 (bypassing Go's os.Exit check with syscall.Exit) would be read as passing.

import type { TestVerdict } from "./types.js";

export interface NativeTestPlan {
  runner: "go-test" | "cargo-test";
  env: string[]; // the user's VAR=value words (quoted)
  args: string[]; // after `go test` / `cargo test` (quoted), our own flags removed
}

// Flags of the user's command that would change the output we read: dropped (ours are added).
const GO_DROPPED = /^-(?:-)?(?:json|v|test\.v)(?:=.*)?$/;
const CARGO_DROPPED = /^(?:-q|--quiet|--nocapture|--show-output|--format(?:=.*)?|-Z|--color(?:=.*)?|--offline)$/;

export function nativeTestPlan(words: string[], env: string[], quote: (w: string) => string): NativeTestPlan | null {
  const [exe, sub, ...rest] = words;
  if (exe === undefined || sub !== "test") return null;
  if (/^(?:.*\/)?go$/.test(exe)) return { runner: "go-test", env, args: rest.filter((w) => !GO_DROPPED.test(w)).map(quote) };
  if (/^(?:.*\/)?cargo$/.test(exe)) {
    // `--format json` needs an unstable flag, and its value is the next word: refuse rather than guess.
    if (rest.includes("--format")) return null;
    return { runner: "cargo-test", env, args: rest.filter((w) => !CARGO_DROPPED.test(w)).map(quote) };
  }
  return null;
}

// The shell command for a run whose private directory is `dir`.
export function nativeTestCommand(plan: NativeTestPlan, dir: string): string {
  const prefix = plan.env.length > 0 ? `${plan.env.join(" ")} ` : "";
  if (plan.runner === "go-test") {
    const env = `HOME=${dir}/home GOCACHE=${dir}/gocache GOPATH=${dir}/gopath GOMODCACHE=${dir}/gopath/pkg/mod GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GO111MODULE=on`;
    return `${env} ${prefix}go test -json ${plan.args.join(" ")}`.trimEnd();
  }
  const env = `HOME=${dir}/home CARGO_HOME=${dir}/cargo-home CARGO_TARGET_DIR=${dir}/target CARGO_NET_OFFLINE=true CARGO_TERM_COLOR=never`;
  // Test-binary arguments stay after the user's `--`; without one, none are passed.
  return `${env} ${prefix}cargo test --offline ${plan.args.join(" ")}`.trimEnd();
}

interface GoEvent {
  Action?: unknown;
  Package?: unknown;
  Test?: unknown;
}

export function parseGoTestJson(output: string): TestVerdict {
  const passed: string[] = [];
  const failed: string[] = [];
  let events = 0;
  const packages = new Map<string, "started" | "done">();
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    let e: GoEvent;
    try {
      e = JSON.parse(line) as GoEvent;
    } catch {
      continue;
    }
    if (typeof e.Action !== "string" || typeof e.Package !== "string") continue;
    events++;
    const pkg = e.Package;
    if (typeof e.Test === "string") {
      if (!packages.has(pkg)) packages.set(pkg, "started");
      if (e.Action === "pass") passed.push(`${pkg}::${e.Test}`);
      else if (e.Action === "fail") failed.push(`${pkg}::${e.Test}`);
    } else if (e.Action === "pass" || e.Action === "fail" || e.Action === "skip") {
      packages.set(pkg, "done");
      if (e.Action === "fail") failed.push(`${pkg}::<package>`);
    } else if (!packages.has(pkg)) packages.set(pkg, "started");
  }
  const complete = events > 0 && [...packages.values()].every((s) => s === "done");
  return { runner: "go-test", outcome: complete ? "completed" : events === 0 ? "no-output" : "incomplete", passed: passed.sort(), failed: failed.sort() };
}

export function parseLibtestOutput(output: string): TestVerdict {
  const passed: string[] = [];
  const failed: string[] = [];
  let binary = "";
  let open = false; // a binary announced its tests and has not printed its summary yet
  let incomplete = false;
  let binaries = 0;
  for (const raw of output.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const running = /^\s+Running (.+?)(?: \(.*\))?$/.exec(line) ?? /^\s+(Doc-tests \S+)$/.exec(line);
    if (running) {
      if (open) incomplete = true;
      binary = (running[1] as string).trim();
      open = false;
      continue;
    }
    if (/^running \d+ tests?$/.test(line)) {
      if (open) incomplete = true;
      open = true;
      binaries++;
      continue;
    }
    const t = /^test (.+) \.\.\. (ok|FAILED|ignored)$/.exec(line);
    if (t) {
      const id = `${binary}::${t[1] as string}`;
      if (t[2] === "ok") passed.push(id);
      else if (t[2] === "FAILED") failed.push(id);
      continue;
    }
    if (/^test result: /.test(line)) {
      if (!/^test result: ok\./.test(line)) failed.push(`${binary}::<result>`);
      open = false;
    }
  }
  if (open) incomplete = true;
  return { runner: "cargo-test", outcome: binaries === 0 ? "no-output" : incomplete ? "incomplete" : "completed", passed: passed.sort(), failed: failed.sort() };
}

export function parseNativeOutput(runner: NativeTestPlan["runner"], output: string): TestVerdict {
  return runner === "go-test" ? parseGoTestJson(output) : parseLibtestOutput(output);
}
