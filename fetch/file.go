package fetch

import (
	"fmt"
	"net/url"
	"os"
	"time"

	"tributary/news"
)

// fetchFile reads a file URL. Its modification time, to the nanosecond,
// and size stand in for Last-Modified, so an unchanged file costs no
// parsing while a file rewritten within the same second is still read.
func (f *Fetcher) fetchFile(u *url.URL, st news.FetchState) (*Response, error) {
	path := u.Path
	if u.Opaque != "" {
		path = u.Opaque
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return nil, err
	}
	mod := fmt.Sprintf("%s size=%d", info.ModTime().UTC().Format(time.RFC3339Nano), info.Size())
	if mod == st.LastModified {
		return &Response{NotModified: true, LastModified: mod}, nil
	}
	body, err := f.readCapped(file)
	if err != nil {
		return nil, err
	}
	return &Response{Body: body, LastModified: mod}, nil
}
