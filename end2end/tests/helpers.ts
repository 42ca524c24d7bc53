import { expect, type Page } from "@playwright/test";
// @ts-ignore: a plain ES module shared with the benchmark.
import { totp } from "../lib/totp.mjs";

export { totp };

export const PASSWORD = "Demo-Password-2026";
export const CEO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const USERS = {
  ceo: { email: "ceo@hmf.ch", name: "Jean Dupont", portal: "/ceo" },
  staff: { email: "accountant@hmf.ch", name: "Anna Keller", portal: "/ceo" },
  client: { email: "client@helvetia-events.ch", name: "Sophie Martin", portal: "/client" },
  provider: { email: "provider@lumitech.ch", name: "Marco Rossi", portal: "/provider" },
  reseller: { email: "reseller@romandie-partners.ch", name: "Luc Favre", portal: "/reseller" },
} as const;

/** Waits until the page is hydrated (the app marks `<html data-hydrated>`). */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
}

/** Opens `path` and waits for the app to take over the page. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await hydrated(page);
}

/** Signs in through the login form (email + password step). */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  // The password toggle appears once the page is hydrated: from then on the form is the app's.
  await expect(page.getByTestId("toggle-password")).toBeVisible();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in a demo user who needs no second factor and waits for their portal. */
export async function signInAs(page: Page, user: (typeof USERS)[keyof typeof USERS]): Promise<void> {
  await signIn(page, user.email);
  await expect(page).toHaveURL(new RegExp(`${user.portal}$`));
  await expect(page.getByTestId("user-name")).toHaveText(user.name);
  await hydrated(page);
}

/**
 * Signs the CEO in, second factor included. A TOTP code is accepted once: if another test
 * already used this 30-second step, wait for the next one and try again.
 */
export async function signInCeo(page: Page): Promise<void> {
  await signIn(page, USERS.ceo.email);
  await submitCeoCode(page);
}

/** Enters the CEO's current TOTP code on the second-step form (waiting out a used step). */
export async function submitCeoCode(page: Page): Promise<void> {
  const code = page.getByLabel("Verification code");
  for (let attempt = 0; attempt < 3; attempt++) {
    await expect(code).toBeVisible();
    await code.fill(totp(CEO_TOTP_SECRET));
    await page.getByRole("button", { name: "Verify" }).click();
    try {
      await expect(page).toHaveURL(/\/ceo$/, { timeout: 5_000 });
      return;
    } catch {
      const wait = 31_000 - (Date.now() % 30_000);
      await page.waitForTimeout(wait);
    }
  }
  throw new Error("the CEO could not sign in");
}

/**
 * The first link matching `pattern` in the newest email the platform sent to `to`, read from the
 * local mailbox (end2end/mail/sink.mjs) the way the recipient would read it. Waits for the
 * server's mail worker to deliver it.
 */
export async function linkFromMail(to: string, pattern: RegExp): Promise<string> {
  const sink = process.env.MAIL_SINK_URL;
  if (!sink) throw new Error("MAIL_SINK_URL is not set: run the browser tests through `make test`");
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${sink}/messages?to=${encodeURIComponent(to)}`);
    const messages: { text: string }[] = await response.json();
    for (const message of messages.reverse()) {
      const found = message.text.match(pattern);
      if (found) return found[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no email to ${to} with a link matching ${pattern}`);
}

/** The path (and query) of an absolute link, to open it against the server under test. */
export function pathOf(link: string): string {
  return link.replace(/^https?:\/\/[^/]+/, "");
}
