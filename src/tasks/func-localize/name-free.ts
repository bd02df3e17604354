// Taking a target's name out of one docstring sentence without leaving a hole. Cutting the word out ("Adds an
// entry to the file." for `entry` -> "Adds an to the file.") is what offline descriptions used to do. Here each
// word that leaks the name (name-words.ts) is handled by where it stands:
//   - a modifier before another noun ("the header value")        -> removed            ("the value")
//   - the head of a noun phrase after a determiner ("an entry")   -> a generic noun     ("an item"), article fixed
//   - the object of a preposition or verb ("converts to bytes")   -> "the given value"
//   - the subject at the sentence start ("Foo returns ...")        -> "It"
//   - the leading verb ("Escape all characters ...")               -> "Handles"
// Anything else (a predicate adjective, a code span such as ``name()`` or :func:`name`, a word after a verb we do
// not know) makes the sentence unusable and the caller drops it. Every rewritten sentence must then pass
// `descriptionHoles`, an independent check for the marks a cut leaves (dangling articles and prepositions, empty
// code quotes, doubled words, wrong a/an, doubled spaces, space before punctuation).

import { leakTerms, splitIdentifier } from "../common/name-words.js";

const DETERMINERS = new Set("a an the this that these those each every any some no its their our your his her my another one".split(" "));
const PREPOSITIONS = new Set("of to in into onto for with without on by from at as about over under via than between within through per like against".split(" "));
const FUNCTION_WORDS = new Set([
  ...DETERMINERS,
  ...PREPOSITIONS,
  ..."and or but nor if when whether while unless because so then is are was were be been being has have had do does did can could will would should may might must not also only it they which who whose whom what where how there here using including containing given except after before until since".split(" "),
]);
// Verbs after which a leaking word is plainly the object ("returns header" -> "returns the given value").
const TRANSITIVE = /^(returns?|gets?|sets?|takes?|creates?|builds?|makes?|reads?|writes?|adds?|removes?|updates?|yields?|produces?|converts?|parses?|formats?|uses?|accepts?|wraps?|calls?|finds?|checks?|handles?|stores?|loads?|sends?|receives?|encodes?|decodes?|generates?)$/i;

// A leading verb is recognised from this list (and its third-person form) or from the -s form before a determiner.
const KNOWN_VERBS = new Set(
  (
    "add append apply build calculate call check clear close collect combine compare compute construct convert copy count create " +
    "decode delete determine display emit encode ensure escape evaluate execute extract fetch filter find format generate get " +
    "handle initialize initialise insert iterate join load look make map match merge normalize normalise open parse perform " +
    "prepare print process produce put raise read register remove render replace reset resolve return run save search send " +
    "serialize set show sort split start stop store strip test transform try update validate verify walk wrap write yield " +
    "quote unquote encode escape flatten pack unpack dump dumps load loads lock unlock wait notify shutdown connect"
  ).split(" "),
);

function isKnownVerb(word: string): boolean {
  const w = word.toLowerCase();
  if (KNOWN_VERBS.has(w)) return true;
  const stems = [w.replace(/ies$/, "y"), w.replace(/es$/, ""), w.replace(/s$/, "")];
  return stems.some((s) => s !== w && KNOWN_VERBS.has(s));
}

interface Token {
  text: string;
  kind: "word" | "code" | "space" | "punct";
}

// Words keep hyphens and apostrophes inside them ("header-like", "object's"); code spans are one token.
const TOKEN = /(:[\w:.-]+:`[^`]*`|``[^`]*``|`[^`]*`|[A-Za-z_][\w.]*\(\)|[A-Za-z0-9_]+(?:[-'][A-Za-z0-9_]+)*)|(\s+)|([^\sA-Za-z0-9_])/g;

function tokenize(sentence: string): Token[] {
  const out: Token[] = [];
  for (const m of sentence.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const code = /^[:`]/.test(m[1]) || m[1].endsWith("()");
      out.push({ text: m[1], kind: code ? "code" : "word" });
    } else if (m[2] !== undefined) out.push({ text: " ", kind: "space" });
    else out.push({ text: m[0], kind: "punct" });
  }
  return out;
}

function leaks(text: string, terms: Set<string>): boolean {
  for (const w of text.match(/[A-Za-z0-9_]+/g) ?? []) {
    if (terms.has(w.toLowerCase())) return true;
    for (const p of splitIdentifier(w)) if (terms.has(p)) return true;
  }
  return false;
}

// The article a word takes. Vowel letters take "an", except u-words said with a "you" sound and "one".
function articleFor(word: string): "a" | "an" {
  const w = word.toLowerCase();
  if (/^(one|once|uni|use|usu|uti|ure|euro|eu)/.test(w)) return "a";
  if (/^(hour|honest|honou?r|heir)/.test(w)) return "an";
  if (/^[A-Z]{2,}/.test(word)) return /^[AEFHILMNORSX]/.test(word) ? "an" : "a"; // acronyms read letter by letter
  return /^[aeiou]/.test(w) ? "an" : "a";
}

// The sentence without the name, or null when the name cannot be taken out cleanly.
export function withoutName(sentence: string, name: string): string | null {
  const terms = leakTerms(name);
  // A snake_case / lowercase name is a function's: its leading word is a verb ("compress", "read_defaults").
  const verbName = /^_*[a-z]/.test(name);
  const firstPart = splitIdentifier(name)[0] ?? "";
  const tokens = tokenize(sentence);
  type Item = { t: Token; i: number };
  const words = (): Item[] => tokens.map((t, i) => ({ t, i })).filter((x) => x.t.kind === "word" || x.t.kind === "code");
  const adjacent = (a: Item | undefined, b: Item | undefined) => a !== undefined && b !== undefined && tokens.slice(a.i + 1, b.i).every((t) => t.kind === "space");
  for (let guard = 0; guard < 20; guard++) {
    const list = words();
    const pos = list.findIndex((x) => leaks(x.t.text, terms));
    if (pos < 0) break;
    // A run of adjacent leaking words ("invalid operation") is one phrase.
    let end = pos;
    while (end + 1 < list.length && adjacent(list[end], list[end + 1]) && leaks((list[end + 1] as Item).t.text, terms)) end++;
    const at = list[pos] as Item;
    const last = list[end] as Item;
    if (list.slice(pos, end + 1).some((x) => x.t.kind === "code")) return null;
    // Attached to code punctuation ("S.count(value)", "os.path"): part of an expression, not of the prose.
    const before = tokens[at.i - 1]?.text ?? "";
    const after = tokens[last.i + 1]?.text ?? "";
    if (before === "." || before === "_" || after === "(" || (after === "." && /^\w/.test(tokens[last.i + 2]?.text ?? ""))) return null;
    const prev = list[pos - 1];
    const next = list[end + 1];
    const prevWord = prev?.t.text.toLowerCase() ?? "";
    const nextWord = next?.t.text ?? "";
    const afterNext = list[end + 2]?.t.text.toLowerCase() ?? "";
    // "contains the ...": an -s word followed by a determiner is read as a verb, not as a noun being modified.
    const nextIsVerb = next !== undefined && (isKnownVerb(nextWord) || /^[a-z]+ed$/.test(nextWord) || (/[^s]s$/.test(nextWord) && DETERMINERS.has(afterNext)));
    const nextIsNoun =
      next !== undefined && next.t.kind === "word" && adjacent(last, next) && /^[A-Za-z][A-Za-z-]*$/.test(nextWord) && !FUNCTION_WORDS.has(nextWord.toLowerCase()) && !nextIsVerb;
    const possessive = /'s$/.test(last.t.text);
    // "a ... items" cannot be: after a/an the generic noun stays singular.
    const plural = /[^s']s$/.test(last.t.text) && !/^an?$/i.test(prevWord);
    const replace = (text: string) => {
      tokens.splice(at.i, last.i - at.i + 1, { text, kind: "word" });
    };
    // A determiner before the phrase (directly, or across up to two adjective-like words)?
    let det: Item | undefined;
    for (let k = pos - 1; k >= Math.max(0, pos - 3); k--) {
      const w = list[k] as Item;
      if (!adjacent(w, list[k + 1])) break;
      if (DETERMINERS.has(w.t.text.toLowerCase())) {
        det = w;
        break;
      }
      if (FUNCTION_WORDS.has(w.t.text.toLowerCase()) || w.t.kind === "code") break;
    }
    const subjectOfVerb = next !== undefined && adjacent(last, next) && (/^(can|could|will|would|should|may|might|must|does|did|has|had|have|is|was|are|were)$/i.test(nextWord) || /^[a-z]+(?:[^s]s|ed)$/.test(nextWord));
    // "multiply multiplies two operands", "Foo can ...": the leading word is the subject, not a verb.
    const leadIsSubject = subjectOfVerb && (isKnownVerb(nextWord) || /^(can|could|will|would|should|may|might|must)$/i.test(nextWord) || nextWord.toLowerCase().startsWith(at.t.text.toLowerCase().slice(0, 4)));
    if (pos === 0 && leadIsSubject) {
      replace(/^(are|were|have)$/i.test(nextWord) ? "They" : "It");
      continue;
    }
    if (pos === 0) {
      const lead = at.t.text.toLowerCase();
      const isVerb = isKnownVerb(lead) || (next !== undefined && DETERMINERS.has(nextWord.toLowerCase())) || (verbName && lead === firstPart);
      // The leading verb is replaced only when an object follows it directly ("Compress a block" -> "Handles a
      // block"); "Total seconds in the duration" must not become "Handles in the duration".
      const objectFollows = next !== undefined && adjacent(last, next) && (DETERMINERS.has(nextWord.toLowerCase()) || !FUNCTION_WORDS.has(nextWord.toLowerCase()));
      if (isVerb && objectFollows) {
        replace("Handles");
        continue;
      }
    }
    if (nextIsNoun && (pos === 0 || det !== undefined || (prev !== undefined && adjacent(prev, at)))) {
      // A modifier: drop it with the space after it.
      tokens.splice(at.i, last.i - at.i + 2);
      fixArticle(tokens, det);
      if (pos === 0) capitalizeFirst(tokens);
      continue;
    }
    if (det !== undefined) {
      const singular = /^an?$/i.test(det.t.text);
      replace(possessive ? "item's" : plural && !singular ? "items" : "item");
      fixArticle(tokens, det);
      continue;
    }
    if (pos === 0) {
      if (subjectOfVerb) {
        replace(/^(are|were|have)$/i.test(nextWord) ? "They" : "It");
        continue;
      }
      return null;
    }
    // The subject of a clause ("if universal builds are supported") -> "if the given values are supported".
    if (prev !== undefined && adjacent(prev, at) && /^(if|when|whether|while|unless|because|that|and|or|but|where)$/.test(prevWord) && subjectOfVerb) {
      replace(possessive ? "the given value's" : plural ? "the given values" : "the given value");
      continue;
    }
    if (prev !== undefined && adjacent(prev, at) && (PREPOSITIONS.has(prevWord) || TRANSITIVE.test(prevWord))) {
      replace(possessive ? "the given value's" : plural ? "the given values" : "the given value");
      continue;
    }
    return null;
  }
  const text = tokens
    .map((t) => t.text)
    .join("")
    .replace(/\s{2,}/g, " ")
    .trim();
  if (leaks(text, terms)) return null;
  return text;
}

// Makes the a/an before the next word agree with it (after a word was replaced or removed).
function fixArticle(tokens: Token[], det: { t: Token } | undefined): void {
  if (!det) return;
  const lower = det.t.text.toLowerCase();
  if (lower !== "a" && lower !== "an") return;
  const idx = tokens.indexOf(det.t);
  const following = tokens.slice(idx + 1).find((t) => t.kind === "word" || t.kind === "code");
  if (!following) return;
  const want = articleFor(following.text);
  det.t.text = det.t.text[0] === det.t.text[0]?.toUpperCase() ? want[0]?.toUpperCase() + want.slice(1) : want;
}

function capitalizeFirst(tokens: Token[]): void {
  const first = tokens.find((t) => t.kind === "word");
  if (first) first.text = first.text[0]?.toUpperCase() + first.text.slice(1);
}

// The marks a cut-out word leaves in a sentence, each as a short label (empty: none found).
const HOLE_PATTERNS: [string, RegExp][] = [
  ["double-space", / {2}/],
  ["space-before-punctuation", /\s[,.;:!?)]/],
  ["doubled-punctuation", /[,;:]\s*[,.;:]|\.\s*[,;:]|\(\s*[,.;:]/],
  ["empty-brackets", /\(\s*\)|\[\s*\]|``|`\s+`|(^|\s)''(\s|$)|(^|\s)""(\s|$)/],
  ["dangling-determiner", /\b(a|an|the|its|their|each|every)\s*([,.;:!?)]|$)/i],
  ["determiner-then-function-word", /\b(a|an|the)\s+(a|an|the|to|of|in|into|for|with|on|by|from|and|or|is|are|was|were|be|if|when|as|at|than|that|which)\b/i],
  ["dangling-preposition", /\b(of|to|in|into|onto|for|with|on|by|from|at|than|via|between)\s*([,;:!?)]|\.(?!\w)|$)/i],
  ["preposition-pair", /\b(of|to|in|for|with|on|by|from|into|at)\s+(of|to|for|with|on|by|from|into|at)\b/i],
  ["dangling-conjunction", /\b(and|or|nor)\s*([,.;:!?)]|$)|^\s*(and|or|of|'s)\b|\b(and|or)\s+(and|or)\b/i],
  ["doubled-word", /\b(the|a|an|of|to|in|for|and|or|is|with|on|by)\s+\1\b/i],
  ["wrong-article", /\ba\s+(?![Uu]|one\b|once\b|eu)[AEIOaeio][a-z]|\ban\s+(?!h)[b-df-gj-np-tv-z][a-z]/],
  ["dangling-possessive", /(^|\s)'s\b/],
  ["article-number-mismatch", /\b(a|an)\s+(items|values)\b|\b(a|an)\s+[a-z]+[^s's]s\s+(are|were)\b/i],
  ["leading-punctuation", /^[^A-Za-z0-9`"'(]/],
];

export function descriptionHoles(text: string): string[] {
  return HOLE_PATTERNS.filter(([, re]) => re.test(text)).map(([label]) => label);
}
