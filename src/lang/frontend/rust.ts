// The Rust front end: native/rust-frontend, a small crate on syn (Rust's grammar as the ecosystem parses it) and
// proc-macro2's lexer (rustc's token rules), built offline on first use against Debian's vendored crates and run
// as one long-lived helper process. It decides "parses" and "only comments (doc comments included) changed" on
// the exact text; tree-sitter-rust is only the index. What it decides and why: docs/LANGUAGES.md (Rust).
//
// Toolchain: Debian's /usr/bin/cargo and /usr/bin/rustc when present (what CI has: rustc 1.63, cargo 1.65), else
// the cargo on PATH. Debian's are preferred even when rustup's newer ones come first on PATH, so a developer's
// machine builds the helper the way CI does.

import { checkAnswer, compareAnswer, notUtf8Source, unsendableComparison } from "./native-answers.js";
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ensureNativeHelper, nativeCacheRoot, type NativeHelperSpec } from "../native/build-cache.js";
import { JsonLinesProcess } from "../native/json-lines-process.js";
import type { FrontendError, FrontendVerdict, NativeFrontend } from "./verdict.js";

export const DEBIAN_CARGO_REGISTRY = "/usr/share/cargo/registry";
const BINARY = "hgym-rust-frontend";
const INSTALL_HINT = "install Debian's rustc, cargo, librust-syn-dev, librust-proc-macro2-dev and librust-quote-dev (scripts/setup.sh does)";

export interface RustToolchain {
  cargo: string;
  rustc: string;
}

// Debian's cargo and rustc when installed, else whatever `cargo`/`rustc` PATH names.
export function rustToolchain(): RustToolchain {
  if (existsSync("/usr/bin/cargo") && existsSync("/usr/bin/rustc")) return { cargo: "/usr/bin/cargo", rustc: "/usr/bin/rustc" };
  return { cargo: "cargo", rustc: "rustc" };
}

function toolVersion(command: string): string | null {
  try {
    return execFileSync(command, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function hasDebianCrates(): boolean {
  if (!existsSync(DEBIAN_CARGO_REGISTRY)) return false;
  const names = readdirSync(DEBIAN_CARGO_REGISTRY);
  return ["syn-1.", "proc-macro2-1.", "quote-1.", "unicode-ident-1."].every((p) => names.some((n) => n.startsWith(p)));
}

// The crate versions cargo picked, read from the Cargo.lock of the build.
function lockedVersions(lockText: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of lockText.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)) out[m[1] as string] = m[2] as string;
  return out;
}

export function rustFrontendSpec(tool: RustToolchain = rustToolchain()): NativeHelperSpec {
  return {
    name: "rust-frontend",
    toolchain() {
      const rustc = toolVersion(tool.rustc);
      const cargo = toolVersion(tool.cargo);
      if (!rustc || !cargo) return { missing: `the Rust front end needs cargo and rustc: ${INSTALL_HINT}` };
      if (!hasDebianCrates()) return { missing: `the Rust front end builds offline from Debian's crates in ${DEBIAN_CARGO_REGISTRY}: ${INSTALL_HINT}` };
      return { version: `${rustc}; ${cargo}` };
    },
    build(sourceDir, outDir) {
      // cargo writes Cargo.lock beside Cargo.toml and reads its configuration from CARGO_HOME: both go into the
      // build directory, so neither the installed sources nor ~/.cargo are touched, and no registry but Debian's
      // directory of crates is ever consulted.
      const crate = join(outDir, "crate");
      cpSync(sourceDir, crate, { recursive: true, filter: (src) => basename(src) !== "target" });
      const cargoHome = join(outDir, "cargo-home");
      mkdirSync(cargoHome, { recursive: true });
      writeFileSync(
        join(cargoHome, "config.toml"),
        `[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${DEBIAN_CARGO_REGISTRY}"\n\n[net]\noffline = true\n`,
      );
      const target = join(outDir, "target");
      try {
        execFileSync(tool.cargo, ["build", "--release", "--offline", "--quiet", "--target-dir", target], {
          cwd: crate,
          env: { ...process.env, CARGO_HOME: cargoHome, RUSTC: tool.rustc, CARGO_TARGET_DIR: target, RUSTFLAGS: "", CARGO_BUILD_RUSTFLAGS: "" },
          stdio: ["ignore", "pipe", "pipe"],
          encoding: "utf8",
        });
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`building the Rust front end failed: ${(e.stderr ?? e.message).trim().slice(-3000)}`);
      }
      copyFileSync(join(target, "release", BINARY), join(outDir, BINARY));
      execFileSync("chmod", ["755", join(outDir, BINARY)]);
      writeFileSync(join(outDir, "versions.json"), JSON.stringify(lockedVersions(readFileSync(join(crate, "Cargo.lock"), "utf8"))));
      rmSync(target, { recursive: true, force: true });
    },
  };
}

export interface ParseOnlyResult {
  files: number;
  bytes: number;
  failed: number;
  seconds: number; // parse time inside the helper, files already read
}

export class RustFrontend implements NativeFrontend {
  private process: JsonLinesProcess | null = null;
  private dir: string | null = null;
  private versionText: Promise<string> | null = null;

  constructor(
    private readonly cacheRoot: () => string = nativeCacheRoot,
    private readonly spec: NativeHelperSpec = rustFrontendSpec(),
  ) {}

  private helper(): JsonLinesProcess {
    if (this.process) return this.process;
    this.dir = ensureNativeHelper(this.spec, this.cacheRoot());
    this.process = new JsonLinesProcess({ name: "the Rust front end", command: join(this.dir, BINARY) });
    return this.process;
  }

  async check(_path: string, text: string): Promise<FrontendError | null> {
    const bad = notUtf8Source(text);
    if (bad) return bad;
    return checkAnswer("the Rust front end", await this.helper().request({ op: "check", src: text }));
  }

  async compare(_path: string, before: string, after: string): Promise<FrontendVerdict> {
    const unsendable = unsendableComparison(before, after);
    if (unsendable) return unsendable;
    return compareAnswer("the Rust front end", await this.helper().request({ op: "compare", before, after }));
  }

  // "syn 1.0.107 (proc-macro2 1.0.47; built with rustc 1.63.0 ...)"
  version(): Promise<string> {
    this.versionText ??= (async () => {
      const r = await this.helper().request({ op: "version" });
      const versions = JSON.parse(readFileSync(join(this.dir as string, "versions.json"), "utf8")) as Record<string, string>;
      const tool = this.spec.toolchain();
      const built = "version" in tool ? tool.version.split(";")[0] : "rustc";
      return `${String(r.version)} ${versions.syn ?? "?"} (proc-macro2 ${versions["proc-macro2"] ?? "?"}; built with ${built})`;
    })();
    return this.versionText;
  }

  // For the benchmark: parse these files with syn inside the helper and time only the parsing.
  async parseOnly(paths: string[]): Promise<ParseOnlyResult> {
    const r = await this.helper().request({ op: "parseOnly", paths });
    return { files: Number(r.files), bytes: Number(r.bytes), failed: Number(r.failed), seconds: Number(r.seconds) };
  }

  async close(): Promise<void> {
    await this.process?.close();
    this.process = null;
  }
}

let shared: RustFrontend | null = null;

// The process-wide front end the verifiers use.
export function sharedRustFrontend(): RustFrontend {
  shared ??= new RustFrontend();
  return shared;
}
