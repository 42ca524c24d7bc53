import { expect, test, type Page } from "@playwright/test";
import { hydrated, open, signInCeo } from "./helpers";

/** Calls a server function from the page (same origin, the page's session). */
async function api(page: Page, path: string, body: unknown, json = true): Promise<any> {
  return page.evaluate(
    async ({ path, body, json }) => {
      const response = await fetch(`/api/${path}`, {
        method: "POST",
        headers: { "content-type": json ? "application/json" : "application/x-www-form-urlencoded" },
        body: json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString(),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    { path, body, json },
  );
}

/** An issued CHF invoice of HYPERVISUAL to Helvetia Events: its page data. */
async function issuedInvoice(page: Page, price: string): Promise<any> {
  const me = await api(page, "auth/whoami", {}, false);
  const company = me.companies.find((c: any) => c.code === "HYPERVISUAL").id;
  const parties = await api(page, "crm/party_choices", { company_id: company, kind: "Client" }, false);
  const party = parties.find((p: any) => p.name === "Helvetia Events SA").id;
  const id = await api(page, "invoices/create", {
    input: {
      company_id: company, party_id: party, contact_id: null, title: `Banking test ${price}`, currency: "CHF",
      due_days: "30",
      lines: [{ product_id: null, description: "Stage", quantity: "1", unit: "pce", unit_price: price, discount: "",
                vat_code: "Standard", service_date: new Date().toISOString().slice(0, 10) }],
    },
  });
  await api(page, "invoices/send", { id }, false);
  return api(page, "invoices/get", { id }, false);
}

function camt054(iban: string, payer: string, entries: { ref?: string; amount: number; text: string; id: string }[]): string {
  const day = new Date().toISOString().slice(0, 10);
  const amount = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
  const ntry = entries
    .map(
      (e) => `<Ntry><Amt Ccy="CHF">${amount(e.amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>${day}</Dt></BookgDt><ValDt><Dt>${day}</Dt></ValDt><AcctSvcrRef>${e.id}</AcctSvcrRef>
<NtryDtls><TxDtls><Amt Ccy="CHF">${amount(e.amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RltdPties><Dbtr><Pty><Nm>${payer}</Nm></Pty></Dbtr></RltdPties>
<RmtInf><Ustrd>${e.text}</Ustrd>${e.ref ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>${e.ref}</Ref></CdtrRefInf></Strd>` : ""}</RmtInf>
</TxDtls></NtryDtls></Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>E2E-${Date.now()}</MsgId><CreDtTm>${day}T10:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>E2E-${Date.now()}</Id><Acct><Id><IBAN>${iban}</IBAN></Id></Acct>
${ntry}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
}

test("a camt.054 uploaded in the CEO portal pays its invoice, and a proposed match is reviewed with the keyboard", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInCeo(page);
  await open(page, "/ceo/banking");
  const paid = await issuedInvoice(page, "1234.50");
  // Two invoices of the same amount: a payment of that amount alone is proposed, not applied.
  const first = await issuedInvoice(page, "777");
  await issuedInvoice(page, "777");
  const accountRow = page.getByTestId("bank-accounts").locator("tr").filter({ hasText: "HYPERVISUAL" }).filter({ hasText: "CHF" }).first();
  const ibanText = (await accountRow.locator("td.mono").textContent())!.replace(/\s/g, "");
  const unique = Date.now();
  const payer = `E2E Payer ${unique}`;
  const xml = camt054(ibanText, payer, [
    { id: `E2E-A-${unique}`, ref: paid.payment.reference.replace(/\s/g, ""), amount: paid.balance_minor, text: "Facture" },
    { id: `E2E-B-${unique}`, amount: first.balance_minor, text: "Paiement" },
  ]);

  // Upload, with its progress and its summary.
  await page.locator("#import-company").selectOption({ label: "HYPERVISUAL" });
  await page.getByLabel("Statement file").setInputFiles({ name: "camt054.xml", mimeType: "application/xml", buffer: Buffer.from(xml) });
  await page.getByTestId("import-statement").click();
  const summary = page.getByTestId("import-summary");
  await expect(summary).toContainText("2 entries read: 2 new");
  await expect(summary).toContainText("1 matched to invoices, 1 to review");

  // The invoice it pays is paid.
  await open(page, `/ceo/invoices/${paid.id}`);
  await expect(page.getByTestId("invoice-status")).toHaveText("Paid");

  // The proposal, reviewed from the keyboard: A allocates to the first candidate.
  await open(page, `/ceo/banking/transactions?status=proposed&q=${encodeURIComponent(payer)}`);
  await page.locator("table.table tbody a").first().click();
  await expect(page).toHaveURL(/\/ceo\/banking\/transactions\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("candidate")).toHaveCount(2);
  await expect(page.getByTestId("candidates")).toContainText("exactly the amount open");
  await page.getByTestId("transaction-page").focus();
  await page.keyboard.press("a");
  await expect(page.getByTestId("allocations")).toBeVisible();
  await expect(page.getByTestId("remaining")).toHaveText("CHF 0.00");
});
