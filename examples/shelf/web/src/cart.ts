import { formatMoney, roundCents } from "./money";

export interface CartLine {
  sku: string;
  unitPrice: number;
  quantity: number;
}

/**
 * A shopping cart that keeps one line per article.
 */
export class Cart {
  private lines = new Map<string, CartLine>();

  /**
   * Add units of an article, merging with an existing line for the same SKU.
   */
  add(sku: string, unitPrice: number, quantity = 1): CartLine {
    const line = this.lines.get(sku);
    if (line) {
      line.quantity += quantity;
      return line;
    }
    const created = { sku, unitPrice, quantity };
    this.lines.set(sku, created);
    return created;
  }

  /**
   * The amount due before tax: the sum of every line's price times quantity.
   */
  subtotal(): number {
    let sum = 0;
    for (const line of this.lines.values()) {
      sum += line.unitPrice * line.quantity;
    }
    return roundCents(sum);
  }

  /**
   * A receipt with one row per line and the total, ready to print.
   */
  receipt(taxRate = 0): string {
    const rows = [...this.lines.values()].map(
      (line) => `${line.sku.padEnd(10)} x${String(line.quantity).padStart(3)} ${formatMoney(line.unitPrice * line.quantity)}`,
    );
    const total = totalWithTax(this.subtotal(), taxRate);
    rows.push(`${"TOTAL".padEnd(15)} ${formatMoney(total)}`);
    return rows.join("\n");
  }
}

/**
 * Add tax at the given rate (0.2 for twenty percent) to a subtotal and round to cents.
 */
export function totalWithTax(subtotal: number, rate: number): number {
  if (rate < 0) {
    throw new RangeError("tax rate must not be negative");
  }
  return roundCents(subtotal * (1 + rate));
}
