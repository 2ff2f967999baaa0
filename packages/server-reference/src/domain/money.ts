/** USD (the API's unit, at most two decimals) to integer cents (the storage unit). */
export function toCents(usd: number): number {
  return Math.round(usd * 100);
}

/** Integer cents to the decimal USD number the API returns. */
export function toUsd(cents: number): number {
  return cents / 100;
}
