/**
 * @file The invoices service's own data, derived from the company id alone: no storage, and
 * the same invoices for a company on every run and with any CRM dataset. Ids stay strings
 * throughout, so an id beyond 2^53 survives unchanged.
 */

export type InvoiceStatus = 'DRAFT' | 'SENT' | 'PAID' | 'OVERDUE';

export interface Money {
  cents: number;
  currency: string;
}

export interface Invoice {
  id: string;
  companyId: string;
  number: string;
  status: InvoiceStatus;
  issuedOn: string;
  dueOn: string;
  amount: Money;
}

const STATUSES: readonly InvoiceStatus[] = ['DRAFT', 'SENT', 'PAID', 'OVERDUE'];
const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
const MAX_INVOICES_PER_COMPANY = 5;
const PAYMENT_TERM_DAYS = 30;
/** The last issue day keeps every due date inside 2026. */
const LAST_ISSUE_DAY = 364 - PAYMENT_TERM_DAYS;
const OWED: ReadonlySet<InvoiceStatus> = new Set(['SENT', 'OVERDUE']);
/** `INV-<companyId>-<n>`; the company id may itself contain dashes, n never does. */
const INVOICE_ID = /^INV-(.+)-\d+$/;

/** FNV-1a (32 bits): small, stable across runs and platforms, good enough to spread ids. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A number in [0, modulo) for one property of one thing; the key names both. */
function pick(key: string, modulo: number): number {
  return hashString(key) % modulo;
}

function dayOf2026(day: number): string {
  return new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
}

/** The currency all of a company's invoices are in. */
export function currencyOf(companyId: string): string {
  return CURRENCIES[pick(`${companyId}/currency`, CURRENCIES.length)];
}

/** The company's 0 to 5 invoices, in order of issue (n = 1, 2, ...). */
export function invoicesOf(companyId: string): Invoice[] {
  const count = pick(`${companyId}/count`, MAX_INVOICES_PER_COMPANY + 1);
  const currency = currencyOf(companyId);
  const drafts = Array.from({ length: count }, (_, k) => {
    const key = `${companyId}/${k}`;
    return {
      issueDay: pick(`${key}/issued`, LAST_ISSUE_DAY + 1),
      status: STATUSES[pick(`${key}/status`, STATUSES.length)],
      // 50.00 to 9,999.99: within Int even when five are summed.
      cents: 5_000 + pick(`${key}/cents`, 995_000),
    };
  });
  drafts.sort((a, b) => a.issueDay - b.issueDay);
  return drafts.map((draft, index) => {
    const n = index + 1;
    return {
      id: `INV-${companyId}-${n}`,
      companyId,
      number: `2026/${companyId}/${n}`,
      status: draft.status,
      issuedOn: dayOf2026(draft.issueDay),
      dueOn: dayOf2026(draft.issueDay + PAYMENT_TERM_DAYS),
      amount: { cents: draft.cents, currency },
    };
  });
}

/** The invoice with this id, or undefined when the id is malformed or its company has fewer invoices. */
export function findInvoice(id: string): Invoice | undefined {
  const match = INVOICE_ID.exec(id);
  if (!match) return undefined;
  return invoicesOf(match[1]).find((invoice) => invoice.id === id);
}

/** The sum of the company's SENT and OVERDUE invoices (zero when it owes nothing). */
export function outstandingOf(companyId: string): Money {
  const cents = invoicesOf(companyId)
    .filter((invoice) => OWED.has(invoice.status))
    .reduce((sum, invoice) => sum + invoice.amount.cents, 0);
  return { cents, currency: currencyOf(companyId) };
}
