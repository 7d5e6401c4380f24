package publish

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
)

// Icon is the picture readers show beside tributary's feeds.
type Icon struct {
	// URL, when set, is an icon served elsewhere: the feeds and the front
	// page point to it, and /favicon.ico redirects there.
	URL string
	// Data is an icon to serve at /favicon.ico and /icon.png, of media
	// type Type. With neither URL nor Data, tributary draws its own.
	Data []byte
	Type string
}

// iconSize is the side of the icon tributary draws, in pixels: JSON Feed
// asks for a large icon, and readers scale it down for a tab or a list.
const iconSize = 256

// defaultIcon draws tributary's icon as a PNG: three streams running into
// one, white on blue.
func defaultIcon(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size) / 64
	blue := color.NRGBA{0x1d, 0x4e, 0x89, 0xff}
	// Three streams from the top edge meet, and run on as one.
	segments := [][4]float64{{14, 8, 32, 38}, {32, 6, 32, 38}, {50, 8, 32, 38}, {32, 38, 32, 58}}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			px, py := (float64(x)+0.5)/s, (float64(y)+0.5)/s
			if !inRoundedSquare(px, py, 64, 12) {
				continue
			}
			d := math.Inf(1)
			for _, g := range segments {
				d = math.Min(d, distance(px, py, g[0], g[1], g[2], g[3]))
			}
			// White within 3.2 units of a stream, blended over a unit's
			// width for smooth edges.
			a := math.Max(0, math.Min(1, 3.7-d))
			img.SetNRGBA(x, y, color.NRGBA{
				R: mix(blue.R, 0xff, a), G: mix(blue.G, 0xff, a), B: mix(blue.B, 0xff, a), A: 0xff,
			})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) // writing to a bytes.Buffer does not fail
	return buf.Bytes()
}

func mix(a, b uint8, t float64) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t + 0.5) }

// distance is the distance from (px, py) to the segment (x1, y1)-(x2, y2).
func distance(px, py, x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	t := ((px-x1)*dx + (py-y1)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-(x1+t*dx), py-(y1+t*dy))
}

// inRoundedSquare reports whether (x, y) lies in a square of side n with
// corners of radius r.
func inRoundedSquare(x, y, n, r float64) bool {
	cx, cy := math.Max(r, math.Min(n-r, x)), math.Max(r, math.Min(n-r, y))
	return math.Hypot(x-cx, y-cy) <= r
}

// serveIcon serves the icon, or sends the reader to the one elsewhere.
func (p *Publisher) serveIcon(w http.ResponseWriter, r *http.Request) {
	if p.opts.Icon.URL != "" {
		http.Redirect(w, r, p.opts.Icon.URL, http.StatusFound)
		return
	}
	p.serve(w, r, p.icon)
}
