/**
 * Stripe amounts are integers in the currency's minor unit as the Stripe API counts it (docs "Supported
 * currencies → Minor units in API amounts"). That unit is not always ISO 4217's: ISK stays two-decimal in
 * the API although the krona has no fractions. So the exponent comes from Stripe's own lists, never from
 * ISO data or Intl, and a currency not listed here gets no decimal form at all.
 */

/** Stripe's zero-decimal currencies: the amount is whole units (`500` JPY is ¥500). UGX is left out, see below. */
const ZERO_DECIMAL = [
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
];

/** Stripe's three-decimal currencies (`5120` KWD is 5.120 KWD; Stripe requires the last digit to be 0). */
const THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/**
 * Presentment currencies Stripe counts in hundredths. ISK, HUF and TWD are here on purpose: Stripe keeps them
 * two-decimal in the API (whole units are sent as multiples of 100). UGX is in no list: Stripe lists it as
 * zero-decimal but also describes a two-decimal legacy representation, so its exponent is not certain.
 */
const TWO_DECIMAL = (
  'aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bmd bnd bob brl bsd bwp byn bzd cad cdf chf cny ' +
  'cop crc cve czk dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gtq gyd hkd hnl htg huf idr ils inr isk ' +
  'jmd kes kgs khr kyd kzt lak lbp lkr lrd lsl mad mdl mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio ' +
  'nok npr nzd pab pen pgk php pkr pln qar ron rsd rub sar sbd scr sek sgd shp sle sll sos srd std szl thb ' +
  'tjs top try ttd twd tzs uah usd uyu uzs wst xcd yer zar zmw'
).split(' ');

const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...ZERO_DECIMAL.map((c): [string, number] => [c, 0]),
  ...TWO_DECIMAL.map((c): [string, number] => [c, 2]),
  ...THREE_DECIMAL.map((c): [string, number] => [c, 3]),
]);

/** How many decimals a Stripe amount in `currency` has, or null when Hookhub does not know it for sure. */
export function stripeExponent(currency: string): number | null {
  return EXPONENTS.get(currency.toLowerCase()) ?? null;
}

/** `2000` with exponent 2 → `"20.00"`; `-5` → `"-0.05"`; exponent 0 → the integer as text. Exact: no floats. */
export function toDecimalString(minor: number, exponent: number): string {
  const digits = Math.abs(minor).toString();
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * The top-level money fields of a Stripe object: `amount`, `amount_*`, `*_amount`, totals, balances and
 * balance-transaction `fee` / `net`. Only integers count: Stripe's `*_decimal` fields are already strings
 * (of minor units), and objects such as `amount_details` are not amounts.
 */
const MONEY_FIELD =
  /^(amount|amount_[a-z_]+|[a-z_]+_amount|subtotal|subtotal_excluding_tax|total|total_excluding_tax|tax|balance|starting_balance|ending_balance|fee|net)$/;

export type DecimalAmounts =
  | { currency: string; exponent: number; amounts: Record<string, string> }
  | { currency: string; exponent: null; amounts: null }
  | null;

/**
 * Decimal strings for the money fields of `object` in its `currency`: null when it has no currency or no
 * integer money field; `exponent: null` when the currency's exponent is unknown (nothing is guessed).
 */
export function decimalAmounts(object: Record<string, unknown>): DecimalAmounts {
  const currency = typeof object.currency === 'string' ? object.currency.toLowerCase() : null;
  if (!currency) return null;
  const fields = Object.entries(object).filter(
    (entry): entry is [string, number] => MONEY_FIELD.test(entry[0]) && Number.isSafeInteger(entry[1]),
  );
  if (fields.length === 0) return null;
  const exponent = stripeExponent(currency);
  if (exponent === null) return { currency, exponent: null, amounts: null };
  return {
    currency,
    exponent,
    amounts: Object.fromEntries(fields.map(([key, value]) => [key, toDecimalString(value, exponent)])),
  };
}
