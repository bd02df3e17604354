// Cutting long text in the middle. The start of an output (the command's header, the top of a file) and its end
// (the error, the exit status) are the parts an agent needs; the middle is what we drop.

export function truncateMiddle(text: string, maxChars: number, hint?: string): string {
  if (text.length <= maxChars) return text;
  const omitted = (n: number): string =>
    `\n\n[... ${n} characters omitted from the middle of this output.${hint ? ` ${hint}` : ""} ...]\n\n`;
  // Reserve room for the note itself so the result stays within maxChars (the count has at most as many digits
  // as the original length).
  const noteLength = omitted(text.length).length;
  const keep = Math.max(0, maxChars - noteLength);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  const cut = text.length - head - tail;
  return text.slice(0, head) + omitted(cut) + (tail > 0 ? text.slice(text.length - tail) : "");
}
