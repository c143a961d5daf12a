package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// IngestResponse answers POST /api/articles.
type IngestResponse struct {
	// Results has one entry per non-blank line (or array element).
	Results []LineResult `json:"results"`
	// Accepted counts lines stored (new, updated or unchanged).
	Accepted int `json:"accepted"`
	// Rejected counts lines not stored.
	Rejected int `json:"rejected"`
	// Error names the first rejected line, when there is one.
	Error string `json:"error,omitempty"`
}

// apiIngest takes one JSON article, a JSON array of articles, or an NDJSON
// batch (Content-Type application/x-ndjson). The good articles of a
// request are committed together, atomically; bad lines are named in the
// answer (422) and do not stop the others.
func (s *Server) apiIngest(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		s.reject("unauthorized", 0)
		w.Header().Set("WWW-Authenticate", `Bearer realm="storyline"`)
		s.jsonError(w, http.StatusUnauthorized, "write requests need Authorization: Bearer TOKEN")
		return
	}
	if s.worker == nil {
		s.jsonError(w, http.StatusServiceUnavailable, "this server is read-only")
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.opt.MaxBody)
	var p *parsed
	var err error
	if isNDJSON(r.Header.Get("Content-Type")) {
		p, err = parseNDJSON(body, s.opt.MaxArticles)
	} else {
		p, err = parseJSON(body, s.opt.MaxArticles)
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.reject("too_large", 0)
		s.jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes: nothing was ingested; split the batch", s.opt.MaxBody))
		return
	case errors.Is(err, errTooMany):
		s.reject("too_large", 0)
		s.jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("more than %d articles in one request: nothing was ingested; split the batch", s.opt.MaxArticles))
		return
	case err != nil:
		s.reject("unreadable", 0)
		s.jsonError(w, http.StatusBadRequest, "could not read the request body")
		return
	}
	resp := IngestResponse{Results: p.results}
	if resp.Results == nil {
		resp.Results = []LineResult{}
	}
	if len(p.arts) > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.IngestTimeout)
		defer cancel()
		status, err := s.worker.submit(ctx, p.arts)
		if err != nil {
			code, msg := classify(err)
			if code == http.StatusInternalServerError {
				s.log.Error("ingest", "err", err)
			}
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				code, msg = http.StatusServiceUnavailable, "ingest timed out waiting for the engine; the batch may still be committed: retry (ingest is idempotent)"
			}
			s.jsonError(w, code, msg)
			return
		}
		for k, i := range p.at {
			resp.Results[i].Status = status[p.arts[k].ID]
		}
	}
	rejected := 0
	for _, lr := range resp.Results {
		if lr.Status == StatusRejected {
			rejected++
			if resp.Error == "" {
				resp.Error = fmt.Sprintf("line %d: %s", lr.Line, lr.Error)
			}
		} else {
			resp.Accepted++
		}
	}
	resp.Rejected = rejected
	code := http.StatusOK
	if rejected > 0 {
		s.reject("malformed", rejected)
		code = http.StatusUnprocessableEntity
		if resp.Accepted == 0 && len(resp.Results) == 1 {
			code = http.StatusBadRequest
		}
	}
	writeJSONTo(w, code, resp)
}

// reject counts a refused input (n lines; 0 counts the request).
func (s *Server) reject(reason string, n int) {
	s.m.add("storyline_ingest_rejected_total", "Ingest inputs refused, by reason (lines for malformed, requests otherwise).", float64(max(n, 1)), "reason", reason)
}
