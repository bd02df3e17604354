// Package ledger keeps accounts of amounts in cents and reports on them.
package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of money in hundredths of the currency unit.
type Cents int64

// ErrBadAmount is returned when a text is not an amount such as "12.30" or "-4".
var ErrBadAmount = errors.New("ledger: bad amount")

// ParseCents reads an amount written with at most two decimals, such as "12.3",
// "-0.05" or "7", into cents.
func ParseCents(text string) (Cents, error) {
	s := strings.TrimSpace(text)
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, text)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, text)
	}
	hundredths, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, text)
	}
	total := Cents(units*100 + hundredths)
	if negative {
		total = -total
	}
	return total, nil
}

// String formats the amount with two decimals and a minus sign when it is negative.
func (c Cents) String() string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign = "-"
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Percent returns the given percentage of the amount, rounded half away from zero.
func (c Cents) Percent(p int64) Cents {
	scaled := int64(c) * p
	if scaled >= 0 {
		return Cents((scaled + 50) / 100)
	}
	return Cents((scaled - 50) / 100)
}
