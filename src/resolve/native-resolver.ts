// A CallResolver answered by a helper program of the language's own toolchain (go/types for Go, javac's
// attribution for Java), running as a long-lived JSON-lines process over one repository. The helper returns
// ResolveResult records as this module's types define them; they cross a process boundary, so each is checked
// here and a malformed one becomes "unresolved" with the reason instead of entering the truth.

import { z } from "zod";
import { JsonLinesProcess } from "../lang/native/json-lines-process.js";
import type { CallResolver, ResolveRequest, ResolveResult } from "./types.js";

const location = z.object({ file: z.string(), line: z.number().int(), column: z.number().int(), inRepo: z.boolean() });
const resultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("resolved"), targets: z.array(location).min(1), via: z.enum(["builtin", "call-method", "type", "non-repo-import"]).optional() }),
  z.object({ status: z.literal("ambiguous"), kind: z.string().min(1), reason: z.string() }),
  z.object({ status: z.literal("unresolved"), reason: z.string() }),
]);

export interface NativeResolverOptions {
  name: string; // for messages: "the Go resolver (go/types)"
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export class NativeResolver implements CallResolver {
  private readonly process: JsonLinesProcess;
  private closed = false;

  constructor(private readonly opts: NativeResolverOptions) {
    this.process = new JsonLinesProcess({ name: opts.name, command: opts.command, args: opts.args, env: opts.env });
  }

  async resolve(requests: ResolveRequest[]): Promise<ResolveResult[]> {
    if (this.closed) throw new Error(`${this.opts.name} used after close()`);
    if (requests.length === 0) return [];
    const answer = await this.process.request({ op: "resolve", requests });
    const results = answer.results;
    if (!Array.isArray(results) || results.length !== requests.length) {
      throw new Error(`${this.opts.name} answered ${Array.isArray(results) ? results.length : "no"} results for ${requests.length} requests`);
    }
    return results.map((r): ResolveResult => {
      const parsed = resultSchema.safeParse(r);
      if (parsed.success) return parsed.data;
      return { status: "unresolved", reason: `${this.opts.name} gave a malformed answer: ${JSON.stringify(r).slice(0, 200)}` };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.process.close();
  }
}
