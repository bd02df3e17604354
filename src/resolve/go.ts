// Go call resolution with go/types: native/go-resolver (a Go program, standard library only) type-checks the
// repository's packages from source, the standard library from the toolchain's export data, and stands an empty
// package in for every other import (a module that is not downloaded), so calls reached through one are external
// rather than ambiguous. The rules (native/go-resolver/main.go has the details):
// - a function or a concrete method (promoted through embedding included; a generic one as its generic
//   declaration) → its declaration, in the repository or outside it;
// - a method of an interface (an interface value, a type parameter's constraint) → ambiguous "interface-method";
// - a variable, field or parameter of function type → ambiguous "func-value";
// - builtins (len, append, make, new, panic ...) and conversions `T(x)` → external (no code of T runs);
// - a call whose file is built on several platforms must name the same declaration on linux/amd64,
//   windows/amd64 and darwin/arm64, and that declaration must be built wherever the calling file is (every
//   platform of `go tool dist list`, cgo on and off); else ambiguous "platform-dependent".

import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../core/errors.js";
import { ensureNativeHelper, nativeCacheRoot, type NativeHelperSpec } from "../lang/native/build-cache.js";
import { NativeResolver } from "./native-resolver.js";
import type { CallResolver } from "./types.js";

export interface GoResolverOptions {
  go?: string; // the `go` command (default: `go` on PATH)
  cacheRoot?: string; // where the built helper is kept (default: the configured native cache)
}

// go build needs a writable build cache; a HOME-less sandbox has none, so one under the temp dir stands in.
// A GOOS/GOARCH/GOFLAGS of the user's shell must not cross-compile the helper or change what it loads.
function goEnv(): NodeJS.ProcessEnv {
  const { GOOS: _os, GOARCH: _arch, GOFLAGS: _flags, ...env } = process.env;
  return { ...env, GOCACHE: process.env.GOCACHE ?? join(tmpdir(), "hgym-gocache"), GOPROXY: "off", GOWORK: "off", GO111MODULE: "on", CGO_ENABLED: "0" };
}

export function goResolverSpec(go = "go"): NativeHelperSpec {
  return {
    name: "go-resolver",
    toolchain() {
      try {
        return { version: execFileSync(go, ["version"], { encoding: "utf8", env: goEnv() }).trim() };
      } catch {
        return { missing: `the Go toolchain (\`${go}\`) is not available: install golang-go (Debian) or put \`go\` on PATH; dep-search needs it to resolve Go calls` };
      }
    },
    build(sourceDir, outDir) {
      execFileSync(go, ["build", "-o", join(outDir, "go-resolver"), "."], { cwd: sourceDir, env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
    },
  };
}

export async function createGoResolver(rootDir: string, opts: GoResolverOptions = {}): Promise<CallResolver> {
  if (!existsSync(rootDir) || !statSync(rootDir).isDirectory()) throw new UserError(`repository directory ${rootDir} does not exist; pass the path of a checked-out repository.`);
  const go = opts.go ?? "go";
  const dir = ensureNativeHelper(goResolverSpec(go), opts.cacheRoot ?? nativeCacheRoot());
  // The standard library's export data is found under GOROOT: the toolchain's own, stated rather than inferred.
  const goroot = execFileSync(go, ["env", "GOROOT"], { encoding: "utf8", env: goEnv() }).trim();
  return new NativeResolver({ name: "the Go resolver (go/types)", command: join(dir, "go-resolver"), args: [rootDir], env: { ...goEnv(), GOROOT: goroot } });
}
