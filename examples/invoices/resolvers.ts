import { GraphQLError } from 'graphql';
import { findInvoice, invoicesOf, outstandingOf, type Invoice, type InvoiceStatus } from './data.js';

/** What a gateway hands over for a Company: its key, nothing else of Mirrorgraph's fields. */
interface CompanyReference {
  id: string;
}

const DEFAULT_PAGE_SIZE = 20;

/** The resolvers of `schema.graphql`; every answer comes from `data.ts`, computed from ids. */
export const invoicesResolvers = {
  Query: {
    invoice: (_: unknown, args: { id: string }): Invoice | null => findInvoice(args.id) ?? null,
    invoices: (_: unknown, args: { companyId: string; first?: number | null }): Invoice[] => {
      // An explicit null bypasses the SDL's default; treat it as no limit asked for.
      const first = args.first ?? DEFAULT_PAGE_SIZE;
      if (first < 0) throw new GraphQLError('first must not be negative', { extensions: { code: 'BAD_USER_INPUT' } });
      return invoicesOf(args.companyId).slice(0, first);
    },
  },
  Company: {
    __resolveReference: (reference: CompanyReference): CompanyReference => ({ id: reference.id }),
    invoices: (company: CompanyReference, args: { status?: InvoiceStatus | null }): Invoice[] => {
      const invoices = invoicesOf(company.id);
      return args.status ? invoices.filter((invoice) => invoice.status === args.status) : invoices;
    },
    outstanding: (company: CompanyReference) => outstandingOf(company.id),
  },
  Invoice: {
    __resolveReference: (reference: { id: string }): Invoice | null => findInvoice(reference.id) ?? null,
    company: (invoice: Invoice): CompanyReference => ({ id: invoice.companyId }),
  },
};
