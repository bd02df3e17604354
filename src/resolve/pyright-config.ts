// Pyright analyses for the host platform unless told otherwise: with `sys.platform == "win32"` evaluated statically
// on Linux, the Windows branch is unreachable and its definitions invisible, so a call whose binding depends on the
// platform looks like it has one callee. `pythonPlatform: "All"` (accepted only in a config file, not through the
// language server's settings) makes pyright evaluate no platform test statically, so both branches' definitions
// are seen and the call is reported with both (and is then ambiguous). This file writes that setting into the
// pyrightconfig.json of a SCRATCH copy of a repository (the dep-search generator's temporary snapshot), keeping
// the repository's own settings (include paths, extraPaths, ...) and overriding the platform and the inference of
// container literals.
//
// Strict list/dict/set inference: by default pyright types `{'%': (PercentStyle, f), '$': (TemplateStyle, g)}` as a
// dict of `object` (or of one entry's type when it is a supertype of the others), so a value taken out of it has no
// usable type — `self._style.format(r)` in logging's Formatter went unresolved and the target was dropped — or the
// type of one entry only, which names one callee where another may run. Strict inference keeps the union of the
// entries' types, so a method all of them share resolves to that one definition and a method they define
// differently is several definitions (ambiguous), as the dependency rule wants.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const ALL_PLATFORMS = "All";
const STRICT_INFERENCE = { strictListInference: true, strictDictionaryInference: true, strictSetInference: true };

// The pyrightconfig.json text to use given the repository's own (null when it has none). A config that does not
// parse as a JSON object is replaced: pyright would ignore it too.
export function allPlatformsConfigText(existing: string | null): string {
  let config: Record<string, unknown> = {};
  if (existing !== null) {
    try {
      const parsed: unknown = JSON.parse(stripJsonComments(existing));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
    } catch {
      config = {};
    }
  }
  config.pythonPlatform = ALL_PLATFORMS;
  Object.assign(config, STRICT_INFERENCE);
  // Execution environments may pin a platform of their own; drop the pin so "All" applies everywhere.
  if (Array.isArray(config.executionEnvironments)) {
    config.executionEnvironments = config.executionEnvironments.map((env: unknown) => {
      if (!env || typeof env !== "object") return env;
      const copy = { ...(env as Record<string, unknown>) };
      delete copy.pythonPlatform;
      return copy;
    });
  }
  return JSON.stringify(config, null, 2) + "\n";
}

// Writes the all-platforms config into `rootDir`, which must be a scratch copy (the repository's own file is
// rewritten). Pyright reads pyrightconfig.json in preference to pyproject.toml's [tool.pyright].
export function writeAllPlatformsConfig(rootDir: string): void {
  const file = path.join(rootDir, "pyrightconfig.json");
  const existing = existsSync(file) ? readFileSync(file, "utf8") : null;
  writeFileSync(file, allPlatformsConfigText(existing));
}

// pyrightconfig.json may hold // and /* */ comments (pyright reads it as JSONC); strings are left alone.
function stripJsonComments(text: string): string {
  return text.replace(/"(?:\\.|[^"\\])*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith('"') ? m : ""));
}
