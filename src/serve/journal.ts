// serve-episodes.jsonl in the run directory: one line when an episode opens and one when it ends, appended
// crash-safely. A server that starts on a run directory whose journal has episodes opened but never ended knows
// they were lost (the server stopped with them open): it appends a "lost" line for each and reports them. Finished
// episodes are in rollouts.jsonl, untouched.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { JsonlAppender, readJsonlSync, type JsonlLineError } from "../util/jsonl.js";
import { reportAppendFailure } from "../util/output-file.js";

export const JOURNAL_FILE = "serve-episodes.jsonl";
export const JOURNAL_SCHEMA_TAG = "hgym.serve-episode/1";

export const END_STATUSES = ["finished", "failed", "closed", "expired", "lost"] as const;

export const journalLineSchema = z.object({
  schema: z.literal(JOURNAL_SCHEMA_TAG),
  event: z.enum(["open", "end"]),
  episode_id: z.string().min(1),
  instance_id: z.string(),
  at: z.string(),
  status: z.enum(END_STATUSES).optional(), // on "end"
  detail: z.string().nullable().optional(),
});
export type JournalLine = z.output<typeof journalLineSchema>;

export interface LostEpisode {
  episode_id: string;
  instance_id: string;
  opened_at: string;
  noticed_at: string; // when a later server found it
}

export class EpisodeJournal {
  readonly path: string;
  readonly readErrors: JsonlLineError[] = [];
  readonly lost: LostEpisode[] = []; // every episode any server lost in this run directory, oldest first
  readonly lostAtStart: LostEpisode[] = []; // the ones this server found open in the journal
  private readonly appender: JsonlAppender;

  constructor(runDir: string) {
    this.path = join(runDir, JOURNAL_FILE);
    const open = new Map<string, JournalLine>();
    if (existsSync(this.path)) {
      for (const { value } of readJsonlSync(this.path, journalLineSchema, { badLines: "skip", onSkip: (e) => this.readErrors.push(e) })) {
        if (value.event === "open") open.set(value.episode_id, value);
        else {
          const opened = open.get(value.episode_id);
          open.delete(value.episode_id);
          if (value.status === "lost") this.lost.push({ episode_id: value.episode_id, instance_id: value.instance_id, opened_at: opened?.at ?? value.at, noticed_at: value.at });
        }
      }
    }
    this.appender = reportAppendFailure(this.path, () => new JsonlAppender(this.path), "--out");
    const now = new Date().toISOString();
    for (const line of open.values()) {
      this.end(line.episode_id, line.instance_id, "lost", "the server stopped while the episode was open");
      const lost = { episode_id: line.episode_id, instance_id: line.instance_id, opened_at: line.at, noticed_at: now };
      this.lost.push(lost);
      this.lostAtStart.push(lost);
    }
  }

  opened(episodeId: string, instanceId: string): void {
    this.write({ schema: JOURNAL_SCHEMA_TAG, event: "open", episode_id: episodeId, instance_id: instanceId, at: new Date().toISOString() });
  }

  end(episodeId: string, instanceId: string, status: (typeof END_STATUSES)[number], detail: string | null = null): void {
    this.write({ schema: JOURNAL_SCHEMA_TAG, event: "end", episode_id: episodeId, instance_id: instanceId, at: new Date().toISOString(), status, detail });
  }

  close(): void {
    this.appender.close();
  }

  private write(line: JournalLine): void {
    reportAppendFailure(this.path, () => this.appender.append(line), "--out");
  }
}
