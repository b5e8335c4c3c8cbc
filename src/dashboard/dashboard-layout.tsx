import type { Child } from "hono/jsx";
import { Layout } from "../ui/layout";
import { Style } from "../ui/style-tag";
import { DASHBOARD_STYLES } from "./dashboard-styles";
import { HealthBanner } from "./health-banner";

/** The owner's sections, in the order of the navigation bar. */
export const SECTIONS = [
  { id: "journeys", href: "/journeys", label: "Clients" },
  { id: "process", href: "/process", label: "Process" },
  { id: "insights", href: "/insights", label: "Insights" },
  { id: "events", href: "/events", label: "Events" },
  { id: "connections", href: "/connections", label: "Connections" },
  { id: "sandbox", href: "/sandbox", label: "Sandbox" },
  { id: "api", href: "/api/docs", label: "API" },
] as const;

export type SectionId = (typeof SECTIONS)[number]["id"];

/**
 * The frame of every owner page: a skip link, the navigation with the current
 * section marked (`aria-current`), a sandbox banner when the local sandbox
 * runs, the connection-health banner while warnings are open, and the page's
 * main landmark. The CSRF token is in a meta tag for the
 * pages' scripts (`X-CSRF-Token` on every change).
 */
export function DashboardLayout(props: {
  title: string;
  section: SectionId;
  csrf: string;
  sandbox: boolean;
  children: Child;
}) {
  const sections = SECTIONS.filter((s) => s.id !== "sandbox" || props.sandbox);
  return (
    <Layout
      title={props.title}
      wide
      head={
        <>
          <meta name="csrf-token" content={props.csrf} />
          <Style css={DASHBOARD_STYLES} />
        </>
      }
    >
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/journeys">
          Clientflow
        </a>
        <nav aria-label="Sections">
          <ul>
            {sections.map((s) => (
              <li>
                <a href={s.href} aria-current={s.id === props.section ? "page" : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form method="post" action="/auth/logout" class="logout">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button type="submit" class="btn btn-quiet">
            Sign out
          </button>
        </form>
      </header>
      {props.sandbox && (
        <p class="sandbox-banner" role="note">
          <strong>Sandbox</strong> Providers that are not connected run against local emulators: nothing reaches a real
          HubSpot, Stripe, Notion or Gmail account. <a href="/sandbox">Open the sandbox</a>
        </p>
      )}
      <HealthBanner />
      <main id="main">{props.children}</main>
    </Layout>
  );
}

/** A page heading with optional actions on the right. */
export function PageHeader(props: { title: string; subtitle?: string; children?: Child }) {
  return (
    <div class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p class="muted">{props.subtitle}</p>}
      </div>
      {props.children && <div class="actions">{props.children}</div>}
    </div>
  );
}

export type Tone = "ok" | "warn" | "error" | "info" | "muted";

/** A status pill; the text carries the meaning, the colour only repeats it. */
export function Badge(props: { tone: Tone; children: Child }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

/** A notice at the top of a page (`?notice=` after a redirect, or an error). */
export function Notice(props: { tone: "info" | "error"; children: Child }) {
  return (
    <p class={`notice notice-${props.tone}`} role={props.tone === "error" ? "alert" : "status"}>
      {props.children}
    </p>
  );
}

/** A date-time as the owner reads it, in UTC, with the exact value in a `<time>` element. */
export function When(props: { at: string | null | undefined }) {
  if (!props.at) return <span class="muted">—</span>;
  const date = new Date(props.at);
  if (Number.isNaN(date.getTime())) return <span>{props.at}</span>;
  const text = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return <time datetime={date.toISOString()}>{text}</time>;
}
