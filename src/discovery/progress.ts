import type {RequestCount} from '../aws/clients.js'

/**
 * Progress of a discovery run, in units of work (mostly one AWS call each). The total grows as the run learns
 * how much there is to do (e.g. one unit per account once the accounts are listed).
 */
export interface ProgressReporter {
  /** More work became known. */
  addWork(units: number): void
  /** Work finished. */
  complete(units?: number): void
  /** What the run is doing now, e.g. `permission sets`. */
  phase(label: string): void
  /** The run's request counter (retries and extra pages included), read while the run goes on. */
  watchRequests?(stats: Readonly<RequestCount>): void
}

export const silentProgress: ProgressReporter = {
  addWork() {},
  complete() {},
  phase() {},
}
