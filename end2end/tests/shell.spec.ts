import { expect, test } from "@playwright/test";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the landing page is server-rendered", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveTitle("Unified Platform");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Run your five companies from one place",
    );
    await expect(page.getByRole("link", { name: /Open portal.*CEO portal/ })).toBeVisible();
  });

  test("the login page is server-rendered", async ({ page }) => {
    await page.goto("/login");
    await expect(page).toHaveTitle("Sign in · Unified Platform");
    await expect(page.getByLabel("Email address")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toBeVisible();
    // The show-password toggle needs the hydrated app, so it is not offered yet.
    await expect(page.getByTestId("toggle-password")).toBeHidden();
  });
});

test("after hydration, the show-password toggle works", async ({ page }) => {
  await page.goto("/login");
  const password = page.getByLabel("Password", { exact: true });
  const toggle = page.getByTestId("toggle-password");
  await expect(toggle).toBeVisible();
  await password.fill("correct horse");
  await expect(password).toHaveAttribute("type", "password");
  await toggle.click();
  await expect(password).toHaveAttribute("type", "text");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(toggle).toHaveText("Hide password");
  await toggle.click();
  await expect(password).toHaveAttribute("type", "password");
});

for (const path of ["/ceo", "/client", "/provider", "/reseller"]) {
  test(`${path} asks a visitor to sign in first`, async ({ page }) => {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/login\\?next=${path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Unified Platform");
  });
}

test("an unknown path shows the 404 page with status 404", async ({ page }) => {
  const response = await page.goto("/this/does/not/exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("the language menu switches the interface to French", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "FR" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Pilotez vos cinq sociétés depuis un seul endroit",
  );
});

test("the skip link moves keyboard focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("after one visit, a reload with the network off shows the cached page", async ({ page, context }) => {
  await page.goto("/login");
  // The service worker is registered once the page hydrates (release builds).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // Load once under the worker's control so it keeps a copy of the page.
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);
  await page.reload();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Unified Platform");

  // A page never visited falls back to the offline page.
  await page.goto("/reseller");
  await expect(page.getByTestId("offline-page")).toBeVisible();
  await context.setOffline(false);
});
