/**
 * Eventual consistency as a knob (no public source documents a delay, so the default is 0).
 * Visibility is computed when a request arrives, from the change's time and the delays in force then: a test
 * can set a long delay, observe the failure, then set 0 and observe success without sleeping.
 */
import { type AppRecord, type GrantRecord } from "./store";
import { type PropagationDelays } from "./types";

export class Propagation {
  private delays: Required<PropagationDelays> = { appsMs: 0, grantsMs: 0, scopesMs: 0 };

  constructor(initial: PropagationDelays = {}) {
    this.set(initial);
  }

  /** Fields left out keep their current value. */
  set(delays: PropagationDelays): void {
    this.delays = {
      appsMs: delays.appsMs ?? this.delays.appsMs,
      grantsMs: delays.grantsMs ?? this.delays.grantsMs,
      scopesMs: delays.scopesMs ?? this.delays.scopesMs,
    };
  }

  current(): Required<PropagationDelays> {
    return { ...this.delays };
  }

  /** An active app the token endpoint already knows about. */
  appVisible(app: AppRecord, now: number): boolean {
    return app.activeSince !== undefined && now >= app.activeSince + this.delays.appsMs;
  }

  scopeVisible(app: AppRecord, fqs: string, now: number): boolean {
    const addedAt = app.scopeAddedAt.get(fqs);
    return addedAt !== undefined && now >= addedAt + this.delays.scopesMs;
  }

  grantVisible(grant: GrantRecord, now: number): boolean {
    return now >= grant.createdAt + this.delays.grantsMs;
  }
}
