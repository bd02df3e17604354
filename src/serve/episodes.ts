// The server's episodes: creating them (from a loaded instance id or a posted instance) within the slot limit,
// finding them, forgetting them, and closing the idle ones. Every rollout record goes to the run directory the
// way `hgym rollout` writes it, and the journal notes each episode's opening and end so a restarted server can
// report the ones it lost.

import { randomUUID } from "node:crypto";
import type { RolloutRecord } from "../agent/types.js";
import type { RunDir } from "../runner/run-dir.js";
import type { Instance } from "../tasks/types.js";
import { ServedEpisode, type EpisodeSetup } from "./episode.js";
import { ServeError } from "./errors.js";
import type { EpisodeJournal } from "./journal.js";
import { Slots } from "./slots.js";

export interface EpisodeManagerOptions {
  setup: EpisodeSetup;
  instances: Map<string, Instance>;
  runDir: RunDir;
  journal: EpisodeJournal;
  maxEpisodes: number; // episodes holding a sandbox at once
  maxQueue: number; // creations waiting for a slot before more are refused
  idleTimeoutMs: number; // an episode nobody touched for this long is closed (open) or forgotten (ended)
  log: (line: string) => void;
}

export class EpisodeManager {
  readonly slots: Slots;
  private readonly episodes = new Map<string, ServedEpisode>();
  private readonly nextSample = new Map<string, number>();
  private readonly lostIds: Map<string, string>;
  private readonly sweep: NodeJS.Timeout;
  private readonly counts = { created: 0, finished: 0, failed: 0, closed: 0, expired: 0 };
  private manifestTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: EpisodeManagerOptions) {
    this.slots = new Slots(opts.maxEpisodes, opts.maxQueue);
    // New episodes of an instance continue its sample numbers, so (instance, sample) stays unique in the run.
    for (const d of opts.runDir.records()) this.nextSample.set(d.instance_id, Math.max(this.nextSample.get(d.instance_id) ?? 0, d.sample + 1));
    this.lostIds = new Map(opts.journal.lost.map((l) => [l.episode_id, l.instance_id]));
    this.sweep = setInterval(() => void this.closeIdle(), Math.max(200, Math.min(5000, opts.idleTimeoutMs / 4)));
    this.sweep.unref();
  }

  instance(id: string): Instance {
    const inst = this.opts.instances.get(id);
    if (!inst) throw new ServeError(404, `unknown instance "${id}": it is not in the server's instance file (GET /v1/instances lists them), or post the whole instance as "instance"`);
    return inst;
  }

  listInstances(): Instance[] {
    return [...this.opts.instances.values()];
  }

  // Waits for a slot (or the client gives up: `signal`), then starts the episode and waits until it can step.
  async create(instance: Instance, signal?: AbortSignal): Promise<ServedEpisode> {
    if (!this.opts.setup.store.has(instance.repo.snapshot)) {
      throw new ServeError(404, `instance ${instance.instance_id}: its repository snapshot ${instance.repo.snapshot} is not in the server's snapshot store; index the repository on the server first (hgym index, same --cache)`);
    }
    try {
      this.opts.setup.taskFamily(instance.task);
    } catch (e) {
      throw new ServeError(400, `instance ${instance.instance_id}: ${(e as Error).message}`);
    }
    const release = await this.slots.acquire(signal);
    const sample = this.nextSample.get(instance.instance_id) ?? 0;
    this.nextSample.set(instance.instance_id, sample + 1);
    const id = randomUUID();
    this.counts.created++;
    this.opts.journal.opened(id, instance.instance_id);
    const episode = new ServedEpisode(id, instance, sample, this.opts.setup, (rec) => this.record(rec), (ep) => {
      release();
      this.ended(ep);
    });
    this.episodes.set(id, episode);
    await episode.whenReady();
    if (signal?.aborted && episode.open) {
      // The client hung up while its episode started: nobody holds the id, so it would only idle out.
      await this.close(id);
      throw new ServeError(409, "the request was abandoned while its episode started");
    }
    if (episode.status === "failed") {
      this.episodes.delete(id);
      throw new ServeError(503, `episode for ${instance.instance_id} could not start: ${episode.error ?? "unknown error"}`);
    }
    return episode;
  }

  get(id: string): ServedEpisode {
    const ep = this.episodes.get(id);
    if (ep) return ep;
    const lostInstance = this.lostIds.get(id);
    if (lostInstance !== undefined) throw new ServeError(410, `episode ${id} (${lostInstance}) was lost: the server stopped while it was open; create a new episode`);
    throw new ServeError(404, `unknown episode "${id}": never created, or closed, or forgotten after the idle timeout (finished episodes are in the run directory's rollouts.jsonl)`);
  }

  list(): ServedEpisode[] {
    return [...this.episodes.values()];
  }

  // Closes an open episode (nothing recorded) or forgets an ended one.
  async close(id: string, status: "closed" | "expired" = "closed"): Promise<ServedEpisode> {
    const ep = this.get(id);
    await ep.close(status);
    this.episodes.delete(id);
    return ep;
  }

  status(): Record<string, unknown> {
    const byStatus: Record<string, number> = {};
    for (const ep of this.episodes.values()) byStatus[ep.status] = (byStatus[ep.status] ?? 0) + 1;
    return {
      slots: { limit: this.slots.limit, in_use: this.slots.inUse, queued: this.slots.queued },
      episodes: byStatus,
      since_start: { ...this.counts },
      lost: this.opts.journal.lost,
      run_dir: this.opts.runDir.dir,
      instances: this.opts.instances.size,
    };
  }

  async shutdown(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([...this.episodes.values()].filter((e) => e.open).map((e) => e.close("closed")));
    if (this.manifestTimer) clearTimeout(this.manifestTimer);
    this.opts.runDir.writeManifest({ interrupted: false });
    this.opts.runDir.close();
    this.opts.journal.close();
  }

  private record(rec: RolloutRecord): void {
    this.opts.runDir.append(rec);
    // run.json (counts) is rewritten at most once a second: with many episodes ending together, one synchronous
    // atomic rewrite per record would stall every other episode's steps. The records themselves are appended at once.
    this.manifestTimer ??= setTimeout(() => {
      this.manifestTimer = null;
      try {
        this.opts.runDir.writeManifest();
      } catch (e) {
        this.opts.log(`cannot rewrite run.json: ${(e as Error).message}`);
      }
    }, 1000);
  }

  private ended(ep: ServedEpisode): void {
    const status = ep.status === "finished" || ep.status === "failed" || ep.status === "expired" ? ep.status : "closed";
    this.counts[status]++;
    try {
      this.opts.journal.end(ep.id, ep.instance.instance_id, status, ep.error);
    } catch (e) {
      this.opts.log(`cannot write the episode journal: ${(e as Error).message}`);
    }
  }

  private async closeIdle(): Promise<void> {
    const now = Date.now();
    for (const ep of [...this.episodes.values()]) {
      if (ep.status === "busy" || ep.status === "starting" || now - ep.lastActive < this.opts.idleTimeoutMs) continue;
      if (ep.open) this.opts.log(`episode ${ep.id} (${ep.instance.instance_id}) idle for ${Math.round((now - ep.lastActive) / 1000)} s: closed`);
      await this.close(ep.id, "expired").catch(() => undefined);
    }
  }
}
