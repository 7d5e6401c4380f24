package publish

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// document is one rendered response, kept in memory.
type document struct {
	body        []byte
	etag        string // strong, of body; the gzip variant gets its own
	modified    time.Time
	contentType string

	gzipOnce sync.Once
	gzipBody []byte // body compressed, made at the first request that asks
}

func newDocument(body []byte, contentType string, modified time.Time) *document {
	sum := sha256.Sum256(body)
	return &document{
		body:        body,
		etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
		modified:    modified.UTC().Truncate(time.Second),
		contentType: contentType,
	}
}

// gzipped returns the body compressed. It is computed once, on demand:
// a feed nobody fetches between two changes never pays for compression.
func (d *document) gzipped(zippers *sync.Pool) []byte {
	d.gzipOnce.Do(func() {
		var zb bytes.Buffer
		zw, _ := zippers.Get().(*gzip.Writer)
		if zw == nil {
			zw = gzip.NewWriter(&zb)
		} else {
			zw.Reset(&zb)
		}
		zw.Write(d.body) // writes to a bytes.Buffer do not fail
		zw.Close()
		zippers.Put(zw)
		d.gzipBody = zb.Bytes()
	})
	return d.gzipBody
}
