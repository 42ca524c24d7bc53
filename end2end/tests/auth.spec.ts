import { expect, test } from "@playwright/test";
import { CEO_TOTP_SECRET, hydrated, open, signIn, signInAs, submitCeoCode, totp, USERS } from "./helpers";

test.describe.configure({ timeout: 90_000 });

const PORTALS = ["/ceo", "/client", "/provider", "/reseller"];

for (const key of ["client", "provider", "reseller", "staff"] as const) {
  const user = USERS[key];
  test(`${key} signs in, lands on their portal and cannot open another one`, async ({ page }) => {
    await signInAs(page, user);
    await expect(page.locator(`[data-portal="${user.portal.slice(1)}"]`)).toBeVisible();
    for (const other of PORTALS.filter((p) => p !== user.portal)) {
      const response = await page.goto(other);
      expect(response?.status(), `${key} opening ${other}`).toBe(403);
      await expect(page.getByTestId("forbidden")).toBeVisible();
      await expect(page.locator("[data-portal]")).toHaveCount(0);
    }
  });
}

test("the CEO is asked for the TOTP code, then sees every company", async ({ page }) => {
  await signIn(page, USERS.ceo.email);
  await expect(page.getByRole("heading", { name: "Two-step verification" })).toBeVisible();
  // Without the code there is no session yet.
  const denied = await page.request.post("/api/auth/whoami", { headers: { origin: new URL(page.url()).origin } });
  expect(await denied.json()).toBeNull();

  await page.getByLabel("Verification code").fill("000000" === totp(CEO_TOTP_SECRET) ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not accepted" })).toBeVisible();
  await expect(page.getByLabel("Verification code")).toHaveAttribute("aria-invalid", "true");

  await submitCeoCode(page);
  await expect(page.getByTestId("user-name")).toHaveText(USERS.ceo.name);
  const switcher = page.getByLabel("Company", { exact: true });
  await expect(switcher.locator("option")).toHaveCount(6);
  for (const other of ["/client", "/provider", "/reseller"]) {
    expect((await page.goto(other))?.status()).toBe(403);
  }
});

test("signing in survives a reload, and signing out ends the session", async ({ page }) => {
  await signInAs(page, USERS.client);
  await page.reload();
  await expect(page.getByTestId("user-name")).toHaveText(USERS.client.name);
  // Signing out is the app's once the reloaded page is hydrated (before, the click can land on
  // the server-rendered page and the session ends with a reload of /client).
  await hydrated(page);

  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/client");
  await expect(page).toHaveURL(/\/login\?next=\/client$/);
  await expect(page.getByLabel("Email address")).toBeVisible();
});

test("a visitor is sent to sign in and comes back to the page asked for", async ({ page }) => {
  await page.goto("/provider/account");
  await expect(page).toHaveURL(/\/login\?next=\/provider\/account$/);
  await expect(page.getByTestId("toggle-password")).toBeVisible();
  await page.getByLabel("Email address").fill(USERS.provider.email);
  await page.getByLabel("Password", { exact: true }).fill("Demo-Password-2026");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/provider\/account$/);
  await expect(page.getByTestId("account-page")).toBeVisible();
});

test("a wrong password shows an error and no session starts", async ({ page }) => {
  await signIn(page, USERS.reseller.email, "definitely not it");
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  const me = await page.request.post("/api/auth/whoami", { headers: { origin: new URL(page.url()).origin } });
  expect(await me.json()).toBeNull();
});

test("the account page lists the session and creates an API token shown once", async ({ page }) => {
  await signInAs(page, USERS.staff);
  await open(page, "/ceo/account");
  // Other tests may have left sessions of this user open; exactly one is this browser's.
  await expect(page.getByTestId("sessions").locator("tbody tr").filter({ hasText: "This device" })).toHaveCount(1);

  await page.getByLabel("Name", { exact: true }).fill("bank export");
  await page.getByRole("checkbox", { name: "HYPERVISUAL" }).check();
  await page.getByRole("checkbox", { name: "invoices.read", exact: true }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = page.getByTestId("new-api-token");
  await expect(token).toHaveText(/^upt_/);
  await expect(page.getByTestId("api-tokens")).toContainText("bank export");
});

test("single sign-on through the OpenID Provider", async ({ page }) => {
  expect(process.env.OIDC_ISSUER, "the test command starts the OpenID Provider").toBeTruthy();
  await page.goto("/login?next=/client");
  await page.getByTestId("sso-login").click();
  // The provider's own login page (oidc-provider's development interaction).
  await expect(page).toHaveURL(new RegExp(`^${process.env.OIDC_ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(USERS.client.email);
  await page.locator('input[name="password"]').fill("anything");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent
  await expect(page).toHaveURL(/\/client$/);
  await expect(page.getByTestId("user-name")).toHaveText(USERS.client.name);
});
