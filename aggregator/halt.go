package aggregator

import "fmt"

// OutcomeHalted is a poll not run because polls are halted (Halt).
const OutcomeHalted Outcome = "halted"

// Halt stops every poll from now on, for a reason (a store found
// damaged: writing into it can only spread the damage): a poll is
// skipped, fetching nothing, with OutcomeHalted. Published feeds are
// still served from what is stored. Only a restart resumes polls.
func (a *Aggregator) Halt(reason error) {
	a.halted.CompareAndSwap(nil, &reason)
}

// Halted returns why polls are halted, or nil.
func (a *Aggregator) Halted() error {
	if r := a.halted.Load(); r != nil {
		return fmt.Errorf("polls halted: %w", *r)
	}
	return nil
}
