package server

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/spec"
)

// Progress reports long work (indexing, generation) to a client that
// supports window/workDoneProgress; for other clients it does nothing. The
// client may cancel it: Context is then cancelled.
type Progress struct {
	s       *Server
	token   protocol.ProgressToken
	active  bool
	Context context.Context
	cancel  context.CancelFunc
}

// BeginProgress starts reporting work with a title. End must be called.
func (s *Server) BeginProgress(ctx context.Context, title string) *Progress {
	ctx, cancel := context.WithCancel(ctx)
	p := &Progress{s: s, Context: ctx, cancel: cancel}
	s.mu.Lock()
	supported := s.caps.workDoneProgress
	s.progressSeq++
	token := protocol.String(fmt.Sprintf("specls/%d", s.progressSeq))
	s.mu.Unlock()
	if !supported {
		return p
	}
	if err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: token}); err != nil {
		s.log.Debug("window/workDoneProgress/create failed", "err", err)
		return p
	}
	p.token, p.active = token, true
	s.mu.Lock()
	s.progress[string(token)] = cancel
	s.mu.Unlock()
	p.send(&protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Cancellable: ptr(true), Percentage: ptr(uint32(0))})
	return p
}

// Report tells how far the work is, in percent.
func (p *Progress) Report(message string, percent int) {
	if p.active {
		p.send(&protocol.WorkDoneProgressReport{Kind: "report", Message: &message, Percentage: ptr(uint32(min(max(percent, 0), 100)))})
	}
}

// End closes the progress with a final message.
func (p *Progress) End(message string) {
	defer p.cancel()
	if !p.active {
		return
	}
	p.send(&protocol.WorkDoneProgressEnd{Kind: "end", Message: &message})
	p.s.mu.Lock()
	delete(p.s.progress, string(p.token.(protocol.String)))
	p.s.mu.Unlock()
}

func (p *Progress) send(v any) {
	raw, err := protocol.Marshal(v)
	if err != nil {
		return
	}
	if err := p.s.client.Progress(context.WithoutCancel(p.Context), &protocol.ProgressParams{Token: p.token, Value: raw}); err != nil {
		p.s.log.Debug("$/progress failed", "err", err)
	}
}

// WorkDoneProgressCancel cancels the work the client no longer wants.
func (s *Server) WorkDoneProgressCancel(ctx context.Context, p *protocol.WorkDoneProgressCancelParams) error {
	var key string
	switch t := p.Token.(type) {
	case protocol.String:
		key = string(t)
	case protocol.Integer:
		key = fmt.Sprint(int32(t))
	}
	s.mu.Lock()
	cancel := s.progress[key]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

// index checks every feature folder of the given workspace folders, so that
// later requests find the results cached, with progress.
func (s *Server) index(ctx context.Context, folders ...string) {
	if len(folders) == 0 {
		s.mu.Lock()
		folders = append(folders, s.folders...)
		s.mu.Unlock()
	}
	if len(folders) == 0 {
		return
	}
	p := s.BeginProgress(ctx, "specls: indexing specs")
	var dirs []string
	for _, f := range folders {
		found, err := spec.Discover(f) // what is readable, beside an error for what is not
		if err != nil {
			s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("specls: cannot index workspace folder: %v", err))
		}
		dirs = append(dirs, found...)
	}
	// Every core checks folders; progress is reported as they finish.
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	next := make(chan string)
	for range max(1, min(runtime.GOMAXPROCS(0), len(dirs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range next {
				s.summary(dir)
				mu.Lock()
				done++
				p.Report(fmt.Sprintf("%d/%d %s", done, len(dirs), filepath.Base(dir)), done*100/len(dirs))
				mu.Unlock()
			}
		}()
	}
	for _, dir := range dirs {
		if p.Context.Err() != nil {
			break
		}
		next <- dir
	}
	close(next)
	wg.Wait()
	msg := fmt.Sprintf("%d feature folder(s) checked", done)
	if done < len(dirs) {
		msg = fmt.Sprintf("cancelled after %d of %d feature folder(s)", done, len(dirs))
	}
	p.End(msg)
	s.log.Info("indexed", "folders", folders, "features", done)
	s.mu.Lock()
	cc := s.caps
	s.mu.Unlock()
	if cc.pull {
		s.refresh(clientCaps{pull: true, diagnosticRefresh: cc.diagnosticRefresh})
	}
}
