package news

import "fmt"

// SourceRecord is a source as the store knows it: the URL and priority it
// was last configured with, its fetch state, and how many items it has.
type SourceRecord struct {
	Name     string
	URL      string
	Priority int
	Title    string // the outlet's name: the configured title, else what the feed's title gives (feed.OutletName), "" until either
	Site     string // the upstream's web site, "" until a document gave one
	State    FetchState
	Items    int
}

// Status is a source's health in a word.
type Status string

// The statuses of a source.
const (
	StatusNever   Status = "never"   // not polled yet
	StatusOK      Status = "ok"      // the last poll succeeded
	StatusFailing Status = "failing" // the last poll failed
	StatusRetired Status = "retired" // its configured URL answered 410 Gone: not polled until it changes
)

// Health is what an operator needs to know about a source.
type Health struct {
	Status Status
	// Moved is where a permanent redirect of the configured URL leads,
	// polled instead of it: the config should say so.
	Moved string
	// Notes are lines for an operator, none when all is well.
	Notes []string
}

// Health classifies the source from its fetch state: the one place
// /healthz, systemd's STATUS= line and `tributary status` learn it.
func (r SourceRecord) Health() Health {
	var h Health
	st := r.State
	switch {
	case st.Retired != "" && st.Retired == r.URL:
		h.Status = StatusRetired
		h.Notes = append(h.Notes, fmt.Sprintf("retired: %s (410 Gone from %s; change its URL to poll it again)", r.Name, r.URL))
	case st.LastError != "":
		h.Status = StatusFailing
	case st.LastPoll.IsZero():
		h.Status = StatusNever
	default:
		h.Status = StatusOK
	}
	if st.MovedFrom == r.URL && st.MovedTo != "" {
		h.Moved = st.MovedTo
		h.Notes = append(h.Notes, fmt.Sprintf("moved: %s now polls %s; update the config", r.Name, st.MovedTo))
	}
	if h.Status == StatusFailing {
		h.Notes = append(h.Notes, fmt.Sprintf("failing: %s (%d in a row): %s", r.Name, st.Failures, st.LastError))
	}
	return h
}
