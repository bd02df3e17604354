// Checking one record against its schema, with messages a user can act on, and the version rule every versioned
// record follows (docs/RECORDS.md): a record names its kind and version in a `schema` field ("hgym.<kind>/<n>");
// a version above the newest this build reads is refused, an older one is migrated step by step to the current.

import { z } from "zod";

export type RecordSchema<T> = z.ZodType<T>;

// "field `reward.success`: expected boolean, got string" — the first problem of a failed parse, plus a count of the
// others, so a line with many bad fields still gives one readable message.
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const [first] = issues;
  if (!first) return "does not match its schema";
  const missing = issues.filter((i) => i.path.length > 0 && isMissing(input, i.path));
  const head = missing.includes(first) ? `missing field(s) ${missing.map((i) => i.path.map(String).join(".")).join(", ")}` : describeIssue(first, input);
  const rest = missing.includes(first) ? issues.length - missing.length : issues.length - 1;
  return head + (rest > 0 ? ` (and ${rest} more problem${rest > 1 ? "s" : ""})` : "");
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length > 0 ? `field \`${issue.path.map(String).join(".")}\`: ` : "";
  let what = issue.message.replace(/^Invalid (input|option): /, "");
  if (issue.code === "invalid_type") what = what.replace(/, received /, ", got ");
  // An unknown task name or language is named in the message, not only the allowed values.
  if (issue.code === "invalid_value" && issue.path.length > 0 && !isMissing(input, issue.path)) {
    what += `, got ${JSON.stringify(issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)[k], input))}`;
  }
  if (issue.code === "unrecognized_keys") what = `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(", ")}`;
  if (issue.path.length > 0 && isMissing(input, issue.path)) {
    const expected = issue.code === "invalid_type" ? issue.expected : issue.code === "invalid_value" ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` : null;
    what = expected ? `missing (expected ${expected})` : "missing";
  }
  return where + what;
}

// True when the value at `path` is absent but its parent object exists (a missing field, not a wrong type).
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let v: unknown = input;
  for (const [i, key] of path.entries()) {
    if (v === null || typeof v !== "object") return false;
    const next = (v as Record<PropertyKey, unknown>)[key];
    if (i === path.length - 1) return next === undefined;
    v = next;
  }
  return false;
}

// Parses `value` with `schema`; returns the record or the message naming the first bad field.
export function checkRecord<T>(schema: RecordSchema<T>, value: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: describeIssues(r.error.issues, value) };
}

// A step from version n to n+1 of one record kind: takes the parsed JSON of a version-n record and returns it as
// version n+1 (renames, defaults). Steps never read files or the environment.
export type Migration = (record: Record<string, unknown>) => Record<string, unknown>;

export interface VersionRule {
  kind: string; // "instance", "rollout", "run", "export"
  current: number; // the version this build writes
  // Migrations from older versions: key n migrates n -> n+1. A version below `current` without a chain of steps up
  // to `current` is refused with `refuseOlder`.
  migrations: Record<number, Migration>;
  // The version of a record that has no `schema` field (files written before the field existed), or null when the
  // field is required.
  unversioned: number | null;
  refuseOlder?: string; // what the user should do with a record too old to migrate
}

export function schemaTag<K extends string, V extends number>(kind: K, version: V): `hgym.${K}/${V}` {
  return `hgym.${kind}/${version}`;
}

// The schema of a versioned record: reads the version, refuses newer ones, migrates older ones, then checks the
// current shape. The output never carries the old shape.
export function versioned<T>(rule: VersionRule, current: RecordSchema<T>): RecordSchema<T> {
  const tag = new RegExp(`^hgym\\.${rule.kind.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/(\\d+)$`);
  const migrate = (value: unknown, ctx: z.core.$RefinementCtx): unknown => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value; // the shape check names it
    const rec = value as Record<string, unknown>;
    let version: number;
    if (!("schema" in rec)) {
      if (rule.unversioned === null) {
        ctx.addIssue({ code: "custom", path: ["schema"], message: `missing (expected "${schemaTag(rule.kind, rule.current)}")` });
        return z.NEVER;
      }
      version = rule.unversioned;
    } else {
      const m = typeof rec.schema === "string" ? tag.exec(rec.schema) : null;
      if (!m) {
        ctx.addIssue({ code: "custom", path: ["schema"], message: `expected "${schemaTag(rule.kind, rule.current)}", got ${JSON.stringify(rec.schema)} (a record of another kind?)` });
        return z.NEVER;
      }
      version = Number(m[1]);
    }
    if (version > rule.current) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `written by a newer hgym (${rule.kind} schema ${version}; this hgym reads up to ${rule.current}): upgrade hgym`,
      });
      return z.NEVER;
    }
    let out = rec;
    for (let v = version; v < rule.current; v++) {
      const step = rule.migrations[v];
      if (!step) {
        ctx.addIssue({
          code: "custom",
          path: [],
          message: `written by an older hgym (${rule.kind} schema ${version}; this hgym reads ${oldestMigratable(rule)} to ${rule.current}): ${rule.refuseOlder ?? "write it again with this hgym"}`,
        });
        return z.NEVER;
      }
      out = step(out);
    }
    return { ...out, schema: schemaTag(rule.kind, rule.current) };
  };
  return z.preprocess(migrate, current) as unknown as RecordSchema<T>;
}

function oldestMigratable(rule: VersionRule): number {
  let v = rule.current;
  while (rule.migrations[v - 1]) v--;
  return v;
}

// Compile-time check that a hand-written interface and a schema's output describe the same record (both ways), so
// the two cannot drift: `const _x: SameShape<A, B> = true;` fails to compile when they differ.
// (Identity, not mutual assignability: an optional field on one side only is a difference too.)
export type SameShape<A, B> = (<T>() => T extends Simplify<A> ? 1 : 2) extends <T>() => T extends Simplify<B> ? 1 : 2 ? true : false;

// Flattens interfaces, intersections and nested objects into plain object types, so that two ways of writing the
// same record compare equal.
type Simplify<T> = T extends (infer E)[] ? Simplify<E>[] : T extends object ? { [K in keyof T]: Simplify<T[K]> } : T;
