import { expect, test } from "@playwright/test";
import { hydrated, linkFromMail, pathOf, signIn, signInCeo } from "./helpers";

const CLIENT_EMAIL = `anna.${Date.now()}@lakeside.example`;
const NEW_PASSWORD = "Lake view over the Alps 2026";

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test("W1: quote, portal invitation, terms and signature, deposit invoice with QR-bill, payment, active project", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await signInCeo(page);

  // The CEO creates the client company and its contact, and invites the contact to the portal.
  await page.goto("/ceo/crm/new");
  await hydrated(page);
  await page.locator("#f-company").selectOption({ label: "HYPERVISUAL" });
  const party = page.getByTestId("party-form");
  await party.getByLabel("Name", { exact: true }).fill("Lakeside Hotels SA");
  await party.getByLabel("Email address").fill("office@lakeside.example");
  await party.getByLabel("Street").fill("Quai du Mont-Blanc");
  await party.getByLabel("Building number").fill("19");
  await party.getByLabel("Postal code").fill("1201");
  await party.getByLabel("Town").fill("Genève");
  await page.getByTestId("save-party").click();
  await expect(page).toHaveURL(/\/ceo\/crm\/[0-9a-f-]{36}$/);

  // The saved party's page renders again once its data arrives: fill the contact form when
  // that has settled (a field typed into the page being replaced would be lost).
  await expect(page.getByRole("heading", { level: 1, name: "Lakeside Hotels SA" })).toBeVisible();
  const contact = page.getByTestId("contact-form");
  await expect(async () => {
    await contact.getByLabel("First name").fill("Anna");
    await contact.getByLabel("Last name").fill("Rossi");
    await contact.getByLabel("Email address").fill(CLIENT_EMAIL);
    await contact.getByLabel("Document language").selectOption("en");
    await expect(contact.getByLabel("First name")).toHaveValue("Anna", { timeout: 1_000 });
  }).toPass();
  await page.getByTestId("save-contact").click();
  await expect(page.getByTestId("contacts")).toContainText("Anna Rossi");
  await page.getByTestId("invite").click();
  await expect(page.getByText("Invitation sent.")).toBeVisible();

  // Staff see that a personal link went out, never the link: only the recipient's mailbox has it.
  await page.goto("/ceo/emails");
  await hydrated(page);
  const invitation = page.getByTestId("emails").locator("li").filter({ hasText: CLIENT_EMAIL }).first();
  await expect(invitation).toContainText("client portal");
  await expect(invitation).not.toContainText("token=");
  const link = await linkFromMail(CLIENT_EMAIL, /https?:\/\/\S+\/reset-password\?token=[\w-]+/);

  // The quote, from the catalogue.
  await page.goto("/ceo/quotes/new");
  await hydrated(page);
  await page.locator("#company").selectOption({ label: "HYPERVISUAL" });
  await page.getByTestId("party").selectOption({ label: "Lakeside Hotels SA" });
  await page.getByTestId("contact").selectOption({ label: "Anna Rossi" });
  await page.getByLabel("Title", { exact: true }).fill("LED wall for the summer gala");
  await page.getByLabel("Valid until").fill(inDays(30));
  await page.locator("#line-0-product").selectOption({ index: 1 });
  await expect(page.locator("#line-0-description")).not.toHaveValue("");
  await page.locator("#line-0-quantity").fill("2");
  await page.getByTestId("save-quote").click();
  await expect(page).toHaveURL(/\/ceo\/quotes\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("quote-status")).toHaveText("Draft");
  await page.getByTestId("send-quote").click();
  await expect(page.getByTestId("quote-status")).toHaveText("Sent");
  const quoteNumber = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Quote ", "").trim();

  // The client chooses a password from the invitation, signs in and signs.
  const clientContext = await browser.newContext();
  const client = await clientContext.newPage();
  await client.goto(pathOf(link));
  await hydrated(client);
  await expect(client.getByLabel("New password", { exact: true })).toBeVisible();
  await client.waitForTimeout(300);
  await client.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await client.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
  await client.getByRole("button", { name: "Choose a new password" }).click();
  await expect(client.getByTestId("reset-done")).toBeVisible();
  await signIn(client, CLIENT_EMAIL, NEW_PASSWORD);
  await expect(client).toHaveURL(/\/client$/);
  await hydrated(client);
  await client.getByTestId("open-quotes").getByRole("link", { name: quoteNumber }).click();
  await expect(client.getByTestId("quote-status")).toHaveText("Viewed");
  await expect(client.getByTestId("terms-text")).toContainText("Conditions générales");
  await client.getByTestId("sign").click();
  await expect(client.getByRole("alert").filter({ hasText: "required" }).first()).toBeVisible();
  await client.getByLabel("I have read and accept the terms of sale above.").check();
  await client.getByLabel("Your full name").fill("Anna Rossi");
  await client.getByTestId("sign").click();
  await expect(client.getByTestId("signed")).toContainText("Anna Rossi");
  await expect(client.getByTestId("quote-status")).toHaveText("Awaiting deposit");

  // The deposit invoice, with its QR-bill, in the client portal...
  const depositLink = client.getByTestId("deposit-invoice-link");
  const invoiceNumber = (await depositLink.textContent())!.trim();
  await depositLink.click();
  await expect(client.getByTestId("qr-code").locator("svg")).toBeVisible();
  await expect(client.getByTestId("pay-account")).toHaveText("CH38 3076 7001 0000 0000 0");
  await expect(client.getByTestId("pay-reference")).not.toBeEmpty();
  const pdf = await client.request.get(await client.getByTestId("invoice-pdf").getAttribute("href")!);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  // ...and in the CEO portal, where the payment is recorded.
  await page.goto(`/ceo/invoices?q=${invoiceNumber}`);
  await hydrated(page);
  // Numbers are per company: another company may have the same one.
  await page
    .getByTestId("invoices")
    .locator("tbody tr")
    .filter({ hasText: "HYPERVISUAL" })
    .getByRole("link", { name: invoiceNumber, exact: true })
    .click();
  await expect(page.getByTestId("invoice-status")).toHaveText("Viewed");
  await page.getByLabel("Paid on").fill(inDays(0));
  await page.getByTestId("record-payment").click();
  await expect(page.getByTestId("invoice-status")).toHaveText("Paid");

  // The project is active, the quote completed, and the client has the email.
  await page.goto("/ceo/projects");
  await hydrated(page);
  await expect(page.getByTestId("projects").locator("tr").filter({ hasText: "LED wall for the summer gala" })).toContainText("Active");
  await page.goto("/ceo/emails");
  await hydrated(page);
  await expect(page.getByTestId("emails").locator("li").filter({ hasText: CLIENT_EMAIL }).filter({ hasText: "Deposit received" })).toHaveCount(1);
  await client.goto("/client");
  await hydrated(client);
  await expect(client.getByTestId("projects")).toContainText("Active");
  await clientContext.close();
});
