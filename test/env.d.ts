/// <reference types="@cloudflare/vitest-plugin/types" />

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
    /** Types `exports` from the Worker's main module (kept out of src/env.ts, which imports no feature module). */
    interface GlobalProps {
      mainModule: typeof import("../src/index");
    }
  }
}

export {};
