module tributary/e2e

go 1.26.8

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/mmcdole/gofeed v1.4.2
	tributary v0.0.0
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/mmcdole/goxpp/v2 v2.0.0 // indirect
	golang.org/x/net v0.59.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace tributary => ../
