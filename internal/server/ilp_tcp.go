package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/zeptodb/zeptodb/internal/ingest"
	"github.com/zeptodb/zeptodb/internal/sql/exec"
)

// Line-protocol TCP batching: a connection's lines are written every
// ilpBatchLines lines or ilpBatchDelay after the first unwritten one.
const (
	ilpBatchLines = 10000
	ilpBatchDelay = 50 * time.Millisecond
	ilpMaxLine    = 1 << 20
)

// ServeLineProtocol accepts InfluxDB line protocol over TCP, as Telegraf's
// socket_writer and InfluxDB 1.x's TCP input send it: newline-terminated
// lines with nanosecond timestamps, no answers. A line that does not parse
// or fit is dropped and counted; a connection cut mid-line loses only that
// line. TCP carries no credentials: the caller serves it only where that
// is allowed. It returns when ctx is done, its connections closed.
func (s *Server) ServeLineProtocol(ctx context.Context, l net.Listener) error {
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() {
		l.Close()
		mu.Lock()
		for c := range conns {
			c.Close() // a batch being written finishes; unread lines were never acknowledged
		}
		mu.Unlock()
	})
	defer stop()
	defer wg.Wait()
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		mu.Lock()
		conns[conn] = true
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				mu.Lock()
				delete(conns, conn)
				mu.Unlock()
				conn.Close()
			}()
			s.readLineProtocol(conn)
		}()
	}
}

// readLineProtocol reads one connection until it ends, writing its lines
// in batches. A goroutine reads lines without deadlines (a deadline in the
// middle of a line would cut it); this one batches them on a timer.
func (s *Server) readLineProtocol(conn net.Conn) {
	type item struct {
		line []byte
		err  error
	}
	lines := make(chan item, 1024)
	go func() {
		defer close(lines)
		r := bufio.NewReaderSize(conn, 64<<10)
		for {
			conn.SetReadDeadline(time.Now().Add(10 * time.Minute)) // an idle connection is closed in the end
			line, err := readLine(r)
			lines <- item{line, err}
			if err != nil {
				return
			}
		}
	}()
	var batch []exec.Line
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	flush := func() {
		timer.Stop()
		if len(batch) == 0 {
			return
		}
		if x := s.exec.Load(); x != nil {
			_, errs := x.WriteLines(context.Background(), batch, exec.LineOptions{AutoCreate: s.opts.LineAutoCreate})
			if len(errs) > 0 {
				s.log.Warn("line protocol over TCP: lines refused", "remote", conn.RemoteAddr().String(), "refused", len(errs), "line", errs[0].Line, "err", errs[0].Msg)
			}
		} else {
			s.log.Warn("line protocol over TCP: not ready, lines dropped", "lines", len(batch))
		}
		batch = batch[:0]
	}
	n := 0
	lp := ingest.LineParser{Scale: 1}
	for {
		select {
		case <-timer.C:
			flush()
		case it, ok := <-lines:
			if !ok {
				return
			}
			if it.err != nil {
				flush() // what came whole is kept; a line cut by the disconnect is not
				if !errors.Is(it.err, io.EOF) {
					s.log.Debug("line protocol over TCP: connection ended", "remote", conn.RemoteAddr().String(), "err", it.err)
				}
				continue // the reader closes the channel next
			}
			n++
			if t := bytes.TrimSpace(it.line); len(t) == 0 || t[0] == '#' {
				continue
			}
			p, err := lp.Parse(bytes.TrimRight(it.line, "\r"))
			if err != nil {
				if x := s.exec.Load(); x != nil {
					x.CountRejected(1)
				}
				s.log.Warn("line protocol over TCP: line refused", "remote", conn.RemoteAddr().String(), "line", n, "err", err)
				continue
			}
			if len(batch) == 0 {
				timer.Reset(ilpBatchDelay)
			}
			batch = append(batch, exec.Line{N: n, Point: p})
			if len(batch) >= ilpBatchLines {
				flush()
			}
		}
	}
}

// errLineTooLong ends a connection sending a line longer than ilpMaxLine.
var errLineTooLong = errors.New("line longer than 1 MiB")

// readLine returns the next newline-terminated line without its newline;
// a final line without one is io.ErrUnexpectedEOF, and is dropped.
func readLine(r *bufio.Reader) ([]byte, error) {
	var long []byte
	for {
		chunk, err := r.ReadSlice('\n')
		switch {
		case err == nil:
			return append(long, chunk[:len(chunk)-1]...), nil
		case errors.Is(err, bufio.ErrBufferFull):
			if long = append(long, chunk...); len(long) > ilpMaxLine {
				return nil, errLineTooLong
			}
		case len(chunk) > 0 || len(long) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}
