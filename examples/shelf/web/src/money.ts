/** Currency helpers shared by the cart and the receipt printer. */

/**
 * Round an amount to whole cents, halves away from zero.
 */
export function roundCents(amount: number): number {
  const sign = amount < 0 ? -1 : 1;
  return (sign * Math.round(Math.abs(amount) * 100 + Number.EPSILON)) / 100;
}

/**
 * Format an amount for display with a currency symbol and two decimals.
 */
export function formatMoney(amount: number, symbol = "$"): string {
  const rounded = roundCents(amount);
  const sign = rounded < 0 ? "-" : "";
  return `${sign}${symbol}${Math.abs(rounded).toFixed(2)}`;
}
