import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUEST_MAX_OPEN, REQUEST_MAX_QUANTITY, requestProblem, type RequestItem } from './requests.ts';

const item: RequestItem = { active: true, prizeTier: null, cashEquivalent: false, stock: 5, valueCents: 500 };
const base = { item, quantity: 1, balanceCents: 1000, openRequestCents: 0, openRequests: 0, noCash: false };

describe('what a patient may ask for in the app', () => {
  it('allows an offered item the balance covers', () => {
    expect(requestProblem(base)).toBeNull();
    expect(requestProblem({ ...base, quantity: 2 })).toBeNull();
  });
  it('refuses prize-bowl items, inactive items and cash where the funding forbids it', () => {
    expect(requestProblem({ ...base, item: { ...item, prizeTier: 'small' } })?.code).toBe('item_not_offered');
    expect(requestProblem({ ...base, item: { ...item, active: false } })?.code).toBe('item_not_offered');
    expect(requestProblem({ ...base, item: { ...item, cashEquivalent: true }, noCash: true })?.code).toBe('cash_not_allowed');
    expect(requestProblem({ ...base, item: { ...item, cashEquivalent: true } })).toBeNull();
  });
  it('refuses more than the stock, bad quantities and too many open requests', () => {
    expect(requestProblem({ ...base, item: { ...item, stock: 1 }, quantity: 2 })?.code).toBe('out_of_stock');
    expect(requestProblem({ ...base, quantity: 0 })?.field).toBe('body.quantity');
    expect(requestProblem({ ...base, quantity: REQUEST_MAX_QUANTITY + 1 })?.code).toBe('invalid_quantity');
    expect(requestProblem({ ...base, openRequests: REQUEST_MAX_OPEN })?.code).toBe('too_many_requests');
  });
  it('counts the open requests against the balance', () => {
    expect(requestProblem({ ...base, openRequestCents: 600 })?.code).toBe('insufficient_balance');
    expect(requestProblem({ ...base, openRequestCents: 500 })).toBeNull();
  });
  it('never lets open requests ask for more than the balance (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.record({ value: fc.integer({ min: 1, max: 20_000 }), quantity: fc.integer({ min: -1, max: 12 }) }), { maxLength: 12 }),
        (balance, asks) => {
          let open = 0;
          let count = 0;
          for (const a of asks) {
            const problem = requestProblem({ ...base, item: { ...item, valueCents: a.value, stock: 100 }, quantity: a.quantity, balanceCents: balance, openRequestCents: open, openRequests: count });
            if (!problem) {
              open += a.value * a.quantity;
              count += 1;
            }
          }
          expect(open).toBeLessThanOrEqual(balance);
          expect(count).toBeLessThanOrEqual(REQUEST_MAX_OPEN);
        },
      ),
    );
  });
});
