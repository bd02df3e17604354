// The Go front end: Go's own parser and scanner (go/parser, go/scanner — what `gofmt -e` reads) in one long-lived
// helper process (native/go-frontend/, standard library only, built on first use with the machine's `go` into the
// native helper cache). It judges "does this parse" (go/parser's first error, scanner errors such as NUL bytes,
// invalid UTF-8 and a misplaced byte order mark included) and "do these two texts differ only in comments, doc
// comments included" (the scanner's token streams, automatic semicolons included; directives and the cgo preamble
// are code). The rules are written at the top of native/go-frontend/main.go and in docs/LANGUAGES.md.

import { checkAnswer, compareAnswer, notUtf8Source, unsendableComparison } from "./native-answers.js";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { ensureNativeHelper, nativeCacheRoot, type NativeHelperSpec } from "../native/build-cache.js";
import { JsonLinesProcess } from "../native/json-lines-process.js";
import type { FrontendError, FrontendVerdict, NativeFrontend } from "./verdict.js";

const INSTALL_HINT = "install Go (Debian: apt-get install golang-go) so that `go` is on PATH";
const BINARY = "go-frontend";

export interface GoFrontendOptions {
  go?: string; // the go command (default: `go` on PATH)
  cacheRoot?: string; // where the built helper lives (default: nativeCacheRoot())
}

// Builds offline with the standard library only: no module proxy, no VCS stamping, no cgo (no C compiler needed),
// the build cache and GOPATH beside the helper cache so nothing is written to $HOME.
export function goFrontendSpec(go: string): NativeHelperSpec {
  return {
    name: "go-frontend",
    toolchain() {
      try {
        return { version: execFileSync(go, ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() };
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return { missing: e.code === "ENOENT" ? INSTALL_HINT : `\`${go} version\` failed (${e.message.split("\n")[0]}): ${INSTALL_HINT}` };
      }
    },
    build(sourceDir, outDir) {
      const cacheRoot = dirname(outDir);
      const env = {
        ...process.env,
        GOFLAGS: "-mod=mod -buildvcs=false",
        GOPROXY: "off",
        GOSUMDB: "off",
        GOTOOLCHAIN: "local",
        GO111MODULE: "on",
        CGO_ENABLED: "0",
        GOCACHE: join(cacheRoot, "go-build-cache"),
        GOPATH: join(cacheRoot, "go-path"),
      };
      try {
        execFileSync(go, ["build", "-trimpath", "-o", join(outDir, BINARY), "."], { cwd: sourceDir, env, stdio: ["ignore", "pipe", "pipe"] });
      } catch (err) {
        const e = err as { stderr?: Buffer; message: string };
        throw new Error(`building the Go front end failed: ${e.stderr?.toString().trim() || e.message}`);
      }
    },
  };
}

export interface ParseOnlyTiming {
  files: number;
  bytes: number;
  seconds: number; // inside the helper: go/parser over all files (comments kept), reading excluded
  errors: number;
}

// Texts cross the process boundary as JSON strings; a text no UTF-8 file can hold is refused before (docs ask
// about files that parse, so there it is an error of the caller).
function checkedText(what: string, text: string): string {
  if (notUtf8Source(text)) throw new Error(`the Go front end got ${what} that is not valid Unicode (a lone UTF-16 surrogate): not UTF-8 source`);
  return text;
}

function num(r: Record<string, unknown>, field: string): number {
  const v = r[field];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`the Go front end answered without a numeric "${field}": ${JSON.stringify(r).slice(0, 200)}`);
  return v;
}

function str(r: Record<string, unknown>, field: string): string {
  const v = r[field];
  if (typeof v !== "string") throw new Error(`the Go front end answered without a string "${field}": ${JSON.stringify(r).slice(0, 200)}`);
  return v;
}

const HELPER_NAME = "the Go front end (go/parser)";

export class GoFrontend implements NativeFrontend {
  private process: JsonLinesProcess | null = null;
  private versionPromise: Promise<string> | null = null;

  constructor(private readonly opts: GoFrontendOptions = {}) {}

  private helper(): JsonLinesProcess {
    if (this.process) return this.process;
    const built = ensureNativeHelper(goFrontendSpec(this.opts.go ?? "go"), this.opts.cacheRoot ?? nativeCacheRoot());
    // One OS thread is plenty for one request at a time, on machines shared with sandboxes.
    this.process = new JsonLinesProcess({ name: HELPER_NAME, command: join(built, BINARY), env: { ...process.env, GOMAXPROCS: "1" } });
    return this.process;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  // "go 1.19.8": the toolchain the helper was built with, whose go/parser it runs.
  version(): Promise<string> {
    this.versionPromise ??= this.helper()
      .request({ op: "version" })
      .then((r) => `go ${str(r, "version").replace(/^go/, "")}`);
    return this.versionPromise;
  }

  async check(path: string, text: string): Promise<FrontendError | null> {
    const bad = notUtf8Source(text);
    if (bad) return bad;
    return checkAnswer(HELPER_NAME, await this.helper().request({ op: "check", path, src: text }));
  }

  async compare(path: string, before: string, after: string): Promise<FrontendVerdict> {
    const unsendable = unsendableComparison(before, after);
    if (unsendable) return unsendable;
    return compareAnswer(HELPER_NAME, await this.helper().request({ op: "compare", path, before, after }));
  }

  // For the benchmark: go/parser over the files (absolute paths, read before the clock starts), timed inside the
  // helper.
  async parseOnly(paths: readonly string[]): Promise<ParseOnlyTiming> {
    const r = await this.helper().request({ op: "parseOnly", paths: [...paths] });
    return { files: num(r, "files"), bytes: num(r, "bytes"), seconds: num(r, "seconds"), errors: num(r, "errors") };
  }

  // The doc comments go/ast attaches to the top-level functions, methods (`Type.Method`) and types of a file that
  // parses (CommentGroup.Text, trailing newline dropped; null when none): what the index's docstrings must agree
  // with (src/lang/go-docs-agreement.test.ts).
  async docs(path: string, text: string): Promise<{ name: string; line: number; doc: string | null }[]> {
    const r = await this.helper().request({ op: "docs", path, src: checkedText("a text", text) });
    if (!Array.isArray(r.docs)) throw new Error(`the Go front end answered without "docs": ${JSON.stringify(r).slice(0, 200)}`);
    return (r.docs as Record<string, unknown>[]).map((d) => ({ name: str(d, "name"), line: num(d, "line"), doc: d.doc === null ? null : str(d, "doc") }));
  }

  async close(): Promise<void> {
    await this.process?.close();
    this.process = null;
  }
}

let shared: GoFrontend | null = null;

// The process-wide Go front end the verifiers use.
export function sharedGoFrontend(): GoFrontend {
  shared ??= new GoFrontend();
  return shared;
}
