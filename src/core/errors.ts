// Error classes every layer may throw. They live at the bottom so that a lower layer (repo, lang, sandbox) can
// raise them without importing a higher one, and the CLI can tell the kinds apart in one place.

// An error a user can cause and fix; the CLI prints `message` (which names the input and what to do) and exits 1.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

// A record read from a file or given by a user does not match its schema (or is not JSON, or was written by a
// newer hgym). The message names the file, the line when there is one, and the field; the CLI exits 1.
export class RecordError extends UserError {
  constructor(
    message: string,
    readonly path: string,
    readonly line: number | null, // 1-based, null for a whole-file record (run.json)
  ) {
    super(message);
    this.name = "RecordError";
  }
}

// A patch that cannot be parsed or does not apply to the state it is meant for, thrown only by the patch code
// (src/patch/). For an agent's patch this is a failed attempt (verdict `patch-does-not-apply`); any other exception
// while applying a patch is a bug and propagates. For an instance's setup patch it is a bad instance (exit 1).
export class PatchError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}
