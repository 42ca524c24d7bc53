import { expect, test, type Browser, type Page } from "@playwright/test";
import path from "node:path";
import { hydrated, open, signInAs, signInCeo, USERS } from "./helpers";

/** A real Swiss QR-bill (sprain/php-swiss-qr-bill's test data, see ../shared/fixtures/README.md). */
const QR_BILL = path.join(__dirname, "../../../shared/fixtures/qrbill/FpdfOutput/qr-full-set.pdf");

async function session(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

function isoDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A camt.054 debit notification of `iban` for one debit carrying `endToEndId`. */
function camt054Debit(iban: string, amount: string, endToEndId: string): string {
  const day = isoDay(0);
  const unique = Date.now();
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>E2E-DEBIT-${unique}</MsgId><CreDtTm>${day}T10:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>E2E-DEBIT-${unique}</Id><Acct><Id><IBAN>${iban}</IBAN></Id></Acct>
<Ntry><Amt Ccy="CHF">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>${day}</Dt></BookgDt><ValDt><Dt>${day}</Dt></ValDt><AcctSvcrRef>E2E-DEBIT-${unique}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="CHF">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>
</TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
}

test("a provider uploads a QR-bill, the accountant validates it, the CEO approves it, a payment run pays it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const number = `LT-E2E-${Date.now()}`;

  // The provider drops their bill in their portal.
  const provider = await session(browser);
  await signInAs(provider, USERS.provider);
  await open(provider, "/provider/bills");
  await provider.getByLabel("Choose files").setInputFiles(QR_BILL);
  const uploaded = provider.getByTestId("uploaded");
  await expect(uploaded).toHaveCount(1, { timeout: 30_000 });
  await uploaded.getByRole("link").click();
  await expect(provider).toHaveURL(/\/provider\/bills\/[0-9a-f-]{36}$/);
  const billPath = new URL(provider.url()).pathname;
  const id = billPath.split("/").pop()!;
  await hydrated(provider);
  await expect(provider.getByTestId("bill-status")).toHaveText("To validate");

  // The accountant checks what was read (the QR-bill's IBAN and reference), completes it, saves.
  const staff = await session(browser);
  await signInAs(staff, USERS.staff);
  await open(staff, `/ceo/bills/${id}`);
  await expect(staff.getByTestId("bill-file")).toBeVisible();
  await expect(staff.locator("#b-iban")).toHaveValue("CH4431999123000889012");
  await expect(staff.locator("#b-reference")).toHaveValue("123456789012345678901234567");
  await expect(staff.locator("#b-amount")).toHaveValue("25.90");
  await expect(staff.getByTestId("read-sources")).toContainText("iban: qr · 100 %");
  await staff.locator("#b-number").fill(number);
  await staff.locator("#b-issue_date").fill(isoDay(-2));
  await staff.locator("#b-due_date").fill(isoDay(20));
  // A mistyped amount is refused on its field; corrected, the bill goes to approval.
  await staff.locator("#b-amount").fill("25,9O");
  await staff.getByTestId("save-bill").click();
  await expect(staff.locator("#b-amount-error")).toBeVisible();
  await staff.locator("#b-amount").fill("25.90");
  await staff.getByTestId("save-bill").click();
  await expect(staff.getByTestId("bill-status")).toHaveText("To approve");

  // The CEO approves it.
  const ceo = await session(browser);
  await signInCeo(ceo);
  await open(ceo, `/ceo/bills/${id}`);
  await expect(ceo.getByTestId("bill-status")).toHaveText("To approve");
  await ceo.getByTestId("approve-bill").click();
  await expect(ceo.getByTestId("bill-status")).toHaveText("Approved");
  await expect(ceo.getByTestId("approvals")).toContainText("Jean Dupont");

  // A payment run: HYPERVISUAL's bank is not connected to Revolut, so a pain.001 file.
  await open(ceo, "/ceo/bills/runs");
  await ceo.locator("#run-company").selectOption({ label: "HYPERVISUAL" });
  await ceo.locator("#run-due_until").fill(isoDay(60));
  await ceo.getByTestId("preview-run").click();
  const group = ceo.getByTestId("run-group").filter({ hasText: number });
  await expect(group).toHaveCount(1);
  await ceo.getByTestId("confirm-run").click();
  await expect(ceo).toHaveURL(/\/ceo\/bills\/runs\/[0-9a-f-]{36}$/);
  await hydrated(ceo);
  const file = ceo.getByTestId("pain001").first();
  await expect(file).toBeVisible();
  const response = await ceo.request.get((await file.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  const xml = await response.text();
  // The payment block of the account that pays it, and its transfer (the QR reference kept).
  const block = xml.split("<PmtInf>").find((b) => b.includes("<Ref>123456789012345678901234567</Ref>"));
  expect(block, xml).toBeTruthy();
  const payment = block!.split("<CdtTrfTxInf>").find((t) => t.includes("<Ref>123456789012345678901234567</Ref>"))!;
  expect(payment).toContain('<InstdAmt Ccy="CHF">25.90</InstdAmt>');
  const endToEndId = /<EndToEndId>([^<]+)<\/EndToEndId>/.exec(payment)![1];
  const debtorIban = /<DbtrAcct><Id><IBAN>([^<]+)<\/IBAN>/.exec(block!)![1];
  await open(ceo, `/ceo/bills/${id}`);
  await expect(ceo.getByTestId("bill-status")).toHaveText("Payment ordered");

  // The bank's debit comes back with the end-to-end id: the bill is paid.
  await open(ceo, "/ceo/banking");
  await ceo.locator("#import-company").selectOption({ label: "HYPERVISUAL" });
  await ceo.getByLabel("Statement file").setInputFiles({
    name: "debit.xml",
    mimeType: "application/xml",
    buffer: Buffer.from(camt054Debit(debtorIban, "25.90", endToEndId)),
  });
  await ceo.getByTestId("import-statement").click();
  await expect(ceo.getByTestId("import-summary")).toContainText("1 entries read: 1 new");
  await open(ceo, `/ceo/bills/${id}`);
  await expect(ceo.getByTestId("bill-status")).toHaveText("Paid");

  // The provider sees it paid.
  await provider.reload();
  await hydrated(provider);
  await expect(provider.getByTestId("bill-status")).toHaveText("Paid");
});
