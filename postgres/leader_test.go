package postgres

import (
	"context"
	"testing"

	"tributary/internal/pgtest"
)

// TestLeading: one replica leads at a time; when it goes, the next one to
// ask leads.
func TestLeading(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Database(t, "leader")
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !a.Leading(ctx) {
		t.Fatal("the first to ask does not lead")
	}
	if !a.Leading(ctx) {
		t.Fatal("the leader lost the lead by asking again")
	}
	if b.Leading(ctx) {
		t.Fatal("two lead")
	}
	a.Close()
	if !b.Leading(ctx) {
		t.Error("the lead was not taken over when its holder went")
	}
}
