package browserfeed

import (
	"context"
	"testing"
)

// BenchmarkLoadVideo is the cost of parsing a rendition's clip, which New
// and a first SetRendition to that rendition pay.
func BenchmarkLoadVideo(b *testing.B) {
	for _, name := range Renditions() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := loadVideo(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewFeed is what the offer route pays before answering: the
// clips and a Pion peer connection, then closing it.
func BenchmarkNewFeed(b *testing.B) {
	for b.Loop() {
		f, err := New(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
