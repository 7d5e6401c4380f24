package storetest

import (
	"context"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// mover is what a store offers replicas to follow its moves.
type mover interface {
	MovesAfter(ctx context.Context, after int64, fn func(store.Move)) (int64, error)
	LastMoveID(ctx context.Context) (int64, error)
}

// testMoves: a poll's moves put stored items in other stories and merge
// stories, in the poll's transaction: a story left empty goes, the
// topics follow the items, a story's published time is the earliest it
// held, and every move is recorded for the other replicas in order.
func testMoves(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "moves")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{
		item("a", "1", "s1", time.Hour, "ukraine"),
		item("a", "2", "s2", 2*time.Hour, "climate"),
		item("a", "3", "s3", 3*time.Hour, "tech"),
	}})
	// A new item of b joins s2; a's 1 is decided again into s2, and s3
	// merges into it; a's 3 was alone.
	save(t, s, &store.Poll{Source: "b", New: []news.Item{item("b", "1", "s2", 4*time.Hour)},
		State: news.FetchState{LastPoll: t0.Add(5 * time.Hour)},
		Moves: []store.Move{{Source: "a", GUID: "1", From: "s1", To: "s2"}, {From: "s3", To: "s2"}}})
	if got := keys(t, s, news.AllTopic, 10); got != "[s2]" {
		t.Fatalf("stories = %s, want [s2]: s1 left empty and s3 merged", got)
	}
	for _, topic := range []string{"ukraine", "climate", "tech"} {
		if got := keys(t, s, topic, 10); got != "[s2]" {
			t.Errorf("%s = %s, want [s2]: its item is there now", topic, got)
		}
	}
	st, err := s.Stories(ctx, news.AllTopic, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st[0].Items); n != 4 {
		t.Errorf("s2 holds %d items, want 4", n)
	}
	if !st[0].Published.Equal(t0.Add(time.Hour)) || !st[0].Updated.Equal(t0.Add(5*time.Hour)) {
		t.Errorf("s2 published %s, updated %s; want its earliest item's time and the poll's", st[0].Published, st[0].Updated)
	}
	// An item moved into a story of its own, which the store makes.
	save(t, s, &store.Poll{Source: "c", New: []news.Item{item("c", "1", "s9", 6*time.Hour)},
		State: news.FetchState{LastPoll: t0.Add(6 * time.Hour)},
		Moves: []store.Move{{Source: "a", GUID: "3", From: "s2", To: "s4"}}})
	if got := keys(t, s, "tech", 10); got != "[s4]" {
		t.Errorf("tech = %s, want [s4]", got)
	}
	if got := keys(t, s, "ukraine", 10); got != "[s2]" {
		t.Errorf("ukraine = %s, want [s2]", got)
	}
	m, ok := s.(mover)
	if !ok {
		t.Fatal("the store does not record its moves")
	}
	var moves []store.Move
	last, err := m.MovesAfter(ctx, 0, func(mv store.Move) { moves = append(moves, mv) })
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Move{{Source: "a", GUID: "1", From: "s1", To: "s2"}, {From: "s3", To: "s2"}, {Source: "a", GUID: "3", From: "s2", To: "s4"}}
	if len(moves) != len(want) {
		t.Fatalf("moves = %+v, want %+v", moves, want)
	}
	for i := range want {
		if moves[i] != want[i] {
			t.Errorf("move %d = %+v, want %+v", i, moves[i], want[i])
		}
	}
	if newest, err := m.LastMoveID(ctx); err != nil || newest != last {
		t.Errorf("LastMoveID = %d, %v; want %d", newest, err, last)
	}
	if after, err := m.MovesAfter(ctx, last, func(store.Move) { t.Error("a move after the last") }); err != nil || after != last {
		t.Errorf("MovesAfter(last) = %d, %v", after, err)
	}
}

// testMovesAlone: a poll that brought no item still writes the moves its
// settling made, and the filings they changed.
func testMovesAlone(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "movesalone")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{item("a", "1", "s1", 0, "world"), item("a", "2", "s2", time.Minute)}})
	id := known(t, s, "a", "2").ID
	save(t, s, &store.Poll{Source: "a", Moves: []store.Move{{Source: "a", GUID: "2", From: "s2", To: "s1"}},
		Refiled: []store.Filing{{ID: id, Hash: "h-2", Topics: []string{"world"}}}})
	if got := keys(t, s, news.AllTopic, 10); got != "[s1]" {
		t.Errorf("stories after a poll of moves alone: %s, want [s1]", got)
	}
	if got := keys(t, s, "world", 10); got != "[s1]" {
		t.Errorf("world after the filing: %s", got)
	}
	items, err := s.StoryItems(ctx, "s1")
	if err != nil || len(items) != 2 {
		t.Errorf("s1 holds %d items, %v", len(items), err)
	}
}
