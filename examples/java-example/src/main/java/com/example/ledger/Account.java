package com.example.ledger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One account of the ledger: an id, a currency and the entries booked on it. The balance is always the sum of
 * the entries.
 */
public class Account {
    /** Orders entries by date, then by the order they were booked in. */
    static final Comparator<Entry> BY_DATE = (a, b) -> {
        int byDate = a.date().compareTo(b.date());
        return byDate != 0 ? byDate : Integer.compare(a.sequence, b.sequence);
    };

    private final String id;
    private final Currency currency;
    private final List<Entry> entries = new ArrayList<>();
    private Money overdraftLimit;

    /** An entry booked on an account: a dated, described amount (negative for withdrawals). */
    public final class Entry {
        private final LocalDate date;
        private final String memo;
        private final Money amount;
        private final int sequence;

        Entry(LocalDate date, String memo, Money amount) {
            this.date = date;
            this.memo = memo;
            this.amount = amount;
            this.sequence = entries.size();
        }

        public LocalDate date() {
            return date;
        }

        public String memo() {
            return memo;
        }

        public Money amount() {
            return amount;
        }

        /** The account this entry was booked on. */
        public Account account() {
            return Account.this;
        }
    }

    /**
     * Opens an empty account.
     *
     * @param id a unique id such as "cash" or "acme-savings"
     * @param currency the currency every entry must use
     */
    public Account(String id, Currency currency) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an account needs an id");
        }
        this.id = id;
        this.currency = currency;
        this.overdraftLimit = new Money(0, currency);
    }

    public String id() {
        return id;
    }

    public Currency currency() {
        return currency;
    }

    /** Allows the balance to go down to minus {@code limit}. */
    public void setOverdraftLimit(Money limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("an overdraft limit cannot be negative");
        }
        this.overdraftLimit = limit;
    }

    /**
     * Books money into the account.
     *
     * @return the new entry
     * @throws IllegalArgumentException when the amount is not positive or in another currency
     */
    public Entry deposit(LocalDate date, String memo, Money amount) {
        if (amount.isNegative() || amount.minorUnits() == 0) {
            throw new IllegalArgumentException("a deposit must be positive: " + amount);
        }
        Entry e = new Entry(date, memo, amount);
        entries.add(e);
        return e;
    }

    /**
     * Takes money out of the account, refusing to go below the overdraft limit.
     *
     * @throws IllegalStateException when the balance would drop below minus the overdraft limit
     */
    public Entry withdraw(LocalDate date, String memo, Money amount) {
        if (amount.isNegative() || amount.minorUnits() == 0) {
            throw new IllegalArgumentException("a withdrawal must be positive: " + amount);
        }
        Money after = balance().minus(amount);
        if (after.minorUnits() < -overdraftLimit.minorUnits()) {
            throw new IllegalStateException("insufficient funds in " + id + ": balance would be " + after.format());
        }
        Entry e = new Entry(date, memo, new Money(-amount.minorUnits(), currency));
        entries.add(e);
        return e;
    }

    /** The sum of every entry booked so far. */
    public Money balance() {
        Money total = new Money(0, currency);
        for (Entry e : entries) {
            total = total.plus(e.amount());
        }
        return total;
    }

    /**
     * The balance at the end of a given day: the sum of the entries dated on or before it.
     */
    public Money balanceOn(LocalDate day) {
        Money total = new Money(0, currency);
        for (Entry e : entries) {
            if (!e.date().isAfter(day)) {
                total = total.plus(e.amount());
            }
        }
        return total;
    }

    /** The entries in date order, as an unmodifiable list. */
    public List<Entry> history() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(BY_DATE);
        return Collections.unmodifiableList(sorted);
    }
}
