package text

import "strings"

// Words that mean the same in the news, written one way. Each entry is
// there for a headline pair a reader would call one story (variants_test.go
// holds one per entry), never for a data file's quirk; keep it short and
// reviewed: a wrong entry glues different events together.

// phrase is a run of words written as one word.
type phrase struct{ from, to string }

// phrases returns the runs of words written as one word, applied to the
// folded headline before it is split: "prime minister" and "PM" are one
// token.
func phrases() []phrase {
	return []phrase{
		{"prime minister", "pm"},
		{"united states", "usa"},
		{"united kingdom", "uk"},
		{"united nations", "un"},
		{"european union", "eu"},
		{"cease fire", "ceasefire"},
		{"cease-fire", "ceasefire"},
		{"covid-19", "covid"},
	}
}

// replacePhrases rewrites the phrases in folded text s, whole words only.
func (n *Normalizer) replacePhrases(s string) string {
	for _, p := range n.phrases {
		if !strings.Contains(s, p.from) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, p.from)
			if i < 0 {
				break
			}
			end := i + len(p.from)
			if wordEdge(rest, i-1) && wordEdge(rest, end) {
				b.WriteString(rest[:i])
				b.WriteString(p.to)
			} else {
				b.WriteString(rest[:end])
			}
			rest = rest[end:]
		}
		b.WriteString(rest)
		s = b.String()
	}
	return s
}

// wordEdge reports whether position i of s is outside a word: before the
// start, past the end, or a byte that is no letter or digit.
func wordEdge(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := s[i]
	return !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80)
}

// synonym maps a word to the word it is written as: a synonym news uses
// for the same event, or another spelling of the same name.
func synonym(w string) (string, bool) {
	switch w {
	case "quake", "quakes", "earthquakes", "tremor", "tremors":
		return "earthquake", true
	case "dies", "died", "dead", "death", "deaths", "dying", "killed":
		return "die", true
	case "polls":
		return "election", true
	case "blast", "blasts", "explosions":
		return "explosion", true
	case "truce":
		return "ceasefire", true
	case "jobless":
		return "unemployment", true
	case "hike", "hikes", "hiked":
		return "rise", true
	case "probe", "probes", "inquiry":
		return "investigation", true
	case "cops":
		return "police", true
	case "govt":
		return "government", true
	case "coronavirus":
		return "covid", true
	case "kiev":
		return "kyiv", true
	case "zelenskiy", "zelenskyy", "zelenskyi":
		return "zelensky", true
	case "gadhafi", "qaddafi", "kadafi":
		return "gaddafi", true
	}
	return "", false
}

// GivenWeight is how much a given name weighs against other words: "Luis
// Díaz" and "Díaz" name one man, and a headline that adds or leaves out
// a first name should lose little for it. (Not nothing: "Neil" still
// tells two Youngs apart.)
const GivenWeight = 0.3

// GivenName reports whether a folded word is a common given name in the
// news. The list is the project's own: first names of people often in
// English-language headlines, leaving out those that are also common
// words or surnames (Mark, Bill, Kim, Lee, Ali, Paul).
func GivenName(w string) bool {
	switch w {
	case "joe", "donald", "barack", "hillary", "boris", "theresa", "keir", "rishi", "liz", "emmanuel",
		"angela", "olaf", "vladimir", "volodymyr", "justin", "narendra", "jacinda", "kamala", "mike",
		"michael", "john", "james", "robert", "david", "william", "richard", "thomas", "charles", "peter",
		"george", "andrew", "chris", "christopher", "daniel", "matthew", "anthony", "steven", "kevin",
		"brian", "edward", "ronald", "jason", "jeff", "ryan", "eric", "jonathan", "nicholas", "stephen",
		"larry", "luis", "carlos", "jose", "juan", "pedro", "miguel", "maria", "mary", "elizabeth",
		"jennifer", "linda", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa", "margaret",
		"sandra", "ashley", "emily", "donna", "michelle", "amanda", "melissa", "rebecca", "laura",
		"helen", "anna", "emma", "sergei", "alexei", "mohammed", "muhammad", "ahmed", "abdul", "elon",
		"steve", "tim", "sundar", "satya", "mitch", "ted", "bernie", "neil", "selena", "kanye",
		"beyonce", "lionel", "cristiano", "rafael", "novak", "serena", "lebron", "meghan", "kate":
		return true
	}
	return false
}
