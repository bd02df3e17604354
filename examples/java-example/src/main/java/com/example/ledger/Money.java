package com.example.ledger;

import java.util.Objects;

/**
 * An amount of one currency, held as a whole number of minor units (cents) so that sums are exact.
 */
public final class Money implements Comparable<Money> {
    private final long minorUnits;
    private final Currency currency;

    /**
     * Creates an amount from minor units.
     *
     * @param minorUnits the amount in the currency's smallest unit
     * @param currency its currency
     */
    public Money(long minorUnits, Currency currency) {
        this.minorUnits = minorUnits;
        this.currency = Objects.requireNonNull(currency, "currency");
    }

    /**
     * Reads a decimal text such as "12.30" or "-0.5" as an amount of {@code currency}; more fraction digits than
     * the currency has are refused rather than rounded.
     */
    public static Money parse(String text, Currency currency) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        String fraction = dot < 0 ? "" : t.substring(dot + 1);
        if (fraction.length() > currency.decimals()) {
            throw new IllegalArgumentException("too many decimals for " + currency + ": " + text);
        }
        while (fraction.length() < currency.decimals()) {
            fraction = fraction + "0";
        }
        long units = Long.parseLong(whole.isEmpty() ? "0" : whole) * pow10(currency.decimals()) + (fraction.isEmpty() ? 0 : Long.parseLong(fraction));
        return new Money(negative ? -units : units, currency);
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** The amount in minor units. */
    public long minorUnits() {
        return minorUnits;
    }

    /** The currency of the amount. */
    public Currency currency() {
        return currency;
    }

    /**
     * The sum of this amount and another one of the same currency.
     *
     * @throws IllegalArgumentException when the currencies differ
     */
    public Money plus(Money other) {
        requireSameCurrency(other);
        long sum = Math.addExact(minorUnits, other.minorUnits);
        return new Money(sum, currency);
    }

    /** This amount less another one of the same currency; the result may be negative. */
    public Money minus(Money other) {
        requireSameCurrency(other);
        long difference = Math.subtractExact(minorUnits, other.minorUnits);
        return new Money(difference, currency);
    }

    /**
     * Splits the amount into {@code parts} shares that differ by at most one minor unit and add up to the whole;
     * the first shares get the remainder.
     */
    public Money[] allocate(int parts) {
        if (parts <= 0) {
            throw new IllegalArgumentException("parts must be positive: " + parts);
        }
        Money[] shares = new Money[parts];
        long base = minorUnits / parts;
        long remainder = minorUnits % parts;
        for (int i = 0; i < parts; i++) {
            long extra = i < Math.abs(remainder) ? Long.signum(remainder) : 0;
            shares[i] = new Money(base + extra, currency);
        }
        return shares;
    }

    /** Whether the amount is below zero. */
    public boolean isNegative() {
        return minorUnits < 0;
    }

    private void requireSameCurrency(Money other) {
        if (other.currency != currency) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " and " + other.currency);
        }
    }

    /**
     * Formats the amount with its symbol, a minus sign before the symbol when negative, and exactly as many
     * fraction digits as the currency has: "-$3.05", "¥120".
     */
    public String format() {
        long abs = Math.abs(minorUnits);
        int decimals = currency.decimals();
        StringBuilder out = new StringBuilder();
        if (minorUnits < 0) {
            out.append('-');
        }
        out.append(currency.symbol());
        if (decimals == 0) {
            return out.append(abs).toString();
        }
        long scale = pow10(decimals);
        String fraction = String.valueOf(abs % scale);
        while (fraction.length() < decimals) {
            fraction = "0" + fraction;
        }
        return out.append(abs / scale).append('.').append(fraction).toString();
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minorUnits, other.minorUnits);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Money)) {
            return false;
        }
        Money m = (Money) o;
        return m.minorUnits == minorUnits && m.currency == currency;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minorUnits, currency);
    }

    @Override
    public String toString() {
        return format();
    }
}
