package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// broker fans ingest events out to the open server-sent event streams.
type broker struct {
	mu     sync.Mutex
	subs   map[chan IngestEvent]struct{}
	closed bool
	done   chan struct{}
}

func newBroker() *broker {
	return &broker{subs: map[chan IngestEvent]struct{}{}, done: make(chan struct{})}
}

func (b *broker) subscribe() (chan IngestEvent, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, false
	}
	c := make(chan IngestEvent, 8)
	b.subs[c] = struct{}{}
	return c, true
}

func (b *broker) unsubscribe(c chan IngestEvent) {
	b.mu.Lock()
	delete(b.subs, c)
	b.mu.Unlock()
}

// publish sends ev to every subscriber; a slow subscriber misses events
// (the next one carries the current totals anyway).
func (b *broker) publish(ev IngestEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.subs {
		select {
		case c <- ev:
		default:
		}
	}
}

func (b *broker) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// close ends every stream (at shutdown).
func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
}

// apiLive streams "ingest" events (text/event-stream) after each committed
// batch, with a comment line every 20 seconds to keep proxies open.
func (s *Server) apiLive(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	c, ok := s.live.subscribe()
	if !ok {
		s.jsonError(w, http.StatusServiceUnavailable, errClosed.Error())
		return
	}
	defer s.live.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 5000\n: connected\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.live.done:
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case ev := <-c:
			b, _ := json.Marshal(ev)
			fmt.Fprintf(w, "event: ingest\ndata: %s\n\n", b)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
