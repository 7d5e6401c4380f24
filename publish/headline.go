package publish

import (
	"tributary/news"
	"tributary/text"
)

// headline is an item's title as readers see it, never empty: its own,
// else its text's first sentence (text.Headline), else its outlet and
// date (news.Item.Untitled).
func headline(it *news.Item) string { return text.Headline(it.Title, it.Body(), it.Untitled()) }
