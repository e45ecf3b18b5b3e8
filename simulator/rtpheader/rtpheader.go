// Package rtpheader is an interceptor that parses the header of each
// incoming RTP packet once, into attributes and a header reused for every
// packet of the stream, for the interceptors that read it next (RTCP
// reports, NACK, transport-wide feedback).
//
// Pion passes no attributes to the first reader, so the first interceptor
// that needs the header allocated a map and a header for every packet
// received (a third of the bytes a 200-call run allocated). A stream is
// read by one goroutine, one packet at a time, and its interceptors use
// the header before the next read, so one map and one header serve them
// all. Whoever keeps a packet's attributes past the next read of the
// stream sees them change: rtcdrill's readers do not.
package rtpheader

import (
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
)

// InterceptorFactory builds one Interceptor per PeerConnection.
type InterceptorFactory struct{}

// NewInterceptor returns the factory.
func NewInterceptor() (*InterceptorFactory, error) {
	return &InterceptorFactory{}, nil
}

// NewInterceptor builds the Interceptor of one PeerConnection.
func (f *InterceptorFactory) NewInterceptor(_ string) (interceptor.Interceptor, error) {
	return &Interceptor{}, nil
}

// Interceptor hands every incoming RTP packet's readers its parsed header
// in attributes reused per stream. Register it before the interceptors
// that read the header, so that it is nearer the wire.
type Interceptor struct {
	interceptor.NoOp
}

// BindRemoteStream gives the stream's packets reused attributes holding
// their parsed header; a reader below that returns attributes of its own
// keeps them.
func (i *Interceptor) BindRemoteStream(_ *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	attr := interceptor.Attributes{}
	var hdr *rtp.Header // the one cached in attr, once the first packet put it there
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, got, err := reader.Read(b, a)
		if err != nil || got != nil {
			return n, got, err
		}
		if hdr == nil {
			hdr, err = attr.GetRTPHeader(b[:n]) // parses and caches
		} else {
			_, err = hdr.Unmarshal(b[:n]) // in place, for the readers above
		}
		if err != nil {
			// The next packet is parsed over whatever this one left.
			return 0, nil, err
		}
		return n, attr, nil
	})
}
