import * as z from "./shim";
export const s = z.object({ a: z.string().min(1) });
