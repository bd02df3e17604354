package ledger

import (
	"errors"
	"testing"
	"time"
)

func TestTransfer(t *testing.T) {
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	from := NewAccount("alice", 0)
	to := NewAccount("bob", 0)
	if err := from.Deposit(at, 1000, "pay"); err != nil {
		t.Fatal(err)
	}
	if err := Transfer(at, from, to, 400); err != nil {
		t.Fatal(err)
	}
	if from.Balance() != 600 || to.Balance() != 400 {
		t.Fatalf("balances %v %v, want 600 400", from.Balance(), to.Balance())
	}
	if err := Transfer(at, from, to, 700); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("overdrawn transfer: %v", err)
	}
	if from.Balance() != 600 || to.Balance() != 400 {
		t.Fatalf("a refused transfer changed the balances: %v %v", from.Balance(), to.Balance())
	}
}

func TestOpenWithAndFee(t *testing.T) {
	at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	s := NewMemoryStore()
	a, err := OpenWith(s, at, "carol", "20.00")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get("carol"); err != nil || got != a {
		t.Fatalf("store lookup: %v %v", got, err)
	}
	fee, err := ChargeFee(at, a, 10)
	if err != nil || fee != 200 || a.Balance() != 1800 {
		t.Fatalf("fee %v (%v), balance %v", fee, err, a.Balance())
	}
}
