/**
 * One JSON line per event. Callers pass ids and outcomes only: never tokens,
 * raw bodies or personal data (names, emails).
 */
export interface LogFields {
  tenant?: string;
  journeyId?: string;
  step?: string;
  provider?: string;
  eventId?: string;
  attempt?: number;
  status?: number;
  code?: string;
  reason?: string;
  [key: string]: string | number | boolean | undefined | readonly LogFields[];
}

type Level = "debug" | "info" | "warn" | "error";

function write(level: Level, msg: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};

/** A safe one-line description of an error for logs and the steps table. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
