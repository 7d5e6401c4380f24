package dedupe

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// never the page; they are dropped from canonical URLs.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "msclkid": true,
	"yclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "ocid": true, "cmpid": true,
	"at_medium": true, "at_campaign": true, "ito": true,
}

// Canonical returns the form of a link used to recognise the same page:
// https for http, lower-case host without default port, no fragment, no
// tracking parameters (utm_* and the click ids above), remaining query
// parameters sorted, no trailing slash. A link that does not parse as an
// absolute URL is returned trimmed.
func Canonical(link string) string {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return link
	}
	u.Scheme = "https"
	u.User = nil
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if host == "" { // "http://.." names no host
		return link
	}
	if strings.Contains(host, ":") { // IPv6
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				q.Del(k)
			}
		}
		u.RawQuery = encodeSorted(q)
	}
	u.ForceQuery = false
	return u.String()
}

func encodeSorted(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if k == "" && v == "" { // a stray "&=" or "&&": says nothing
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			if v != "" {
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}
