// Command startup times language servers from spawn to the initialize
// result, side by side: each round starts every server once, in turn (the
// order alternates between rounds), so that the load of a shared machine
// falls on all of them alike. Per server it reports the wall time to the
// initialize result (p50, p90, min), the CPU seconds the process used from
// start to exit (user + sys, from the kernel: steadier than wall time on a
// busy machine), the page faults it took from start to exit (on a virtual
// machine each costs tens of microseconds: a large share of a Go program's
// start) and its resident memory right after initialize.
//
//	startup [-n 30] [-json FILE] NAME=COMMAND [NAME=COMMAND...]
//
// COMMAND is split on spaces: specls="bin/specls serve".
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type server struct {
	Name    string   `json:"name"`
	Command []string `json:"command"`
}

// sample is one spawn.
type sample struct {
	wall  time.Duration // spawn -> initialize result
	cpu   time.Duration // user + sys, spawn -> exit
	rssKB int           // VmRSS after initialize
	flt   int64         // minor + major page faults, spawn -> exit
}

// Summary is what the JSON output holds per server.
type Summary struct {
	Name     string  `json:"name"`
	Runs     int     `json:"runs"`
	P50ms    float64 `json:"p50_ms"`
	P90ms    float64 `json:"p90_ms"`
	MinMs    float64 `json:"min_ms"`
	CPUP50ms float64 `json:"cpu_p50_ms"`
	RSSP50KB int     `json:"rss_p50_kb"`
	FaultP50 int     `json:"faults_p50"`
}

func main() {
	n := flag.Int("n", 30, "spawns per server")
	jsonOut := flag.String("json", "", "also write the summaries as JSON to this file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: startup [-n 30] [-json FILE] NAME=COMMAND [NAME=COMMAND...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	var servers []server
	for _, a := range flag.Args() {
		name, cmd, ok := strings.Cut(a, "=")
		if !ok || len(strings.Fields(cmd)) == 0 {
			flag.Usage()
			os.Exit(2)
		}
		servers = append(servers, server{name, strings.Fields(cmd)})
	}
	if len(servers) == 0 || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	samples := make([][]sample, len(servers))
	for round := range *n {
		for k := range servers {
			i := k
			if round%2 == 1 {
				i = len(servers) - 1 - k
			}
			s, err := spawn(servers[i].Command)
			if err != nil {
				fmt.Fprintf(os.Stderr, "startup: %s: %v\n", servers[i].Name, err)
				os.Exit(1)
			}
			samples[i] = append(samples[i], s)
		}
	}
	var sums []Summary
	for i, srv := range servers {
		sums = append(sums, summarise(srv.Name, samples[i]))
	}
	fmt.Printf("%-16s %5s %9s %9s %9s %9s %9s %9s\n", "server", "runs", "p50 ms", "p90 ms", "min ms", "cpu ms", "faults", "rss MB")
	for _, s := range sums {
		fmt.Printf("%-16s %5d %9.1f %9.1f %9.1f %9.1f %9d %9.1f\n", s.Name, s.Runs, s.P50ms, s.P90ms, s.MinMs, s.CPUP50ms, s.FaultP50, float64(s.RSSP50KB)/1024)
	}
	if len(sums) > 1 {
		for _, s := range sums[:len(sums)-1] {
			last := sums[len(sums)-1]
			fmt.Printf("%s ÷ %s: p50 %.2f×, cpu %.2f×\n", s.Name, last.Name, s.P50ms/last.P50ms, s.CPUP50ms/last.CPUP50ms)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(sums, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "startup:", err)
			os.Exit(1)
		}
	}
}

// spawn starts one server, times it to the initialize result, reads its
// RSS, then shuts it down and exits it as a client would.
func spawn(command []string) (sample, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stderr = io.Discard
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return sample{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return sample{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	defer cmd.Process.Kill() // on errors only: a clean run has exited
	out := bufio.NewReader(stdout)
	send(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{},"clientInfo":{"name":"specls-startup-bench"}}}`)
	if err := await(out, 1); err != nil {
		return sample{}, fmt.Errorf("initialize: %w", err)
	}
	s := sample{wall: time.Since(start)}
	if s.rssKB, err = rss(cmd.Process.Pid); err != nil {
		return sample{}, err
	}
	send(stdin, `{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	send(stdin, `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	if err := await(out, 2); err != nil {
		return sample{}, fmt.Errorf("shutdown: %w", err)
	}
	send(stdin, `{"jsonrpc":"2.0","method":"exit"}`)
	stdin.Close()
	go io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return sample{}, fmt.Errorf("exit: %w", err)
	}
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.flt = ru.Minflt + ru.Majflt
	}
	return s, nil
}

func send(w io.Writer, body string) {
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

// await reads frames until the response with the given id; the server's
// own requests and notifications before it are skipped.
func await(r *bufio.Reader, id int) error {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			return fmt.Errorf("bad Content-Length: %w", err)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return err
		}
		var m struct {
			ID     *int            `json:"id"`
			Method string          `json:"method"`
			Error  json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("bad frame %q: %w", body, err)
		}
		if m.Method != "" || m.ID == nil || *m.ID != id {
			continue
		}
		if m.Error != nil {
			return fmt.Errorf("error response: %s", m.Error)
		}
		return nil
	}
}

// rss reads the process's resident set size in kB from /proc.
func rss(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read RSS: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func summarise(name string, ss []sample) Summary {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	pick := func(get func(sample) float64, p float64) float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = get(s)
		}
		slices.Sort(v)
		return v[min(len(v)-1, int(p*float64(len(v))))]
	}
	wall := func(s sample) float64 { return ms(s.wall) }
	return Summary{
		Name:     name,
		Runs:     len(ss),
		P50ms:    pick(wall, 0.5),
		P90ms:    pick(wall, 0.9),
		MinMs:    pick(wall, 0),
		CPUP50ms: pick(func(s sample) float64 { return ms(s.cpu) }, 0.5),
		RSSP50KB: int(pick(func(s sample) float64 { return float64(s.rssKB) }, 0.5)),
		FaultP50: int(pick(func(s sample) float64 { return float64(s.flt) }, 0.5)),
	}
}
