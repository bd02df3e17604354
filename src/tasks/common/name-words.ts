// Name leak detection for descriptions: a description must not give away the target's name or its word parts
// (docs/DESIGN.md §3, func-localize). Names are split on snake_case, camelCase, digits and dots; parts shorter than
// four characters ("get", "to", "id") are too common to count as a leak.

const MIN_PART_LENGTH = 4;

// "parse_HTTPHeader2" -> ["parse", "http", "header", "2"]
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
    .map((p) => p.toLowerCase())
    .filter((p) => p.length > 0);
}

// Everything that counts as a leak of `name`: the whole name (lowercased) and its parts of length >= 4.
export function leakTerms(name: string): Set<string> {
  const terms = new Set<string>();
  const bare = name.replace(/^_+|_+$/g, "");
  if (bare) terms.add(bare.toLowerCase());
  for (const part of splitIdentifier(name)) if (part.length >= MIN_PART_LENGTH) terms.add(part);
  return terms;
}

// The words of free text as the leak check sees them: every identifier-like run, plus its split parts, so
// "calls parse_header()" is caught for a target named `parse` and "parseHeader" is caught for `header`.
function textTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text.match(/[A-Za-z0-9_]+/g) ?? []) {
    terms.add(word.toLowerCase());
    for (const part of splitIdentifier(word)) terms.add(part);
  }
  return terms;
}

// The leaked terms found in `text` (empty when the text is clean). `names` are all names to protect.
export function findLeaks(text: string, names: string[]): string[] {
  const words = textTerms(text);
  const found = new Set<string>();
  for (const name of names) for (const term of leakTerms(name)) if (words.has(term)) found.add(term);
  return [...found].sort();
}

// Removes every word of `text` that leaks one of `names`, then tidies spacing and punctuation left behind. This
// raw cut leaves holes ("Adds an to the file."), so descriptions do not use it: func-localize/name-free.ts
// rephrases or drops the sentence instead. It stays as the baseline the description tests measure against.
export function redactNames(text: string, names: string[]): string {
  const terms = new Set<string>();
  for (const name of names) for (const t of leakTerms(name)) terms.add(t);
  const redacted = text.replace(/[A-Za-z0-9_]+(\(\))?/g, (word) => {
    const bare = word.replace(/\(\)$/, "");
    const parts = [bare.toLowerCase(), ...splitIdentifier(bare)];
    return parts.some((p) => terms.has(p)) ? "" : word;
  });
  return redacted
    .replace(/`\s*`/g, "")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/([,;:])(?=[,.;:])/g, "")
    .replace(/\(\s*\)/g, "")
    .replace(/\s{2,}/g, " ")
    .trim();
}
