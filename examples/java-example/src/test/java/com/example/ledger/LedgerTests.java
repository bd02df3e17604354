package com.example.ledger;

import java.time.LocalDate;

/** The example's tests, runnable without a test framework: {@code java com.example.ledger.LedgerTests}. */
public final class LedgerTests {
    private static int failures = 0;

    private static void check(boolean ok, String what) {
        if (!ok) {
            failures++;
            System.err.println("FAILED: " + what);
        }
    }

    public static void main(String[] args) {
        Money a = Money.parse("12.30", Currency.EUR);
        check(a.minorUnits() == 1230, "parse 12.30");
        check(Money.parse("-0.5", Currency.USD).format().equals("-$0.50"), "format -0.50");
        check(Money.parse("120", Currency.JPY).format().equals("¥120"), "format yen");
        Money[] shares = new Money(100, Currency.EUR).allocate(3);
        check(shares[0].minorUnits() == 34 && shares[2].minorUnits() == 33, "allocate 100 by 3");

        Account cash = new Account("cash", Currency.EUR);
        cash.deposit(LocalDate.of(2024, 1, 2), "salary", Money.parse("100", Currency.EUR));
        cash.withdraw(LocalDate.of(2024, 1, 1), "coffee", Money.parse("2.50", Currency.EUR));
        check(cash.balance().format().equals("€97.50"), "balance");
        check(cash.history().get(0).memo().equals("coffee"), "history in date order");
        check(cash.balanceOn(LocalDate.of(2024, 1, 1)).format().equals("-€2.50"), "balance on a day");

        InMemoryLedgerStore store = new InMemoryLedgerStore();
        store.save(cash);
        check(store.find("cash").isPresent() && store.find("none").isEmpty(), "store find");
        String statement = new StatementPrinter(8).print(cash, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31));
        check(statement.contains("coffee  ") && statement.contains("Closing balance: €97.50"), "statement");
        if (failures > 0) {
            System.exit(1);
        }
        System.out.println("all tests passed");
    }
}
