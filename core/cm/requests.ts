// A patient's request from the catalogue in the app (issue 12): what they may ask for.
// Asking moves no money and no stock; staff fulfil it as a redemption, where the ledger,
// stock, threshold and approval rules apply as always. These rules only keep a patient
// from asking for what could never be given: an item not offered, a prize-bowl item
// (prizes come from draws), cash where the funding forbids it, more than is in stock, or
// more than the balance left after their other open requests.

export const REQUEST_MAX_QUANTITY = 10;
/** Open requests one patient may have at once. */
export const REQUEST_MAX_OPEN = 5;

/**
 * Why staff decline a request, as the patient reads it in their own language (the app has
 * the words): the item ran out or is no longer offered, the balance no longer covers it
 * (money can be clawed back or spent after asking), staff want to talk about it first, or
 * another reason, which staff then write. A note for the patient may go with any of them.
 */
export const DECLINE_REASONS = ['out-of-stock', 'not-offered', 'balance', 'talk-first', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** How long staff's note with a decline may be: a patient's request from the app, a redemption's second approver. */
export const DECLINE_NOTE_MAX = { request: 300, redemption: 500 } as const;

/** Whether a decline for this reason needs staff's note: 'other' says nothing by itself. */
export const declineNeedsNote = (code: DeclineReason | '' | undefined): boolean => code === 'other';

export type RequestItem = { active: boolean; prizeTier: string | null; cashEquivalent: boolean; stock: number; valueCents: number };
export type RequestProblem = { code: string; field: 'body.itemId' | 'body.quantity'; message: string };

export function requestProblem(input: { item: RequestItem; quantity: number; balanceCents: number; openRequestCents: number; openRequests: number; noCash: boolean }): RequestProblem | null {
  const { item, quantity } = input;
  if (!item.active || item.prizeTier !== null) return { code: 'item_not_offered', field: 'body.itemId', message: 'This item cannot be asked for in the app.' };
  if (input.noCash && item.cashEquivalent) return { code: 'cash_not_allowed', field: 'body.itemId', message: 'The funding for these rewards does not allow cash or gift cards like this one.' };
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > REQUEST_MAX_QUANTITY) return { code: 'invalid_quantity', field: 'body.quantity', message: `Ask for 1 to ${REQUEST_MAX_QUANTITY}.` };
  if (item.stock < quantity) return { code: 'out_of_stock', field: 'body.quantity', message: `Only ${item.stock} left.` };
  if (input.openRequests >= REQUEST_MAX_OPEN)
    return { code: 'too_many_requests', field: 'body.itemId', message: `You have ${input.openRequests} requests waiting. Wait for the clinic to answer them first.` };
  const free = input.balanceCents - input.openRequestCents;
  if (item.valueCents * quantity > free) return { code: 'insufficient_balance', field: 'body.itemId', message: 'Your balance does not cover this, counting the requests you are waiting on.' };
  return null;
}
