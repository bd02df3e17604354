// Mapping analyzer answers (absolute paths) back to repository-relative paths. The repository root is compared
// both as given and after resolving symlinks, because analyzers report real paths (on macOS /tmp is /private/tmp)
// while callers pass whatever path they hold. Installed packages inside the checkout (node_modules, a virtualenv's
// site-packages) count as outside: they are not the repository's own definitions.

import { realpathSync } from "node:fs";
import path from "node:path";

const THIRD_PARTY_DIRS = new Set(["node_modules", "site-packages", "dist-packages"]);

export class RepoPaths {
  readonly root: string;
  private readonly roots: string[];

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
    const real = safeRealpath(this.root);
    this.roots = real === this.root ? [this.root] : [this.root, real];
  }

  // Repository-relative forward-slash path, or null when the file lies outside the repository.
  relative(absolute: string): string | null {
    for (const root of this.roots) {
      const rel = path.relative(root, absolute);
      if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) continue;
      const parts = rel.split(path.sep);
      // Installed third-party code inside the checkout is not repository code.
      if (parts.some((part) => THIRD_PARTY_DIRS.has(part))) return null;
      return parts.join("/");
    }
    return null;
  }

  absolute(relative: string): string {
    return path.join(this.root, ...relative.split("/"));
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
