package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// story is a set of entries the index holds for one event.
type story struct {
	key     string
	members []int32 // its live entries, in the order they joined
	// gone is set once the story is out of the index (its last member
	// pruned, or merged into another): its slot waits for compaction.
	gone bool
}

// StoryKey returns the key of a story started by the item (source, guid).
// It is derived, not random, so the same upstream entry always starts the
// same story, and its published id never changes.
func StoryKey(source, guid string) string {
	h := sha256.Sum256([]byte(source + "\x00" + guid))
	return hex.EncodeToString(h[:12])
}

// newStory makes a story of key, with no members yet.
func (x *Index) newStory(key string) int32 {
	id := int32(len(x.stories))
	x.stories = append(x.stories, story{key: key})
	if key != "" {
		x.storyIDs[key] = id
	}
	return id
}

// storyFor returns the live story of key, made if need be (a stored
// item's story, as a rebuild meets it).
func (x *Index) storyFor(key string) int32 {
	if id, ok := x.storyIDs[key]; ok {
		s := &x.stories[id]
		s.gone = false
		return id
	}
	return x.newStory(key)
}

// attach makes entry e a member of story s.
func (x *Index) attach(e, s int32) {
	x.ents[e].story = s
	st := &x.stories[s]
	st.members = append(st.members, e)
	if u := x.ents[e].url; u != 0 {
		if old, ok := x.byURL[u]; !ok || x.ents[old].story < 0 || x.ents[old].published > x.ents[e].published {
			x.byURL[u] = e
		}
	}
}

// detach takes entry e out of its story, which is gone once it has no
// member left.
func (x *Index) detach(e int32) {
	s := x.ents[e].story
	st := &x.stories[s]
	if i := slices.Index(st.members, e); i >= 0 {
		st.members = slices.Delete(st.members, i, i+1)
	}
	x.ents[e].story = undecided
	if len(st.members) == 0 {
		st.gone = true
		if st.key != "" && x.storyIDs[st.key] == s {
			delete(x.storyIDs, st.key)
		}
	}
}
