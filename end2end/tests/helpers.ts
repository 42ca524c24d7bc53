import { createHmac } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "Demo-Password-2026";
export const CEO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const USERS = {
  ceo: { email: "ceo@hmf.ch", name: "Jean Dupont", portal: "/ceo" },
  staff: { email: "accountant@hmf.ch", name: "Anna Keller", portal: "/ceo" },
  client: { email: "client@helvetia-events.ch", name: "Sophie Martin", portal: "/client" },
  provider: { email: "provider@lumitech.ch", name: "Marco Rossi", portal: "/provider" },
  reseller: { email: "reseller@romandie-partners.ch", name: "Luc Favre", portal: "/reseller" },
} as const;

function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for the step `offset` steps from now. */
export function totp(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = hmac[hmac.length - 1] & 0xf;
  const code = (hmac.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, "0");
}

/** Signs in through the login form (email + password step). */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Signs in a demo user who needs no second factor and waits for their portal. */
export async function signInAs(page: Page, user: (typeof USERS)[keyof typeof USERS]): Promise<void> {
  await signIn(page, user.email);
  await expect(page).toHaveURL(new RegExp(`${user.portal}$`));
  await expect(page.getByTestId("user-name")).toHaveText(user.name);
}
