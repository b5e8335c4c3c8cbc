import type { Operation } from "./types";

const CALENDAR = "https://developers.google.com/workspace/calendar/api/v3/reference/events";
/** Fields of a Calendar Event resource a client may set on insert (the ones Google computes are left out). */
const eventFields = {
  id: false,
  summary: false,
  description: false,
  location: false,
  start: true,
  end: true,
  attendees: false,
  reminders: false,
  conferenceData: false,
  transparency: false,
  visibility: false,
  colorId: false,
  guestsCanInviteOthers: false,
  guestsCanModify: false,
  guestsCanSeeOtherGuests: false,
  extendedProperties: false,
  source: false,
  status: false,
} as const;

/**
 * The Google operations Clientflow calls: the OAuth 2.0 token and revoke
 * endpoints (on their own host, form-encoded), Google's signing keys (the
 * OpenID `jwks_uri`), Calendar events insert and get, Gmail messages send and
 * list (the Sent-mail check before a resend, with gmail.readonly).
 * Each cites its API reference page.
 */
export const googleContract: readonly Operation[] = [
  {
    method: "POST",
    base: "oauth",
    path: "/token",
    body: "form",
    fields: {
      grant_type: true,
      client_id: false,
      client_secret: false,
      code: false,
      code_verifier: false,
      redirect_uri: false,
      refresh_token: false,
    },
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code",
  },
  {
    method: "POST",
    base: "oauth",
    path: "/revoke",
    body: "form",
    fields: { token: true },
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke",
  },
  {
    // The scheduled connection check (src/maintenance/connection-probes.ts): the signed-in user's claims.
    method: "GET",
    path: "/oauth2/v3/userinfo",
    body: "none",
    source: "https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo",
  },
  {
    method: "GET",
    path: "/oauth2/v3/certs",
    body: "none",
    source: "jwks_uri of https://accounts.google.com/.well-known/openid-configuration",
  },
  {
    method: "POST",
    path: "/calendar/v3/calendars/{calendarId}/events",
    query: {
      sendUpdates: false,
      conferenceDataVersion: false,
      maxAttendees: false,
      supportsAttachments: false,
    },
    body: "json",
    fields: eventFields,
    source: `${CALENDAR}/insert`,
  },
  {
    method: "GET",
    path: "/calendar/v3/calendars/{calendarId}/events/{eventId}",
    query: { maxAttendees: false, timeZone: false },
    body: "none",
    source: `${CALENDAR}/get`,
  },
  {
    method: "POST",
    path: "/gmail/v1/users/{userId}/messages/send",
    body: "json",
    fields: { raw: true, threadId: false },
    source: "https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send",
  },
  {
    method: "GET",
    path: "/gmail/v1/users/{userId}/messages",
    query: { maxResults: false, pageToken: false, q: false, labelIds: false, includeSpamTrash: false },
    body: "none",
    source: "https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list",
  },
];
