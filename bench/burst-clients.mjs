// The burst bench's side of the sandbox and of the clients (bench/burst.mjs): the sandbox's control API, and a
// client accepting its agreement on the hosted page its welcome email links to.

/** POSTs `body` to the sandbox's control API (docs/sandbox.md) and answers its JSON; throws on any other answer. */
export async function control(app, route, body) {
  const response = await fetch(`${app.sandboxUrl}/control${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The client's side of one journey: accept the agreement on its page (name typed, text hash echoed). */
export async function acceptAgreement(app, link, name) {
  const page = await (await fetch(`${app.appUrl}${link}`)).text();
  const textSha256 = /name="text_sha256" value="([0-9a-f]{64})"/.exec(page)?.[1];
  if (!textSha256) return false; // not ready (or already accepted): tried again on the next round
  const response = await fetch(`${app.appUrl}${link}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name, text_sha256: textSha256 }).toString(),
  });
  return response.status === 200;
}
