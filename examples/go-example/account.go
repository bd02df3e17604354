package ledger

import (
	"errors"
	"time"
)

// ErrInsufficientFunds is returned by Withdraw when the balance would go below the overdraft limit.
var ErrInsufficientFunds = errors.New("ledger: insufficient funds")

// Entry is one movement of an account: a positive amount is money in, a negative one money out.
type Entry struct {
	At     time.Time
	Amount Cents
	Note   string
}

// Account is a named balance with its history of entries.
type Account struct {
	Name      string
	Overdraft Cents // how far below zero the balance may go
	entries   []Entry
	balance   Cents
}

// NewAccount opens an empty account under the given name.
func NewAccount(name string, overdraft Cents) *Account {
	return &Account{Name: name, Overdraft: overdraft}
}

// Deposit adds a positive amount to the balance and records it with its note.
// Amounts that are zero or negative are refused.
func (a *Account) Deposit(at time.Time, amount Cents, note string) error {
	if amount <= 0 {
		return ErrBadAmount
	}
	a.entries = append(a.entries, Entry{At: at, Amount: amount, Note: note})
	a.balance += amount
	return nil
}

// Withdraw takes an amount out of the account, unless that would leave the
// balance below minus the overdraft limit.
func (a *Account) Withdraw(at time.Time, amount Cents, note string) error {
	if amount <= 0 {
		return ErrBadAmount
	}
	if a.balance-amount < -a.Overdraft {
		return ErrInsufficientFunds
	}
	a.entries = append(a.entries, Entry{At: at, Amount: -amount, Note: note})
	a.balance -= amount
	return nil
}

// Balance is the current amount on the account.
func (a *Account) Balance() Cents {
	return a.balance
}

// Between lists the entries dated from start (included) to end (excluded),
// oldest first.
func (a *Account) Between(start, end time.Time) []Entry {
	var out []Entry
	for _, e := range a.entries {
		if !e.At.Before(start) && e.At.Before(end) {
			out = append(out, e)
		}
	}
	return out
}
