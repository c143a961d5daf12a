package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/store"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", to count rows read-only
)

// The fault tests run real processes: the storyline binary, and a NATS
// server that is this test binary re-executed as a server process (the
// embedded github.com/nats-io/nats-server/v2 with JetStream file storage),
// so it can be killed with SIGKILL and started again on the same store.
const natsHelperEnv = "STORYLINE_TEST_NATS_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(natsHelperEnv); spec != "" {
		runNATSHelper(spec)
		return
	}
	code := m.Run()
	if soBinDir != "" {
		os.RemoveAll(soBinDir)
	}
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath)) // buildBinary's directory
	}
	os.Exit(code)
}

// runNATSHelper serves NATS with JetStream on "port:storedir" until killed.
func runNATSHelper(spec string) {
	port, dir, _ := strings.Cut(spec, ":")
	p, _ := strconv.Atoi(port)
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: p, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ns.Start()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	<-sig
	ns.Shutdown()
}

// natsProc is a NATS server process on a fixed port and store directory.
type natsProc struct {
	port int
	dir  string
	cmd  *exec.Cmd
}

func (n *natsProc) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.port) }

func (n *natsProc) start(t *testing.T) {
	t.Helper()
	n.cmd = exec.Command(os.Args[0], "-test.run=^$")
	n.cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d:%s", natsHelperEnv, n.port, n.dir))
	n.cmd.Stderr = os.Stderr
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", n.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("nats server process did not start")
}

func (n *natsProc) kill() {
	if n.cmd != nil && n.cmd.Process != nil {
		n.cmd.Process.Signal(syscall.SIGKILL)
		n.cmd.Wait()
		n.cmd = nil
	}
}

func soStartNATS(t *testing.T) *natsProc {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	n := &natsProc{port: port, dir: t.TempDir()}
	n.start(t)
	t.Cleanup(n.kill)
	return n
}

var (
	soBinDir  string
	soBinOnce sync.Once
	soBinErr  error
)

// soBinary builds the binary once for the tests of this file.
func soBinary(t *testing.T) string {
	t.Helper()
	soBinOnce.Do(func() {
		soBinDir, soBinErr = os.MkdirTemp("", "storyline-bin")
		if soBinErr == nil {
			out, err := exec.Command("go", "build", "-o", filepath.Join(soBinDir, "storyline"), ".").CombinedOutput()
			if err != nil {
				soBinErr = fmt.Errorf("build: %v\n%s", err, out)
			}
		}
	})
	if soBinErr != nil {
		t.Fatal(soBinErr)
	}
	return filepath.Join(soBinDir, "storyline")
}

// soTestPG returns a DSN for a fresh schema on the test server
// (STORYLINE_TEST_PG, from scripts/pg.sh); it fails in CI without one and
// skips elsewhere.
func soTestPG(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("STORYLINE_TEST_PG")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("STORYLINE_TEST_PG is not set: CI must start PostgreSQL with scripts/pg.sh start")
		}
		t.Skip(`no PostgreSQL: run eval "$(bash scripts/pg.sh start)" to run the scale-out fault tests`)
	}
	ctx := context.Background()
	name := fmt.Sprintf("w_%d", rand.Uint64())
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			c.Exec(ctx, `DROP SCHEMA `+name+` CASCADE`)
			c.Close(ctx)
		}
	})
	u, _ := url.Parse(dsn)
	v := u.Query()
	v.Set("search_path", name)
	u.RawQuery = v.Encode()
	return u.String()
}

// soCorpus writes a stream of our own sentences, several batches long.
func soCorpus(t *testing.T, n int) string {
	var pool []string
	for i := 0; i < 60; i++ {
		pool = append(pool, fmt.Sprintf("Officials in Town%d reported that the river %d rose overnight near bridge %d.", i%7, i, i*3))
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := gen.WriteJSONL(path, gen.Articles(gen.Pools{pool[:20], pool[20:40], pool[40:]}, n, 11)); err != nil {
		t.Fatal(err)
	}
	return path
}

func soRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// clustering is every clustering decision a store lists (events with their
// storyline, date, articles and sources; storylines with their span,
// events and articles), read through the CLI. Headlines and summaries are
// left out: summary.Summarize breaks ties between identical sentences by
// float sums in map order, which differ between two runs of the very same
// embedded ingest.
func soClustering(t *testing.T, bin, db string) string {
	t.Helper()
	var evs []store.Event
	var sts []store.Story
	if err := json.Unmarshal([]byte(soRun(t, bin, "events", "--db", db, "--json")), &evs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(soRun(t, bin, "stories", "--db", db, "--json")), &sts); err != nil {
		t.Fatal(err)
	}
	for i := range evs {
		evs[i].Headline, evs[i].Summary = "", nil
	}
	for i := range sts {
		sts[i].Title = ""
	}
	b, _ := json.MarshalIndent(struct {
		E []store.Event
		S []store.Story
	}{evs, sts}, "", " ")
	return string(b)
}

func soSameClustering(t *testing.T, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	dir := os.TempDir()
	os.WriteFile(filepath.Join(dir, "storyline-scaleout-want.json"), []byte(want), 0o644)
	os.WriteFile(filepath.Join(dir, "storyline-scaleout-got.json"), []byte(got), 0o644)
	t.Logf("clusterings written to %s/storyline-scaleout-{want,got}.json", dir)
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] != gl[i] {
			t.Errorf("events differ from the single-process ingest at line %d:\n want %s\n  got %s", i+1, wl[i], gl[i])
			return
		}
	}
	t.Errorf("events differ from the single-process ingest: %d vs %d lines", len(wl), len(gl))
}

// soCount counts stored articles in a store (0 when it cannot be read yet).
func soCount(db string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if strings.HasPrefix(db, "postgres") {
		c, err := pgx.Connect(ctx, db)
		if err != nil {
			return 0
		}
		defer c.Close(ctx)
		var n int
		if c.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n) != nil {
			return 0
		}
		return n
	}
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0
	}
	defer h.Close()
	var n int
	if h.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n) != nil {
		return 0
	}
	return n
}

func soWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// soWaitExit waits for a worker started with --exit-when-idle.
func soWaitExit(t *testing.T, c *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker: %v\n%s", err, out)
		}
	case <-time.After(2 * time.Minute):
		c.Process.Kill()
		t.Fatalf("worker did not exit\n%s", out)
	}
}

const soArticles = 5000

// TestWorkerKill9 kills the leading worker with SIGKILL in the middle of
// the stream; a standby started meanwhile takes the PostgreSQL advisory
// lock, the dead leader's unacknowledged articles come back to it, and at
// the end every article is stored exactly once, and the events are those
// of one uninterrupted `storyline ingest` of the same input (the new
// leader's engine replays the stored batches exactly).
func TestWorkerKill9(t *testing.T) {
	dsn := soTestPG(t)
	bin := soBinary(t)
	input := soCorpus(t, soArticles)

	n := soStartNATS(t)
	if out := soRun(t, bin, "ingest", "--publish", n.url(), input); !strings.Contains(out, fmt.Sprintf("published %d,", soArticles)) {
		t.Fatalf("publish: %s", out)
	}
	var outA, outB bytes.Buffer
	a := exec.Command(bin, "worker", "--nats", n.url(), "--db", dsn, "--ack-wait", "3s")
	a.Stdout, a.Stderr = &outA, &outA
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	// The standby starts while the leader works, and waits for the lock.
	b := exec.Command(bin, "worker", "--nats", n.url(), "--db", dsn, "--ack-wait", "3s", "--exit-when-idle", "--idle", "500ms", "-v")
	b.Stdout, b.Stderr = &outB, &outB
	soWaitFor(t, "the first committed batch", func() bool { return soCount(dsn) > 0 })
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	a.Process.Signal(syscall.SIGKILL)
	a.Wait()
	partial := soCount(dsn)
	if partial == 0 || partial >= soArticles || partial%ingestBatch != 0 {
		t.Fatalf("kill came at %d of %d articles; want a partial run at a batch boundary\n%s", partial, soArticles, outA.String())
	}
	soWaitExit(t, b, &outB)
	t.Logf("killed the leader at %d articles; standby: %s", partial, strings.TrimSpace(outB.String()))
	if !strings.Contains(outB.String(), fmt.Sprintf("new %d,", soArticles-partial)) {
		t.Errorf("the standby should add exactly the %d articles not committed: %s", soArticles-partial, outB.String())
	}
	if got := soCount(dsn); got != soArticles {
		t.Errorf("articles stored = %d, want %d", got, soArticles)
	}
	// The single-process reference: one uninterrupted `storyline ingest`.
	ref := filepath.Join(t.TempDir(), "ref.db")
	soRun(t, bin, "ingest", "--db", ref, input)
	soSameClustering(t, soClustering(t, bin, ref), soClustering(t, bin, dsn))
}

// TestWorkerSurvivesNATSRestart kills the NATS server (SIGKILL) while the
// worker consumes and starts it again on the same file store: the worker
// reconnects, nothing published is lost, nothing is stored twice, and the
// events are those of a single `storyline ingest`.
func TestWorkerSurvivesNATSRestart(t *testing.T) {
	bin := soBinary(t)
	input := soCorpus(t, soArticles)
	ref := filepath.Join(t.TempDir(), "ref.db")
	soRun(t, bin, "ingest", "--db", ref, input)
	want := soClustering(t, bin, ref)

	n := soStartNATS(t)
	soRun(t, bin, "ingest", "--publish", n.url(), input)
	db := filepath.Join(t.TempDir(), "w.db")
	var out bytes.Buffer
	w := exec.Command(bin, "worker", "--nats", n.url(), "--db", db, "--ack-wait", "3s", "--exit-when-idle", "--idle", "500ms", "-v")
	w.Stdout, w.Stderr = &out, &out
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	soWaitFor(t, "the first committed batch", func() bool { return soCount(db) > 0 })
	n.kill()
	at := soCount(db)
	time.Sleep(time.Second)
	n.start(t)
	soWaitExit(t, w, &out)
	t.Logf("restarted NATS at %d of %d articles; worker: %s", at, soArticles, strings.TrimSpace(out.String()))
	if at >= soArticles {
		t.Errorf("the restart came after the end of the stream (%d articles)", at)
	}
	if got := soCount(db); got != soArticles {
		t.Errorf("articles stored = %d, want %d", got, soArticles)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("new %d,", soArticles)) {
		t.Errorf("worker should add every article once: %s", out.String())
	}
	soSameClustering(t, want, soClustering(t, bin, db))
}
