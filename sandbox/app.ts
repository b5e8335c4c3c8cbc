import { randomBytes } from "node:crypto";
import { startWorker } from "../test/e2e/wrangler-dev";
import type { SandboxProvider } from "./providers";
import { type Sandbox, startSandbox } from "./server";

/** The app as `npm start` runs it, for tests that drive it (e2e, Playwright). */
export interface SandboxApp {
  /** The Worker under `wrangler dev` (http://127.0.0.1:<free port>). */
  appUrl: string;
  /** The sandbox's origin; its control API is under /control. */
  sandboxUrl: string;
  /** The emulators' state, for assertions. */
  sandbox: Sandbox;
  /** wrangler dev's output so far. */
  logs: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the provider sandbox and the Worker on free ports, wired the way
 * scripts/start.mjs wires them (the sandbox's vars in a second --env-file,
 * then the Notion handshake that seeds the workspace), in a scratch folder
 * with its own D1. Sign in at `${appUrl}/auth/login` through the sandbox
 * Google; the owner lands in the seeded workspace.
 */
export async function startSandboxApp(
  options: {
    providers?: readonly SandboxProvider[];
    /** Where the Worker's scratch folder is made (`startWorker`'s `stateRoot`). */
    stateRoot?: string;
  } = {},
): Promise<SandboxApp> {
  const sandbox = await startSandbox({ port: 0, providers: options.providers });
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker(
      { ENCRYPTION_KEY: randomBytes(32).toString("base64") },
      { envFile: sandbox.vars(), stateRoot: options.stateRoot },
    );
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  sandbox.workerUrl = worker.url;
  const primed = await sandbox.prime();
  if (primed.status !== 200 && primed.status !== 401 && primed.status !== 409) {
    await worker.stop();
    await sandbox.close();
    throw new Error(`the sandbox could not prime the Worker: ${JSON.stringify(primed)}`);
  }
  return {
    appUrl: worker.url,
    sandboxUrl: sandbox.origin,
    sandbox,
    logs: worker.logs,
    stop: async () => {
      await worker.stop();
      await sandbox.close();
    },
  };
}
