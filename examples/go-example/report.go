package ledger

import (
	"fmt"
	"strings"
)

// Summary totals the balances of a store's accounts.
type Summary struct {
	Lines    []string
	Total    Cents
	Negative int // how many accounts are below zero
}

// Summarize builds one line per account of the store, in name order, with the
// grand total and the count of accounts in the red.
func Summarize(s Store) (Summary, error) {
	var sum Summary
	for _, name := range s.Names() {
		a, err := s.Get(name)
		if err != nil {
			return Summary{}, err
		}
		b := a.Balance()
		sum.Total += b
		if b < 0 {
			sum.Negative++
		}
		sum.Lines = append(sum.Lines, fmt.Sprintf("%-12s %10s", name, b))
	}
	return sum, nil
}

// Text renders the summary as a table whose last line is the total.
func (s Summary) Text() string {
	var b strings.Builder
	for _, line := range s.Lines {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	width := 23
	b.WriteString(strings.Repeat("-", width))
	b.WriteByte('\n')
	fmt.Fprintf(&b, "%-12s %10s\n", "total", s.Total)
	return b.String()
}

// pad right-aligns text in a field of the given width, cutting it when it is
// longer than the field.
var pad = func(text string, width int) string {
	if len(text) >= width {
		return text[:width]
	}
	return strings.Repeat(" ", width-len(text)) + text
}
