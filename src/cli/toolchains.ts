// `hgym toolchains`: which languages' judges this machine has, building the native helpers that are missing.
// The Go, Java and Rust front ends (and the Go/Java call resolvers of dep-search) are small programs compiled on
// first use with the machine's own toolchain; this command does that ahead of time (scripts/setup.sh runs it), so
// the first generation or verification does not pay for the build, and says what to install when a toolchain
// is missing. Exit status 0 when every helper is built, 1 otherwise (the message names the package).

import type { Command } from "commander";
import type { NativeHelperSpec } from "../lang/native/build-cache.js";

interface HelperRow {
  language: string;
  role: string;
  spec: () => Promise<NativeHelperSpec>;
}

const HELPERS: readonly HelperRow[] = [
  { language: "go", role: "front end (go/parser, go/scanner)", spec: async () => (await import("../lang/frontend/go.js")).goFrontendSpec("go") },
  { language: "go", role: "dep-search resolver (go/types)", spec: async () => (await import("../resolve/go.js")).goResolverSpec("go") },
  {
    language: "java",
    role: "front end (javac parser)",
    spec: async () => {
      const m = await import("../lang/frontend/java.js");
      return m.javaFrontendSpec(m.findJdkBin(process.env.PATH ?? ""));
    },
  },
  {
    language: "java",
    role: "dep-search resolver (javac attribution)",
    spec: async () => {
      const { findJdkBin } = await import("../lang/frontend/java.js");
      return (await import("../resolve/java.js")).javaResolverSpec(findJdkBin(process.env.PATH ?? ""));
    },
  },
  { language: "rust", role: "front end (syn)", spec: async () => (await import("../lang/frontend/rust.js")).rustFrontendSpec() },
];

export function register(program: Command): void {
  program
    .command("toolchains")
    .description("check the Go, Java and Rust toolchains and build the helpers that judge those languages")
    .option("--only <languages>", "comma-separated languages (go,java,rust)")
    .action(async (opts: { only?: string }) => {
      const { ensureNativeHelper, nativeCacheRoot } = await import("../lang/native/build-cache.js");
      const only = opts.only ? new Set(opts.only.split(",").map((s) => s.trim())) : null;
      let failed = 0;
      for (const row of HELPERS) {
        if (only && !only.has(row.language)) continue;
        const t0 = performance.now();
        try {
          const dir = ensureNativeHelper(await row.spec(), nativeCacheRoot());
          process.stdout.write(`${row.language.padEnd(5)} ${row.role.padEnd(40)} ok (${((performance.now() - t0) / 1000).toFixed(1)} s) ${dir}\n`);
        } catch (err) {
          failed++;
          process.stdout.write(`${row.language.padEnd(5)} ${row.role.padEnd(40)} MISSING: ${(err as Error).message.split("\n")[0]}\n`);
        }
      }
      process.stdout.write(`Rust has no dep-search resolver that runs offline: dep-search refuses Rust repositories.\n`);
      if (failed > 0) process.exitCode = 1;
    });
}
