// Package queue carries storyline's article stream over NATS JetStream:
// Publish puts articles on a durable stream (created if missing), and a
// Consumer pulls them with explicit acks for the workers (see Worker).
// Delivery is at least once; the store's idempotent writes (an article id
// with the same content hash is skipped) make redelivery harmless.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/storyline/storyline/article"
	"github.com/zeebo/xxh3"
)

// Config names the server, stream, subject and consumer.
type Config struct {
	// URL of the NATS server(s), e.g. nats://127.0.0.1:4222.
	URL string
	// Stream is the JetStream stream name (default "STORYLINE").
	Stream string
	// Subject the articles are published on (default "storyline.articles").
	Subject string
	// Consumer is the durable consumer the workers share (default
	// "storyline-worker").
	Consumer string
	// AckWait is how long a delivered, unacknowledged article waits before
	// it is delivered again (default 30s).
	AckWait time.Duration
	// MaxAckPending bounds the unacknowledged articles (default 1000, the
	// ingest batch). A dead worker's articles are then redelivered before
	// any newer one, which keeps the stream order.
	MaxAckPending int
	// Name identifies this client to the server (logs, monitoring).
	Name string
}

func (c *Config) defaults() {
	if c.Stream == "" {
		c.Stream = "STORYLINE"
	}
	if c.Subject == "" {
		c.Subject = "storyline.articles"
	}
	if c.Consumer == "" {
		c.Consumer = "storyline-worker"
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.MaxAckPending <= 0 {
		c.MaxAckPending = 1000
	}
	if c.Name == "" {
		c.Name = "storyline"
	}
}

// Conn is a connection to JetStream with the article stream in place.
type Conn struct {
	cfg    Config
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
}

// Connect connects to cfg.URL (reconnecting forever after a server
// restart) and creates the stream (file storage) if it is missing.
func Connect(ctx context.Context, cfg Config) (*Conn, error) {
	cfg.defaults()
	nc, err := nats.Connect(cfg.URL, nats.Name(cfg.Name), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(false),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				slog.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { slog.Info("nats reconnected", "url", c.ConnectedUrl()) }))
	if err != nil {
		return nil, fmt.Errorf("nats connect %s: %w", cfg.URL, err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	c := &Conn{cfg: cfg, nc: nc, js: js}
	if err := c.ensureStream(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func (c *Conn) ensureStream(ctx context.Context) error {
	st, err := c.js.Stream(ctx, c.cfg.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		st, err = c.js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        c.cfg.Stream,
			Description: "storyline articles",
			Subjects:    []string{c.cfg.Subject},
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Duplicates:  10 * time.Minute,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			st, err = c.js.Stream(ctx, c.cfg.Stream)
		}
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", c.cfg.Stream, err)
	}
	c.stream = st
	return nil
}

// Close closes the connection.
func (c *Conn) Close() { c.nc.Close() }

// Config returns the configuration in effect (with defaults).
func (c *Conn) Config() Config { return c.cfg }

// PublishStats counts a Publish.
type PublishStats struct {
	Published  int `json:"published"`
	Duplicates int `json:"duplicates"` // already in the stream (same id and content)
}

// MsgID is the JetStream de-duplication id of an article: its id and a
// hash of its content, so republishing the same article within the
// stream's duplicate window is dropped by the server while a changed
// article goes through.
func MsgID(a *article.Article, body []byte) string {
	return a.ID + "#" + strconv.FormatUint(xxh3.Hash(body), 36)
}

// Publish publishes arts in order, one message each (JSON of
// article.Article), and waits until the server has stored every one.
// Failed publishes (a server restarting) are retried with the same
// message id, so a retry never stores an article twice.
func (c *Conn) Publish(ctx context.Context, arts []article.Article) (PublishStats, error) {
	var st PublishStats
	type pending struct {
		i  int
		fa jetstream.PubAckFuture
	}
	msgs := make([]*nats.Msg, len(arts))
	for i := range arts {
		body, err := json.Marshal(&arts[i])
		if err != nil {
			return st, fmt.Errorf("publish %q: %w", arts[i].ID, err)
		}
		m := nats.NewMsg(c.cfg.Subject)
		m.Data = body
		m.Header.Set(jetstream.MsgIDHeader, MsgID(&arts[i], body))
		msgs[i] = m
	}
	var failed []int
	var futs []pending
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		fa, err := c.js.PublishMsgAsync(m)
		if err != nil {
			failed = append(failed, i)
			continue
		}
		futs = append(futs, pending{i, fa})
	}
	for _, p := range futs {
		select {
		case ack := <-p.fa.Ok():
			st.Published++
			if ack.Duplicate {
				st.Published--
				st.Duplicates++
			}
		case <-p.fa.Err():
			failed = append(failed, p.i)
		case <-ctx.Done():
			return st, ctx.Err()
		}
	}
	// Retry what failed one by one, in order, until the server is back.
	for _, i := range failed {
		var err error
		for attempt := 0; attempt < 60; attempt++ {
			var ack *jetstream.PubAck
			actx, cancel := context.WithTimeout(ctx, 5*time.Second)
			ack, err = c.js.PublishMsg(actx, msgs[i])
			cancel()
			if err == nil {
				if ack.Duplicate {
					st.Duplicates++
				} else {
					st.Published++
				}
				break
			}
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			time.Sleep(250 * time.Millisecond)
		}
		if err != nil {
			return st, fmt.Errorf("publish %q: %w", arts[i].ID, err)
		}
	}
	return st, nil
}

// Consumer pulls articles from the durable consumer with explicit acks.
type Consumer struct {
	c    *Conn
	cons jetstream.Consumer
}

// Consumer creates (or binds to) the durable pull consumer.
func (c *Conn) Consumer(ctx context.Context) (*Consumer, error) {
	cons, err := c.stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       c.cfg.Consumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.cfg.AckWait,
		MaxAckPending: c.cfg.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		FilterSubject: c.cfg.Subject,
		MaxDeliver:    -1,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", c.cfg.Consumer, err)
	}
	return &Consumer{c: c, cons: cons}, nil
}

// Msg is one delivered article.
type Msg struct {
	Article article.Article
	// Seq is the message's sequence in the stream (its publication order).
	Seq uint64
	// Delivered counts deliveries of this message (1 the first time).
	Delivered uint64
	m         jetstream.Msg
}

// Ack acknowledges the message and waits for the server's confirmation.
func (m *Msg) Ack(ctx context.Context) error { return m.m.DoubleAck(ctx) }

// AckAll acknowledges msgs without waiting for each confirmation, then
// waits until the server has received them all (one round trip). An ack
// the server did not apply only causes a redelivery, which the worker's
// stream position skips.
func (k *Consumer) AckAll(ctx context.Context, msgs []Msg) (failed int, err error) {
	for i := range msgs {
		if msgs[i].m.Ack() != nil {
			failed++
		}
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := k.c.nc.FlushWithContext(fctx); err != nil {
		return failed, fmt.Errorf("ack flush: %w", err)
	}
	return failed, nil
}

// InProgress resets the message's redelivery timer.
func (m *Msg) InProgress() error { return m.m.InProgress() }

// Fetch pulls up to max messages, waiting at most wait for the first
// ones. A message whose body is not an article is acknowledged (it would
// fail forever) and logged.
func (k *Consumer) Fetch(ctx context.Context, max int, wait time.Duration) ([]Msg, error) {
	fctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	b, err := k.cons.Fetch(max, jetstream.FetchContext(fctx))
	if err != nil {
		return nil, err
	}
	var out []Msg
	for m := range b.Messages() {
		md, err := m.Metadata()
		if err != nil {
			return out, fmt.Errorf("message metadata: %w", err)
		}
		var a article.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil || a.ID == "" {
			slog.Error("dropping a message that is not an article", "seq", md.Sequence.Stream, "err", err)
			m.Term()
			continue
		}
		out = append(out, Msg{Article: a, Seq: md.Sequence.Stream, Delivered: md.NumDelivered, m: m})
	}
	if err := b.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return out, err
	}
	return out, nil
}

// Backlog returns the messages not yet delivered and those delivered but
// not yet acknowledged.
func (k *Consumer) Backlog(ctx context.Context) (pending, unacked uint64, err error) {
	info, err := k.cons.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("consumer info: %w", err)
	}
	return info.NumPending, uint64(info.NumAckPending), nil
}
