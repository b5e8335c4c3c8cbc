import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
export const r = createRoute({ method: "get", path: "/", responses: {} });
export const app = new OpenAPIHono();
