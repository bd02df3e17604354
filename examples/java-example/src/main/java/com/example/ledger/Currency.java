package com.example.ledger;

import java.util.Locale;

/**
 * The currencies the ledger can hold, with the number of minor units each one uses.
 */
public enum Currency {
    EUR("€", 2),
    USD("$", 2),
    JPY("¥", 0),
    BHD("BD", 3);

    private final String symbol;
    private final int decimals;

    Currency(String symbol, int decimals) {
        this.symbol = symbol;
        this.decimals = decimals;
    }

    /** The symbol printed before an amount. */
    public String symbol() {
        return symbol;
    }

    /** How many digits follow the decimal point in this currency. */
    public int decimals() {
        return decimals;
    }

    /**
     * Looks a currency up by its ISO 4217 code, ignoring case and surrounding blanks.
     *
     * @param code a code such as "eur" or " USD "
     * @return the currency
     * @throws IllegalArgumentException when the code is not one the ledger supports
     */
    public static Currency fromCode(String code) {
        String wanted = code.trim().toUpperCase(Locale.ROOT);
        for (Currency c : values()) {
            if (c.name().equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unsupported currency: " + code);
    }
}
