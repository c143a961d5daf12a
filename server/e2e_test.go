package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// chromiumPath finds Debian's chromium. Missing chromium fails the test
// under CI=true (scripts/install-chromium.sh installs it) and skips it
// otherwise.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("STORYLINE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (CI=true): run scripts/install-chromium.sh")
	}
	t.Skip("chromium not found: run scripts/install-chromium.sh to run the browser tests")
	return ""
}

// artifacts is where screenshots go: $STORYLINE_ARTIFACTS or a temp dir.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STORYLINE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// browser starts a fresh headless Chromium and returns a tab context.
func browser(t *testing.T, width, height int) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first call starts the browser; it lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		acancel()
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() { cancel(); acancel() }
}

// steps runs named browser steps, each bounded by 30 seconds, and fails
// the test naming the step that did not complete.
func steps(t *testing.T, ctx context.Context, list ...step) {
	t.Helper()
	for _, st := range list {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := chromedp.Run(c, st.a)
		cancel()
		if err != nil {
			t.Fatalf("browser step %q: %v", st.name, err)
		}
	}
}

// step is one named browser action.
type step struct {
	name string
	a    chromedp.Action[chromedp.Void]
}

// shot saves a full-page screenshot.
func shot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, t)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), buf, 0o644)
	})
}

// get runs a value-returning action and stores its value in *dst.
func get[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		v, err := a(ctx, t)
		*dst = v
		return err
	})
}

// TestBrowser drives a real headless Chromium through the UI the way a
// reader would, on the demo corpus ingested over HTTP.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromiumPath(t)
	dir := artifacts(t)
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	// Two requests, as a feed would deliver them.
	half := len(arts) / 2
	for _, part := range [][]article.Article{arts[:half], arts[half:]} {
		if code, res := ts.post(t, "application/x-ndjson", ndjson(t, part)); code != 200 || res.Accepted != len(part) {
			t.Fatalf("ingest: %d %+v", code, res)
		}
	}

	// Pick, through the API, an event with a copied passage and its storyline.
	var evs []store.Event
	ts.getJSON(t, "/api/events?limit=1000", &evs)
	var copyEvent store.Event
	var origin string
	for _, e := range evs {
		for _, id := range e.Articles {
			var re ArticleReuse
			ts.getJSON(t, "/api/articles/"+id+"/reuse", &re)
			if len(re.Reuse) > 0 && copyEvent.ID == "" {
				copyEvent, origin = e, re.Reuse[0].From
			}
		}
	}
	if copyEvent.ID == "" {
		t.Fatal("no article with copied passages in the demo corpus")
	}
	var story store.Story
	ts.getJSON(t, "/api/stories/"+copyEvent.Story, &story)
	var ents []store.Entity
	ts.getJSON(t, "/api/entities?type=PER&limit=5", &ents)
	if len(ents) == 0 {
		t.Fatal("no person entities")
	}
	person := ents[0]

	ctx, cancel := browser(t, 1200, 900)
	defer cancel()
	var storyCards, nodes, marks int
	var markText, heading, title, focused string
	var markAttr chromedp.AttributeResult
	css := func(f string, args ...any) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(f, args...)) }
	steps(t, ctx,
		// The storylines list, most recently active first.
		step{"open the storylines list", chromedp.Navigate(ts.URL + "/")},
		step{"see storyline cards", chromedp.WaitVisible(css(`.story-card h2 a`))},
		step{"count cards", get(&storyCards, chromedp.Evaluate[int](`document.querySelectorAll('.story-card').length`))},
		step{"screenshot list", shot(dir, "01-storylines.png")},
		// Click into the storyline holding the copying event.
		step{"click the storyline", chromedp.Click(css(`.story-card a[href="/stories/%s"]`, story.ID))},
		step{"see the timeline", chromedp.WaitVisible(css(`svg.tl-wide .node`))},
		step{"count timeline nodes", get(&nodes, chromedp.Evaluate[int](`document.querySelectorAll('svg.tl-wide .node').length`))},
		step{"read the heading", get(&heading, chromedp.Text(css(`h1`)))},
		step{"screenshot storyline", shot(dir, "02-storyline-timeline.png")},
		// Open the event from the timeline.
		step{"click the event on the timeline", chromedp.Click(css(`svg.tl-wide a[href="/events/%s"] .node`, copyEvent.ID))},
		step{"see the summary", chromedp.WaitVisible(css(`.summary-box`))},
		step{"see a copied passage", chromedp.WaitVisible(css(`a.copied mark`))},
		step{"count marks", get(&marks, chromedp.Evaluate[int](`document.querySelectorAll('a.copied mark').length`))},
		step{"read the passage link", get(&markAttr, chromedp.AttributeValue(css(`a.copied`), "href"))},
		step{"read the passage", get(&markText, chromedp.Text(css(`a.copied mark`)))},
		step{"screenshot event", shot(dir, "03-event-copied-passage.png")},
		// Search for a person from the keyboard: "/" focuses the box.
		step{"press /", chromedp.KeyEvent("/")},
		step{"check the search box has focus", get(&focused, chromedp.Evaluate[string](`document.activeElement.id + ':' + document.activeElement.value`))},
		step{"type the name", chromedp.SendKeys(css(`#q`), person.Name+"\r")},
		step{"see results", chromedp.WaitVisible(css(`.hits li`))},
		step{"see the entity", chromedp.WaitVisible(css(`.chips a[href="/entities/%s"]`, person.ID))},
		step{"screenshot search", shot(dir, "04-search-entity.png")},
		step{"open the entity", chromedp.Click(css(`.chips a[href="/entities/%s"]`, person.ID))},
		step{"see its events", chromedp.WaitVisible(css(`.event-card h3 a`))},
		step{"read the title", get(&title, chromedp.Title())},
		step{"screenshot entity", shot(dir, "05-entity.png")},
	)
	var stories []store.Story
	ts.getJSON(t, "/api/stories?limit=1000", &stories)
	if storyCards != len(stories) {
		t.Errorf("storylines list shows %d cards, API has %d", storyCards, len(stories))
	}
	if nodes != len(story.Events) {
		t.Errorf("timeline draws %d nodes, storyline has %d events", nodes, len(story.Events))
	}
	if heading != story.Title {
		t.Errorf("storyline page heading %q, want %q", heading, story.Title)
	}
	markHref := markAttr.Value
	_ = origin
	if marks == 0 || markHref != "/articles/"+origin && !strings.HasPrefix(markHref, "/articles/") {
		t.Errorf("copied passage: %d marks, first links to %q (origin %s)", marks, markHref, origin)
	}
	if len(strings.Fields(markText)) < 3 {
		t.Errorf("highlighted passage too short: %q", markText)
	}
	if focused != "q:" {
		t.Errorf("after pressing /: focus:value = %q, want the empty search box", focused)
	}
	if !strings.HasPrefix(title, person.Name) {
		t.Errorf("entity page title %q, want %s", title, person.Name)
	}
}

// TestBrowserPhoneAndLive checks the phone-sized layout, that a new
// article shows up on an open page without a reload, and that hostile
// text stays text in a real browser.
func TestBrowserPhoneAndLive(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromiumPath(t)
	dir := artifacts(t)
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	if code, _ := ts.post(t, "application/x-ndjson", ndjson(t, arts)); code != 200 {
		t.Fatalf("ingest: %d", code)
	}
	var stories []store.Story
	ts.getJSON(t, "/api/stories", &stories)

	ctx, cancel := browser(t, 500, 844)
	defer cancel()
	steps(t, ctx, step{"phone-sized viewport", chromedp.EmulateViewport(390, 844)})
	var overflow, found, xss bool
	hostile := `<img src=x onerror="window.__xss=1">`
	css := func(f string) chromedp.CSS { return chromedp.CSS(f) }
	steps(t, ctx,
		step{"open a storyline", chromedp.Navigate(ts.URL + "/stories/" + stories[0].ID)},
		step{"see the phone timeline", chromedp.WaitVisible(css(`svg.tl-narrow .node`))},
		step{"measure width", get(&overflow, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))},
		step{"screenshot phone storyline", shot(dir, "06-phone-storyline.png")},
		step{"open the list", chromedp.Navigate(ts.URL + "/")},
		step{"see cards", chromedp.WaitVisible(css(`.story-card`))},
		step{"wait for the live stream", chromedp.Sleep(500 * time.Millisecond)},
		// A new article arrives while the page is open.
		step{"ingest a new article", chromedp.Func(func(context.Context, *chromedp.Target) error {
			body := ndjson(t, []article.Article{{ID: "live-1", Source: "Test Wire",
				Title:     "Glassworks strike halts Lindqvist furnaces " + hostile,
				Text:      "Workers at the Lindqvist glassworks walked out on Friday. " + hostile + " The strike closed all four furnaces.",
				Published: time.Date(2025, 4, 20, 9, 0, 0, 0, time.UTC)}})
			if code, res := ts.post(t, "application/x-ndjson", body); code != 200 {
				return fmt.Errorf("live ingest: %d %+v", code, res)
			}
			return nil
		})},
		step{"see it without reloading", get(&found, chromedp.Poll[bool](`[...document.querySelectorAll('.story-card h2 a')].some(a => a.textContent.includes('Glassworks strike'))`,
			chromedp.WithPollingTimeout(20*time.Second)))},
		step{"screenshot live update", shot(dir, "07-phone-live-update.png")},
		step{"open the hostile article", chromedp.Navigate(ts.URL + "/articles/live-1")},
		step{"see its body", chromedp.WaitVisible(css(`.art .body`))},
		step{"let scripts run", chromedp.Sleep(300 * time.Millisecond)},
		step{"check for injected script", get(&xss, chromedp.Evaluate[bool](`window.__xss === 1`))},
	)
	if overflow {
		t.Error("storyline page scrolls sideways on a 390px-wide screen")
	}
	if !found {
		t.Error("new article did not appear on the open storylines page")
	}
	if xss {
		t.Errorf("hostile markup ran in the browser (window.__xss set)")
	}
}
