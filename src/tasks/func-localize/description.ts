// Descriptions of a target's behaviour, the only clue the agent gets. Two sources: an LLM writing from the code
// and docstring (when an endpoint is configured), or the docstring's first paragraph with the name removed
// without leaving holes ("Adds an to the file." is never written: such a sentence is rephrased or dropped).
// Either way the target's name and its word parts must not appear; an LLM failure never silently falls back to
// the docstring (the paper's code did, leaking the docstring's first line verbatim into the task).

import OpenAI from "openai";
import type { Endpoint } from "../../agent/model-client.js";
import { findLeaks } from "../common/name-words.js";
import { descriptionHoles, withoutName } from "./name-free.js";

export type DescriptionOutcome = { ok: true; text: string; source: string } | { ok: false; reason: string };

const MIN_WORDS = 3;
const MAX_SENTENCES = 3;

// Sections of structured docstrings that describe parameters, not behaviour.
const SECTION_START = /^\s*(args|arguments|parameters|params|returns?|yields?|raises?|throws?|examples?|notes?|see also|attributes|keyword arguments|usage)\s*:?\s*$|^\s*[:@](param|type|return|returns|rtype|raises|throws|example)\b|^\s*-{3,}\s*$|^\s*>>>/i;

const IMPERATIVE_VERBS = new Set(
  (
    "add append apply build calculate call check clear close collect combine compare compute construct convert copy count create " +
    "decode delete determine display emit encode ensure escape evaluate execute extract fetch filter find format generate get " +
    "handle initialize initialise insert iterate join load look make map match merge normalize normalise open parse perform " +
    "prepare print process produce put raise read register remove render replace reset resolve return run save search send " +
    "serialize set show sort split start stop store strip test transform try update validate verify walk wrap write yield"
  ).split(" "),
);

// "Return" -> "Returns", "Apply" -> "Applies", "Fetch" -> "Fetches": a description reads as a statement about
// the code rather than as the docstring's command.
function thirdPerson(verb: string): string {
  const lower = verb.toLowerCase();
  let out: string;
  if (/[^aeiou]y$/.test(lower)) out = lower.slice(0, -1) + "ies";
  else if (/(s|sh|ch|x|z|o)$/.test(lower)) out = lower + "es";
  else out = lower + "s";
  return verb[0] === verb[0]?.toUpperCase() ? out[0]?.toUpperCase() + out.slice(1) : out;
}

const DETERMINERS = new Set("a an the all any each every this that these those its their one some no it them".split(" "));

// "Turn a path into ..." is a command; "Keeps the ..." or "Helper for ..." is not.
// Function words (question words, pronouns, prepositions, conjunctions, quantifiers) and adjectives that often
// open a docstring: followed by a determiner they still are no command ("What all units ..." must not become
// "Whats all units ...").
const NOT_VERBS = new Set(
  (
    "it if in on as at for from given when while with without this that these those each every all any some a an the one no only " +
    "what which who whom whose where whence how why whether there here both either neither such many most more much few several " +
    "other another same also not just so then than once since until unless because before after under over into onto about " +
    "above below between through during per via like unlike across along among around behind beyond despite except inside " +
    "near off out outside past toward towards upon within up down first last next new old simple basic default internal " +
    "private public base abstract generic optional whole entire main current"
  ).split(" "),
);

function looksImperative(word: string, next: string | undefined): boolean {
  const lower = word.toLowerCase();
  if (IMPERATIVE_VERBS.has(lower)) return true;
  if (NOT_VERBS.has(lower) || /ed$/.test(lower)) return false; // "Called the first time ..." is no command
  return !lower.endsWith("s") && next !== undefined && DETERMINERS.has(next.toLowerCase());
}

export function firstParagraph(docText: string): string {
  const kept: string[] = [];
  for (const line of docText.split("\n")) {
    if (line.trim() === "") {
      if (kept.length > 0) break;
      continue;
    }
    if (SECTION_START.test(line)) break;
    kept.push(line.trim());
  }
  return kept.join(" ").replace(/\s+/g, " ").trim();
}

function sentencesOf(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [text]).map((s) => s.trim()).filter((s) => s !== "");
}

// Deterministic description from the docstring: the first paragraph's first sentences with the name taken out
// (name-free.ts: rephrased where that reads cleanly, the sentence dropped where it cannot), imperative mood turned
// into a statement. Fails (so the instance is dropped, counted by reason) when no sentence survives, too little
// is left, or a hole or the name would remain.
export function describeFromDocstring(docText: string, name: string): DescriptionOutcome {
  const paragraph = firstParagraph(docText);
  if (paragraph === "") return { ok: false, reason: "description-too-short" };
  const kept: string[] = [];
  let unremovable = 0;
  for (const [n, sentence] of sentencesOf(paragraph).slice(0, MAX_SENTENCES).entries()) {
    const free = withoutName(sentence, name);
    if (free === null) {
      unremovable++;
      continue;
    }
    // The docstring's command becomes a statement: the first sentence by the general rule, later ones only for
    // verbs we know ("If the ..." must not become "Ifs the ...").
    let text = free.replace(/^([A-Za-z]+)(?=(\s+([A-Za-z]+))?)/, (w, _w: string, _s: string, next: string | undefined) =>
      (n === 0 ? looksImperative(w, next) : IMPERATIVE_VERBS.has(w.toLowerCase())) ? thirdPerson(w) : w,
    );
    text = text[0]?.toUpperCase() + text.slice(1);
    if (!/[.!?]$/.test(text)) text += ".";
    if (descriptionHoles(text).length > 0) {
      unremovable++;
      continue;
    }
    kept.push(text);
  }
  const text = kept.join(" ");
  if (kept.length === 0) return { ok: false, reason: unremovable > 0 ? "description-name-not-removable" : "description-too-short" };
  if ((text.match(/[A-Za-z0-9]+/g) ?? []).length < MIN_WORDS) return { ok: false, reason: "description-too-short" };
  if (findLeaks(text, [name]).length > 0) return { ok: false, reason: "name-leak" };
  return { ok: true, text, source: "docstring" };
}

export interface LlmDescriptionInput {
  name: string;
  kind: string;
  language: string;
  code: string; // the definition's original source, docstring included
  seed: number;
}

const MAX_CODE_CHARS = 8000;
const LLM_ATTEMPTS = 3; // the first try plus up to two regenerations when the name leaks

function prompt(input: LlmDescriptionInput, forbidden: string[], previousLeak: string[] | null): string {
  const code = input.code.length > MAX_CODE_CHARS ? input.code.slice(0, MAX_CODE_CHARS) + "\n…" : input.code;
  return [
    `Below is a ${input.kind.replace(/_/g, " ")} from a ${input.language} code base, with its documentation.`,
    "In one to three sentences, say what it does and what it is for, so that a developer who knows the code base",
    "could pick it out among many others. Describe behaviour, inputs and results in plain words.",
    `Never write its name or any of these words, in any form or case: ${forbidden.join(", ")}.`,
    "Do not name the file, do not quote its signature, and do not start with \"This function\" or \"This class\".",
    previousLeak ? `Your previous answer used the forbidden word(s) ${previousLeak.join(", ")}; avoid them.` : "",
    "Reply with the description only.",
    "",
    "```",
    code,
    "```",
  ]
    .filter((l) => l !== "")
    .join("\n");
}

// Asks the endpoint for a description, regenerating up to twice when the name leaks.
export async function describeWithLlm(endpoint: Endpoint, input: LlmDescriptionInput, client?: OpenAI): Promise<DescriptionOutcome> {
  const api = client ?? new OpenAI({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, maxRetries: 3, timeout: 120_000 });
  const forbidden = [...new Set([input.name, ...input.name.split(/[^A-Za-z0-9]+/).filter((p) => p.length >= 4)])];
  let leak: string[] | null = null;
  for (let attempt = 0; attempt < LLM_ATTEMPTS; attempt++) {
    let text: string;
    try {
      const res = await api.chat.completions.create({
        model: endpoint.model,
        temperature: 0.3,
        seed: input.seed + attempt,
        max_tokens: 300,
        messages: [{ role: "user", content: prompt(input, forbidden, leak) }],
      });
      text = (res.choices[0]?.message?.content ?? "").replace(/\s+/g, " ").trim();
    } catch (e) {
      return { ok: false, reason: `llm-error` + (e instanceof OpenAI.APIError && e.status ? `-${e.status}` : "") };
    }
    if ((text.match(/[A-Za-z0-9]+/g) ?? []).length < MIN_WORDS) {
      leak = null;
      continue;
    }
    const found = findLeaks(text, [input.name]);
    if (found.length === 0) return { ok: true, text, source: `llm:${endpoint.model}` };
    leak = found;
  }
  return { ok: false, reason: leak ? "name-leak" : "description-too-short" };
}
