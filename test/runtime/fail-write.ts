import { env } from "cloudflare:workers";

/**
 * Makes the first D1 statement bound with arguments that `match` throw, as a
 * failed D1 write does (the Workflow's steps share this isolate's D1 class);
 * returns a function that restores D1 and says how many writes failed.
 */
export function failOnce(match: (args: unknown[]) => boolean): () => number {
  const proto = Object.getPrototypeOf(env.DB) as D1Database;
  const prepare = proto.prepare;
  let failed = 0;
  proto.prepare = function (this: D1Database, sql: string) {
    const statement = prepare.call(this, sql);
    const bind = statement.bind;
    statement.bind = (...args: unknown[]) => {
      if (failed === 0 && match(args)) {
        failed += 1;
        throw new Error("D1_ERROR: injected failure of the write that records the step");
      }
      return bind.apply(statement, args);
    };
    return statement;
  };
  return () => {
    proto.prepare = prepare;
    return failed;
  };
}
