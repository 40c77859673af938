// Command trivial-server is the start-up floor for specls's language server:
// a Go program on stdio that answers initialize, shutdown and exit, and
// nothing else. It uses the standard library only, so spawn → initialize
// result against it measures what any Go stdio server pays (process start,
// runtime init, one framed exchange). bench/startup times both side by side.
// `trivial-server version` prints its name and exits: the floor of
// `specls version`.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"strconv"
)

type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("trivial-server")
		return
	}
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	headers := textproto.NewReader(in)
	for {
		h, err := headers.ReadMIMEHeader()
		if err != nil {
			exit(err)
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			exit(fmt.Errorf("bad Content-Length: %w", err))
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(in, body); err != nil {
			exit(err)
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			exit(fmt.Errorf("bad message: %w", err))
		}
		var result string
		switch m.Method {
		case "initialize":
			result = `{"capabilities":{},"serverInfo":{"name":"trivial-server"}}`
		case "shutdown":
			result = "null"
		case "exit":
			os.Exit(0)
		default:
			if m.ID == nil {
				continue // a notification: nothing to answer
			}
			reply(out, fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"method not found"}}`, m.ID))
			continue
		}
		reply(out, fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, m.ID, result))
	}
}

func reply(w *bufio.Writer, body string) {
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	if err := w.Flush(); err != nil {
		exit(err)
	}
}

func exit(err error) {
	if err == io.EOF {
		os.Exit(1) // the client went away without exit
	}
	fmt.Fprintln(os.Stderr, "trivial-server:", err)
	os.Exit(1)
}
