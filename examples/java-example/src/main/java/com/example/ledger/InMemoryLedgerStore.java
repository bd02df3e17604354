package com.example.ledger;

import java.util.ArrayList;
import java.util.List;

/** A {@link LedgerStore} that keeps accounts in memory, for tests and short-lived tools. */
public class InMemoryLedgerStore implements LedgerStore {
    private final List<Account> accounts = new ArrayList<>();

    @Override
    public List<Account> accounts() {
        return List.copyOf(accounts);
    }

    /** Saves an account, replacing the one with the same id in place so the opening order is kept. */
    @Override
    public void save(Account account) {
        for (int i = 0; i < accounts.size(); i++) {
            if (accounts.get(i).id().equals(account.id())) {
                accounts.set(i, account);
                return;
            }
        }
        accounts.add(account);
    }
}
