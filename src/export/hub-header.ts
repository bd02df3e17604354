// The YAML block a Hugging Face dataset README starts with, so the Hub's viewer and `load_dataset(<repo>)` find the
// data file and its split without a loading script (https://huggingface.co/docs/hub/datasets-cards,
// https://huggingface.co/docs/hub/datasets-manual-configuration). The card is written as `<out>.README.md`; upload
// it as README.md beside the data file, whose name the `configs` entry gives relative to the card.

export interface HubHeaderInput {
  dataFile: string; // file name of the dataset, relative to the card
  license: string; // a Hub license id (e.g. apache-2.0, mit, other)
  format: string;
  rows: number;
}

function sizeCategory(n: number): string {
  if (n < 1000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  if (n < 1_000_000) return "100K<n<1M";
  return "n>1M";
}

// Values are quoted as JSON strings, which YAML reads as the same strings whatever characters they hold.
export function hubHeader(h: HubHeaderInput): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    "---",
    `license: ${q(h.license)}`,
    "task_categories:",
    "- text-generation",
    "tags:",
    "- agent",
    "- code",
    "- trajectories",
    "- hybrid-gym",
    `- ${q(h.format)}`,
    "size_categories:",
    `- ${q(sizeCategory(h.rows))}`,
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${q(h.dataFile)}`,
    "---",
    "",
  ].join("\n");
}
