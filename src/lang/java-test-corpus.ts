// Real Java for tests: files of the JDK's own sources (src.zip of Debian's openjdk-17, installed by
// scripts/setup.sh with openjdk-17-source), extracted at test time into a temporary directory.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const JDK_SRC_ZIP = "/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip";

// A spread of java.util: generics, nested and anonymous classes, interfaces with default methods, enums-in-files,
// lambdas, Javadoc with @deprecated and {@code} tags.
export const JDK_SAMPLE = [
  "java.base/java/util/ArrayList.java",
  "java.base/java/util/AbstractMap.java",
  "java.base/java/util/Optional.java",
  "java.base/java/util/Comparator.java",
  "java.base/java/util/StringJoiner.java",
  "java.base/java/util/Objects.java",
  "java.base/java/util/BitSet.java",
  "java.base/java/util/ArrayDeque.java",
  "java.base/java/util/Date.java",
  "java.base/java/util/Base64.java",
  "java.base/java/util/concurrent/TimeUnit.java",
  "java.base/java/util/stream/Collectors.java",
];

// Extracts `entries` of src.zip (paths inside the zip) into a new temporary directory; returns the directory and
// the files' absolute paths. The caller removes the directory (`removeJdkSources`).
export function extractJdkSources(entries: readonly string[] = JDK_SAMPLE): { dir: string; files: string[] } {
  if (!existsSync(JDK_SRC_ZIP)) throw new Error(`${JDK_SRC_ZIP} is missing: install openjdk-17-source (scripts/setup.sh does)`);
  const dir = mkdtempSync(join(tmpdir(), "hgym-jdk-src-"));
  const script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor name in sys.argv[3:]: z.extract(name, sys.argv[2])\n";
  execFileSync("python3", ["-c", script, JDK_SRC_ZIP, dir, ...entries]);
  return { dir, files: entries.map((e) => join(dir, e)) };
}

export function removeJdkSources(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// The texts of `entries`, read then removed from disk (tests ran many times must not leave copies in the temp dir).
export function readJdkSources(entries: readonly string[] = JDK_SAMPLE): { path: string; text: string }[] {
  const { dir, files } = extractJdkSources(entries);
  try {
    return files.map((p, i) => ({ path: entries[i] as string, text: readFileSync(p, "utf8") }));
  } finally {
    removeJdkSources(dir);
  }
}
