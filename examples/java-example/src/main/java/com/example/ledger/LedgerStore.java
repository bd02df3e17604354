package com.example.ledger;

import java.util.List;
import java.util.Optional;

/**
 * Where accounts are kept between operations.
 */
public interface LedgerStore {
    /** Every account, in the order they were opened. */
    List<Account> accounts();

    /** Saves an account, replacing one with the same id. */
    void save(Account account);

    /**
     * Finds an account by id.
     *
     * @return the account, or empty when no account has that id
     */
    default Optional<Account> find(String id) {
        for (Account a : accounts()) {
            if (a.id().equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
