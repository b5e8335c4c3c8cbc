/** Types of scripts/rotate-key.mjs for its test (test/e2e/rotate-key-script.e2e.test.ts). */
export interface RotateArgs {
  url: string;
  batch: number;
  restart?: boolean;
  progressFile?: string;
}
export interface RotationCounts {
  resealed: number;
  current: number;
  unreadable: number;
}
export interface RotationState {
  url: string;
  cursor: { table: string; after: number } | null;
  totals: Record<string, RotationCounts>;
  unreadable: { table: string; rowid: number }[];
  /** Purpose keys of ENCRYPTION_KEY_PREVIOUS the Worker carried forward in this run. */
  carried?: number;
}
type Out = { log: (...args: unknown[]) => void; table: (rows: unknown) => void };
type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<Response>;
export function rotate(args: RotateArgs, token: string, fetchImpl?: FetchLike, out?: Out): Promise<RotationState>;
export function report(state: RotationState, out?: Out): number;
