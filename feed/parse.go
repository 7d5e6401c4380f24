package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"tributary/fetch"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// parse turns a fetched body into a feed of at most maxItems entries: the
// HTTP charset applied when the document declares none, invalid UTF-8
// replaced (one bad byte must not sink a whole feed), the document's
// shape bounded and cut (see bound), then gofeed. repaired says whether
// invalid UTF-8 was replaced.
func parse(resp *fetch.Response, maxItems int) (feed *gofeed.Feed, repaired bool, err error) {
	body, err := toUTF8(resp.Body, resp.ContentType)
	if err != nil {
		return nil, false, err
	}
	if isUTF8Document(body) && !utf8.Valid(body) {
		body, repaired = bytes.ToValidUTF8(body, []byte("\uFFFD")), true
	}
	if body, err = bound(body, maxItems); err != nil {
		return nil, repaired, err
	}
	parser := gofeed.NewParser()
	// gofeed would parse every item's HTML at every poll to find a
	// picture; normalising does it for new and edited entries only.
	parser.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	feed, err = parser.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, repaired, parseError(err, resp)
	}
	return feed, repaired, nil
}

// isUTF8Document reports whether a body is meant as UTF-8: JSON, or XML
// declaring UTF-8 or no encoding at all. A document declaring another
// encoding is decoded by the parser, and its bytes are not UTF-8.
func isUTF8Document(body []byte) bool {
	if bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return false // UTF-16
	}
	label := declaredEncoding(body)
	return label == "" || label == "utf-8" || label == "utf8"
}

// declaredEncoding returns the encoding an XML declaration names, lower
// case, or "".
func declaredEncoding(body []byte) string {
	head := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head[:min(len(head), 200)], []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(head[:end])
	k := strings.Index(decl, "encoding")
	if k < 0 {
		return ""
	}
	v := strings.TrimLeft(decl[k+len("encoding"):], " \t\r\n=")
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return ""
	}
	v, _, _ = strings.Cut(v[1:], v[:1])
	return strings.ToLower(strings.TrimSpace(v))
}

// parseError says what the body looked like when gofeed could not read it.
func parseError(err error, resp *fetch.Response) error {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		what := "not a feed"
		head := bytes.ToLower(bytes.TrimSpace(resp.Body[:min(len(resp.Body), 512)]))
		switch {
		case len(resp.Body) == 0:
			what = "empty body"
		case bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html")):
			what = "HTML page, not a feed"
		}
		if resp.ContentType != "" {
			what += " (Content-Type " + resp.ContentType + ")"
		}
		return errors.New(what)
	}
	return err
}

// toUTF8 decodes a body in the charset its Content-Type names, when the
// document does not declare its own encoding (an XML declaration with an
// encoding, or a byte-order mark); gofeed reads declared encodings
// itself, and HTTP alone it ignores.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return body, nil
	}
	label := strings.ToLower(strings.TrimSpace(params["charset"]))
	if label == "" || label == "utf-8" || label == "utf8" || declaresEncoding(body) {
		return body, nil
	}
	r, err := charset.NewReaderLabel(label, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("charset %q: %w", label, err)
	}
	return io.ReadAll(r)
}

// declaresEncoding reports whether a document names its own encoding: a
// byte-order mark or an XML declaration with an encoding.
func declaresEncoding(body []byte) bool {
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return true
	}
	return declaredEncoding(body) != ""
}
