package ledger

import (
	"errors"
	"testing"
	"time"
)

func TestParseCents(t *testing.T) {
	cases := map[string]Cents{"12.3": 1230, "-0.05": -5, "7": 700, " 1.25 ": 125}
	for text, want := range cases {
		got, err := ParseCents(text)
		if err != nil || got != want {
			t.Errorf("ParseCents(%q) = %v, %v; want %v", text, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.234", "x", "1."} {
		if _, err := ParseCents(bad); !errors.Is(err, ErrBadAmount) {
			t.Errorf("ParseCents(%q) error = %v; want ErrBadAmount", bad, err)
		}
	}
}

func TestCentsString(t *testing.T) {
	if got := Cents(-1205).String(); got != "-12.05" {
		t.Errorf("got %q", got)
	}
	if got := Cents(1000).Percent(15); got != 150 {
		t.Errorf("Percent = %v", got)
	}
}

func TestAccountOverdraft(t *testing.T) {
	day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	a := NewAccount("rent", 500)
	if err := a.Deposit(day, 1000, "salary"); err != nil {
		t.Fatal(err)
	}
	if err := a.Withdraw(day.Add(time.Hour), 1400, "rent"); err != nil {
		t.Fatal(err)
	}
	if err := a.Withdraw(day.Add(2*time.Hour), 200, "food"); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("error = %v", err)
	}
	if a.Balance() != -400 {
		t.Fatalf("balance = %v", a.Balance())
	}
	if n := len(a.Between(day, day.Add(90*time.Minute))); n != 2 {
		t.Fatalf("entries = %d", n)
	}
}

func TestSummarize(t *testing.T) {
	s := NewMemoryStore()
	day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	a := NewAccount("b", 1000)
	_ = a.Withdraw(day, 250, "x")
	s.Put(a)
	c := NewAccount("a", 0)
	_ = c.Deposit(day, 1000, "y")
	s.Put(c)
	sum, err := Summarize(s)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 750 || sum.Negative != 1 || len(sum.Lines) != 2 || sum.Lines[0][0] != 'a' {
		t.Fatalf("summary = %+v", sum)
	}
	if _, err := s.Get("zz"); !errors.Is(err, ErrNoAccount) {
		t.Fatal(err)
	}
	if pad("ab", 4) != "  ab" || sum.Text() == "" {
		t.Fatal("text")
	}
}
