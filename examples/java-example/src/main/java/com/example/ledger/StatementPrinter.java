package com.example.ledger;

import java.time.LocalDate;
import java.util.List;

/**
 * Renders an account's history as a plain-text statement.
 */
public class StatementPrinter {
    private static final String HEADER = """
        Statement for %s (%s)
        ----------------------------------------
        """;

    private final int memoWidth;

    /** A printer that cuts memos to {@code memoWidth} characters. */
    public StatementPrinter(int memoWidth) {
        this.memoWidth = memoWidth;
    }

    /**
     * Shortens a memo to the printer's width, ending it with '~' when something was cut, and pads it with spaces
     * to exactly that width.
     */
    String fit(String memo) {
        String text = memo.length() > memoWidth ? memo.substring(0, memoWidth - 1) + '~' : memo;
        StringBuilder out = new StringBuilder(text);
        while (out.length() < memoWidth) {
            out.append(' ');
        }
        return out.toString();
    }

    /**
     * The statement of the entries dated between {@code from} and {@code to} (both included): a header, one line
     * per entry with its date, memo and amount, and the closing balance.
     */
    public String print(Account account, LocalDate from, LocalDate to) {
        StringBuilder out = new StringBuilder(String.format(HEADER, account.id(), account.currency()));
        List<Account.Entry> entries = account.history();
        for (Account.Entry e : entries) {
            if (e.date().isBefore(from) || e.date().isAfter(to)) {
                continue;
            }
            out.append(e.date()).append("  ").append(fit(e.memo())).append("  ").append(e.amount().format()).append('\n');
        }
        out.append("Closing balance: ").append(account.balanceOn(to).format()).append('\n');
        return out.toString();
    }
}
