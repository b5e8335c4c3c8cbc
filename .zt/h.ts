import * as z from "./shim";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
export const s = z.object({ a: z.string().min(1) });
export const r = createRoute({ method: "get", path: "/", responses: {} });
export const app = new OpenAPIHono();
