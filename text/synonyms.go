package text

import (
	"regexp"
	"strings"
)

// numberWords maps spelled-out numbers to digits, so "Two dead" and
// "2 dead" share a token.
func numberWord(w string) (string, bool) {
	switch w {
	case "one":
		return "1", true
	case "two":
		return "2", true
	case "three":
		return "3", true
	case "four":
		return "4", true
	case "five":
		return "5", true
	case "six":
		return "6", true
	case "seven":
		return "7", true
	case "eight":
		return "8", true
	case "nine":
		return "9", true
	case "ten":
		return "10", true
	case "eleven":
		return "11", true
	case "twelve":
		return "12", true
	case "dozen":
		return "12", true
	case "hundred":
		return "100", true
	case "thousand":
		return "1000", true
	}
	return "", false
}

// demonym maps a people's or language's adjective to its country, so
// "Syrian capital" and "Syria's capital" share a token. The list is the
// countries and blocs most often in English-language world news.
func demonym(w string) (string, bool) {
	switch w {
	case "afghan", "afghani":
		return "afghanistan", true
	case "american", "americans":
		return "usa", true
	case "argentine", "argentinian":
		return "argentina", true
	case "australian":
		return "australia", true
	case "austrian":
		return "austria", true
	case "belgian":
		return "belgium", true
	case "brazilian":
		return "brazil", true
	case "british", "briton", "britons", "britain", "uk", "english":
		return "uk", true
	case "burmese", "myanmar":
		return "burma", true
	case "canadian":
		return "canada", true
	case "chilean":
		return "chile", true
	case "chinese":
		return "china", true
	case "colombian":
		return "colombia", true
	case "cuban":
		return "cuba", true
	case "danish", "dane", "danes":
		return "denmark", true
	case "dutch":
		return "netherlands", true
	case "egyptian", "egyptians":
		return "egypt", true
	case "ethiopian":
		return "ethiopia", true
	case "european":
		return "europe", true
	case "filipino", "philippine":
		return "philippines", true
	case "finnish":
		return "finland", true
	case "french":
		return "france", true
	case "german", "germans":
		return "germany", true
	case "greek", "greeks":
		return "greece", true
	case "hungarian":
		return "hungary", true
	case "indian", "indians":
		return "india", true
	case "indonesian":
		return "indonesia", true
	case "iranian", "iranians":
		return "iran", true
	case "iraqi", "iraqis":
		return "iraq", true
	case "irish":
		return "ireland", true
	case "israeli", "israelis":
		return "israel", true
	case "italian":
		return "italy", true
	case "japanese":
		return "japan", true
	case "kenyan":
		return "kenya", true
	case "korean", "koreans":
		return "korea", true
	case "lebanese":
		return "lebanon", true
	case "libyan", "libyans":
		return "libya", true
	case "malaysian":
		return "malaysia", true
	case "malian":
		return "mali", true
	case "mexican", "mexicans":
		return "mexico", true
	case "nigerian":
		return "nigeria", true
	case "norwegian":
		return "norway", true
	case "pakistani", "pakistanis":
		return "pakistan", true
	case "palestinian", "palestinians":
		return "palestine", true
	case "polish", "poles":
		return "poland", true
	case "portuguese":
		return "portugal", true
	case "russian", "russians":
		return "russia", true
	case "saudi", "saudis":
		return "saudi", true
	case "scottish", "scots":
		return "scotland", true
	case "somali":
		return "somalia", true
	case "spanish":
		return "spain", true
	case "sudanese":
		return "sudan", true
	case "swedish", "swede", "swedes":
		return "sweden", true
	case "swiss":
		return "switzerland", true
	case "syrian", "syrians":
		return "syria", true
	case "taiwanese":
		return "taiwan", true
	case "thai":
		return "thailand", true
	case "turkish", "turks":
		return "turkey", true
	case "ukrainian", "ukrainians":
		return "ukraine", true
	case "venezuelan":
		return "venezuela", true
	case "vietnamese":
		return "vietnam", true
	case "welsh":
		return "wales", true
	case "yemeni", "yemenis":
		return "yemen", true
	}
	return "", false
}

// IsCountry reports whether a folded word names a country, or its people
// or language (a demonym), one of the nations of the UK, or a union of
// countries that acts as one (the EU, the UN, NATO): "EU to ban coal" and
// "US to ban investment" are two events.
func IsCountry(w string) bool {
	if _, ok := demonym(w); ok {
		return w != "european" // a continent and a bloc, not a country
	}
	switch w {
	case "usa", "afghanistan", "argentina", "australia", "austria", "belgium", "brazil", "burma", "canada",
		"chile", "china", "colombia", "cuba", "denmark", "netherlands", "egypt", "ethiopia", "philippines",
		"finland", "france", "germany", "greece", "hungary", "india", "indonesia", "iran", "iraq", "ireland",
		"israel", "italy", "japan", "kenya", "korea", "lebanon", "libya", "malaysia", "mali", "mexico",
		"nigeria", "norway", "pakistan", "palestine", "poland", "portugal", "russia", "scotland", "somalia",
		"spain", "sudan", "sweden", "switzerland", "syria", "taiwan", "thailand", "turkey", "ukraine",
		"venezuela", "vietnam", "wales", "yemen", "england", "peru", "qatar", "cyprus", "serbia", "belarus",
		"georgia", "armenia", "azerbaijan", "kazakhstan", "uzbekistan", "bangladesh", "nepal", "haiti",
		"eu", "un", "nato":
		return true
	}
	return false
}

// caseAcronyms are acronyms that fold into stop words or single letters
// and so must be recognised before folding, by their capitals: "US" is not
// "us", and "U.N." would otherwise split into letters.
type acronym struct {
	re    *regexp.Regexp
	token string
}

// mayHaveAcronym is a cheap test before the acronym patterns run.
func mayHaveAcronym(s string) bool {
	for _, a := range []string{"US", "U.S", "UK", "U.K", "UN", "U.N", "EU", "E.U"} {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

func acronyms() []acronym {
	return []acronym{
		{regexp.MustCompile(`\bU\.?S\.?A?\.?(\b|$)`), " usa "},
		{regexp.MustCompile(`\bU\.?K\.?(\b|$)`), " uk "},
		{regexp.MustCompile(`\bU\.?N\.?(\b|$)`), " un "},
		{regexp.MustCompile(`\bE\.?U\.?(\b|$)`), " eu "},
	}
}
