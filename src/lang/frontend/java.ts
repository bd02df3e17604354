// The Java front end: javac's own parser and scanner (JDK's compiler tree API, parse only) in one long-lived JVM
// (native/java-frontend/, built on first use with the machine's javac into the native helper cache). It judges
// "does this compile" (javac's parse errors) and "do these two texts differ only in comments, Javadoc included"
// (javac's token streams; see native/java-frontend/src/hgym/javafrontend/Frontend.java and docs/LANGUAGES.md).
// A JVM starts in ~0.5 s, so one process serves every request of this node process.

import { checkAnswer, compareAnswer, notUtf8Source, unsendableComparison } from "./native-answers.js";
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { ensureNativeHelper, nativeCacheRoot, type NativeHelperSpec } from "../native/build-cache.js";
import { JsonLinesProcess } from "../native/json-lines-process.js";
import type { FrontendError, FrontendVerdict, NativeFrontend } from "./verdict.js";

// javac's parser and scanner are internal packages of jdk.compiler: opened to our classes at build and run time.
const EXPORTS = ["parser", "api", "util"].map((p) => `--add-exports=jdk.compiler/com.sun.tools.javac.${p}=ALL-UNNAMED`);
const MAIN_CLASS = "hgym.javafrontend.Main";
const INSTALL_HINT = "install a JDK (Debian: apt-get install openjdk-17-jdk-headless) so that javac is on PATH";

export interface JavaFrontendOptions {
  jdkBin?: string; // the JDK's bin directory (javac and java); default: the one holding the `javac` on `path`
  path?: string; // the search path for javac (default: this process's PATH)
  cacheRoot?: string; // where the built helper lives (default: nativeCacheRoot())
}

// The bin directory of the JDK whose javac is first on `searchPath`, symlinks resolved (Debian's /usr/bin/javac
// points into /usr/lib/jvm/<jdk>/bin, where the matching `java` is), or null.
export function findJdkBin(searchPath: string): string | null {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const javac = join(dir, "javac");
    if (existsSync(javac) && existsSync(join(dir, "java"))) return dirname(realpathSync(javac));
  }
  return null;
}

export function javaFrontendSpec(jdkBin: string | null): NativeHelperSpec {
  return {
    name: "java-frontend",
    toolchain() {
      if (jdkBin === null || !existsSync(join(jdkBin, "javac"))) return { missing: INSTALL_HINT };
      try {
        const version = execFileSync(join(jdkBin, "javac"), ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
        return { version: `${version} (${jdkBin})` };
      } catch (err) {
        return { missing: `${join(jdkBin, "javac")} -version failed (${(err as Error).message.split("\n")[0]}): ${INSTALL_HINT}` };
      }
    },
    build(sourceDir, outDir) {
      const sources: string[] = [];
      const pkg = join(sourceDir, "src", "hgym", "javafrontend");
      for (const f of ["Json.java", "Frontend.java", "Main.java"]) sources.push(join(pkg, f));
      execFileSync(join(jdkBin as string, "javac"), [...EXPORTS, "-encoding", "UTF-8", "-nowarn", "-d", join(outDir, "classes"), ...sources], { stdio: ["ignore", "pipe", "pipe"] });
    },
  };
}

export interface ParseOnlyTiming {
  files: number;
  bytes: number;
  seconds: number; // inside the JVM: javac's parse of all files in one compilation task
  errors: number;
}

export interface JavacDeclaration {
  kind: string; // "class" | "method" | "field"
  name: string;
  line: number; // where javac's tree starts (the first annotation or modifier)
  doc: string | null;
}

function checkedText(what: string, text: string): string {
  if (notUtf8Source(text)) throw new Error(`the Java front end got ${what} that is not valid Unicode (a lone UTF-16 surrogate): not UTF-8 source`);
  return text;
}

const HELPER_NAME = "the Java front end (javac)";

export class JavaFrontend implements NativeFrontend {
  private process: JsonLinesProcess | null = null;
  private versionPromise: Promise<string> | null = null;

  constructor(private readonly opts: JavaFrontendOptions = {}) {}

  private helper(): JsonLinesProcess {
    if (this.process) return this.process;
    const jdkBin = this.opts.jdkBin ?? findJdkBin(this.opts.path ?? process.env.PATH ?? "");
    const built = ensureNativeHelper(javaFrontendSpec(jdkBin), this.opts.cacheRoot ?? nativeCacheRoot());
    this.process = new JsonLinesProcess({
      name: HELPER_NAME,
      command: join(jdkBin as string, "java"),
      // Serial GC: one request at a time needs no parallel collector threads on a shared machine.
      args: [...EXPORTS, "-XX:+UseSerialGC", "-Xmx1g", "-cp", join(built, "classes"), MAIN_CLASS],
    });
    return this.process;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  version(): Promise<string> {
    this.versionPromise ??= this.helper()
      .request({ op: "version" })
      .then((r) => String(r.version));
    return this.versionPromise;
  }

  async check(path: string, text: string): Promise<FrontendError | null> {
    const bad = notUtf8Source(text);
    if (bad) return bad;
    return checkAnswer(HELPER_NAME, await this.helper().request({ op: "check", path, text }));
  }

  async compare(path: string, before: string, after: string): Promise<FrontendVerdict> {
    const unsendable = unsendableComparison(before, after);
    if (unsendable) return unsendable;
    return compareAnswer(HELPER_NAME, await this.helper().request({ op: "compare", path, before, after }));
  }

  // The declarations javac sees in `text` (classes, methods with "<init>" for constructors, fields) and the doc
  // comment javac attaches to each (null: none): what the index's Javadoc rule is tested against.
  async docComments(path: string, text: string): Promise<JavacDeclaration[]> {
    const r = await this.helper().request({ op: "docComments", path, text: checkedText("a text", text) });
    if (!Array.isArray(r.declarations)) throw new Error("the Java front end answered docComments without declarations");
    return r.declarations.map((d: Record<string, unknown>) => ({ kind: String(d.kind), name: String(d.name), line: Number(d.line), doc: typeof d.doc === "string" ? d.doc : null }));
  }

  // For the benchmark: javac parses the files (absolute paths) in one compilation task, timed inside the JVM.
  async parseOnly(paths: readonly string[]): Promise<ParseOnlyTiming> {
    const r = await this.helper().request({ op: "parseOnly", paths: [...paths] });
    return { files: Number(r.files), bytes: Number(r.bytes), seconds: Number(r.seconds), errors: Number(r.errors) };
  }

  async close(): Promise<void> {
    await this.process?.close();
    this.process = null;
  }
}

let shared: JavaFrontend | null = null;

// The process-wide Java front end (javac from PATH, the configured native cache).
export function sharedJavaFrontend(): JavaFrontend {
  shared ??= new JavaFrontend();
  return shared;
}
