package ledger

import (
	"fmt"
	"time"
)

// Transfer moves an amount from one account to another at the given time.
// When the withdrawal is refused, neither account changes.
func Transfer(at time.Time, from, to *Account, amount Cents) error {
	note := fmt.Sprintf("transfer %s -> %s", from.Name, to.Name)
	if err := from.Withdraw(at, amount, note); err != nil {
		return err
	}
	return to.Deposit(at, amount, note)
}

// ChargeFee takes a percentage of a positive balance out of the account as a
// fee and returns the fee taken (zero when the balance is not positive).
func ChargeFee(at time.Time, a *Account, percent int64) (Cents, error) {
	fee := a.Balance().Percent(percent)
	if fee <= 0 {
		return 0, nil
	}
	if err := a.Withdraw(at, fee, "fee"); err != nil {
		return 0, err
	}
	return fee, nil
}

// OpenWith creates an account in the store whose opening deposit is parsed
// from text such as "12.50".
func OpenWith(s *MemoryStore, at time.Time, name, opening string) (*Account, error) {
	amount, err := ParseCents(opening)
	if err != nil {
		return nil, err
	}
	a := NewAccount(name, 0)
	if err := a.Deposit(at, amount, "opening"); err != nil {
		return nil, err
	}
	s.Put(a)
	return a, nil
}
