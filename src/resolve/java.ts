// Java call resolution with javac's attribution: native/java-resolver (one Java file, JDK only) parses and
// attributes every .java file of the repository in one compiler task, with the repository's source roots as the
// source path and nothing on the class path, and answers each call from the symbol javac bound it to (overloads
// are javac's own choice). The rules (native/java-resolver/JavaResolver.java has the details):
// - a concrete method of the repository → its declaration (statically bound, as the TypeScript resolver does);
//   an abstract or interface method of the repository → ambiguous ("abstract-method", "interface-method");
// - a method outside the repository (the JDK) → external, except the single abstract method of a functional
//   interface (`f.apply(x)`, `r.run()`): the lambda the value holds decides → ambiguous "functional-interface";
// - `new Foo(..)`, `this(..)`, `super(..)` → the class (its name), as `Foo(...)` is the class in Python;
// - a call javac cannot bind whose receiver's type javac cannot find (a library that is not installed), or whose
//   name no repository class in scope declares → external; otherwise ambiguous "unresolved-overload".

import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../core/errors.js";
import { findJdkBin } from "../lang/frontend/java.js";
import { ensureNativeHelper, nativeCacheRoot, type NativeHelperSpec } from "../lang/native/build-cache.js";
import { NativeResolver } from "./native-resolver.js";
import type { CallResolver } from "./types.js";

export interface JavaResolverOptions {
  jdkBin?: string; // the JDK's bin directory (javac and java); default: the JDK of the first `javac` on PATH
  cacheRoot?: string; // where the built helper is kept (default: the configured native cache)
}

// The helper reads javac's tree positions (JCTree.pos), an internal package of jdk.compiler.
const EXPORTS = ["--add-exports", "jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED"];
const INSTALL_HINT = "install a JDK (Debian: apt-get install openjdk-17-jdk-headless) so that javac is on PATH; dep-search needs it to resolve Java calls";

export function javaResolverSpec(jdkBin: string | null): NativeHelperSpec {
  return {
    name: "java-resolver",
    toolchain() {
      if (jdkBin === null || !existsSync(join(jdkBin, "javac"))) return { missing: INSTALL_HINT };
      try {
        return { version: execFileSync(join(jdkBin, "javac"), ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() };
      } catch (err) {
        return { missing: `${join(jdkBin, "javac")} -version failed (${(err as Error).message.split("\n")[0]}): ${INSTALL_HINT}` };
      }
    },
    build(sourceDir, outDir) {
      execFileSync(join(jdkBin as string, "javac"), [...EXPORTS, "-encoding", "UTF-8", "-nowarn", "-d", join(outDir, "classes"), join(sourceDir, "JavaResolver.java")], {
        stdio: ["ignore", "pipe", "pipe"],
      });
    },
  };
}

export async function createJavaResolver(rootDir: string, opts: JavaResolverOptions = {}): Promise<CallResolver> {
  if (!existsSync(rootDir) || !statSync(rootDir).isDirectory()) throw new UserError(`repository directory ${rootDir} does not exist; pass the path of a checked-out repository.`);
  const jdkBin = opts.jdkBin ?? findJdkBin(process.env.PATH ?? "");
  const dir = ensureNativeHelper(javaResolverSpec(jdkBin), opts.cacheRoot ?? nativeCacheRoot());
  return new NativeResolver({
    name: "the Java resolver (javac)",
    command: join(jdkBin as string, "java"),
    args: [...EXPORTS, "-Xss8m", "-cp", join(dir, "classes"), "JavaResolver", rootDir],
  });
}
