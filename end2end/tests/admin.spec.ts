import { expect, test } from "@playwright/test";
import { hydrated, linkFromMail, open, pathOf, signIn, signInCeo } from "./helpers";

const PROVIDER_EMAIL = `nina.${Date.now()}@lumitech.example`;
const PROVIDER_NAME = "Nina Installer";
const PASSWORD = "Rigging the stage in Bulle 2026";

test("the CEO invites a provider, who signs up and sees only the provider portal until deactivated", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signInCeo(page);

  // The invitation, from the people page.
  await open(page, "/ceo/users");
  const form = page.getByTestId("invite-form");
  await form.getByLabel("Email address").fill(PROVIDER_EMAIL);
  await form.getByLabel("Name", { exact: true }).fill(PROVIDER_NAME);
  await page.locator("#i-role").selectOption("provider");
  await page.locator("#i-locale").selectOption("en");
  await page.locator("#i-company").selectOption({ label: "HYPERVISUAL" });
  await page.locator("#i-party").selectOption({ label: "LumiTech Installations Sàrl" });
  await page.getByTestId("send-invitation").click();
  await expect(page.getByTestId("invite-result")).toContainText("Only the person invited receives the link");

  // Staff see that a personal link was sent; the link itself only reaches the provider's inbox.
  await open(page, "/ceo/emails");
  const sent = page.getByTestId("emails").locator("li").filter({ hasText: PROVIDER_EMAIL }).first();
  await expect(sent).toContainText("provider portal");
  await expect(sent).not.toContainText("token=");
  const link = await linkFromMail(PROVIDER_EMAIL, /https?:\/\/\S+\/reset-password\?token=[\w-]+/);

  // The provider chooses a password, signs in and lands in the provider portal.
  const context = await browser.newContext();
  const provider = await context.newPage();
  await provider.goto(pathOf(link));
  await hydrated(provider);
  await provider.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await provider.getByLabel("Repeat the new password").fill(PASSWORD);
  await provider.getByRole("button", { name: "Choose a new password" }).click();
  await expect(provider.getByTestId("reset-done")).toBeVisible();
  await signIn(provider, PROVIDER_EMAIL, PASSWORD);
  await expect(provider).toHaveURL(/\/provider$/);
  await expect(provider.getByTestId("user-name")).toHaveText(PROVIDER_NAME);
  await expect(provider.locator('[data-portal="provider"]')).toHaveCount(1);

  // The other portals are not theirs.
  for (const other of ["/ceo", "/client", "/reseller"]) {
    const response = await provider.goto(other);
    expect(response?.status(), other).toBe(403);
    await expect(provider.getByTestId("forbidden")).toBeVisible();
  }

  // The CEO deactivates them: the provider's open session stops at once.
  await open(page, "/ceo/users");
  await page.getByTestId("users").getByRole("link", { name: PROVIDER_NAME }).click();
  await expect(page).toHaveURL(/\/ceo\/users\/[0-9a-f-]{36}$/);
  await hydrated(page);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("deactivate").click();
  await expect(page.getByTestId("user-status")).toHaveText("Deactivated");

  await provider.goto("/provider");
  await expect(provider).toHaveURL(/\/login/);
  await signIn(provider, PROVIDER_EMAIL, PASSWORD);
  await expect(provider.locator(".form-error")).toContainText(/./);
  await expect(provider).toHaveURL(/\/login/);
  await context.close();
});
