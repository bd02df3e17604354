// One long-lived call resolver per repository and language, over a temporary copy of the snapshot (pyright and
// the TypeScript language service read files from disk). Shared by all targets of the repository, closed at the
// end, and the copy removed.

import { isEcmascript } from "../../lang/profile.js";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LanguageId } from "../../lang/types.js";
import type { CallResolver, ResolveRequest, ResolveResult } from "../../resolve/types.js";
import { createResolver } from "../../resolve/index.js";
import { writeAllPlatformsConfig } from "../../resolve/pyright-config.js";
import { languageForPath } from "../common/code.js";
import type { RepoView } from "../../core/repo-view.js";
import { runPrefix } from "../../core/run-scope.js";

export interface RepoResolvers {
  resolve(language: LanguageId, requests: ResolveRequest[]): Promise<ResolveResult[]>;
  close(): Promise<void>;
}

// Writes every file of the view under a fresh temporary directory (named under the run prefix, so `hgym gc`
// removes it if this process dies) and returns it, with a pyrightconfig.json that makes pyright analyse for
// every platform (pyright-config.ts): a platform-dependent binding is then ambiguous.
export function materializeView(view: RepoView): string {
  const dir = mkdtempSync(join(tmpdir(), `${runPrefix()}-dep-search-`));
  for (const path of view.paths()) {
    const text = view.read(path);
    if (text === null) continue;
    const dest = join(dir, path);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
  }
  writeAllPlatformsConfig(dir);
  return dir;
}

// Resolvers are created lazily, one per analyzer (Python; TypeScript/JavaScript share one).
export function openRepoResolvers(view: RepoView): RepoResolvers {
  let dir: string | null = null;
  const resolvers = new Map<string, Promise<CallResolver>>();
  const analyzer = (l: LanguageId): string => (isEcmascript(l) ? "typescript" : l);
  return {
    async resolve(language, requests) {
      if (requests.length === 0) return [];
      dir ??= materializeView(view);
      const kind = analyzer(language);
      let resolver = resolvers.get(kind);
      if (!resolver) {
        // The TypeScript service loads the listed files as its program; pyright finds the files itself.
        const files = view.paths().filter((p) => {
          const l = languageForPath(p);
          return l !== null && analyzer(l) === kind;
        });
        resolver = createResolver(language, dir, files);
        resolvers.set(kind, resolver);
      }
      return (await resolver).resolve(requests);
    },
    async close() {
      for (const r of resolvers.values()) {
        try {
          await (await r).close();
        } catch {
          // A resolver that failed to start has nothing to close.
        }
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
