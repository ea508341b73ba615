// Command cacheprog is a GOCACHEPROG program (the go command's cache
// protocol, Go 1.24+, cmd/go/internal/cacheprog) backed by a shared
// directory: what CI runners on different machines would reach as a
// network file system or an object store.
//
//	GOCACHEPROG="cacheprog -shared DIR -local DIR"
//
// Every object put is written to the shared directory; a get copies it to
// the runner's own local directory (the go command reads outputs from a
// local path). Each get is logged to -log as "hit" or "miss", so that a test
// can see where results came from.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

type entry struct {
	OutputID []byte
	Size     int64
	Time     time.Time
}

var (
	shared  = flag.String("shared", "", "shared directory (the remote cache)")
	local   = flag.String("local", "", "this runner's local directory")
	logFile = flag.String("log", "", "append one line per get: hit or miss")
	logMu   sync.Mutex
)

func main() {
	flag.Parse()
	if *shared == "" || *local == "" {
		log.Fatal("cacheprog: -shared and -local are required")
	}
	for _, d := range []string{*shared, *local} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			log.Fatal(err)
		}
	}
	in := bufio.NewReader(os.Stdin)
	dec := json.NewDecoder(in)
	enc := json.NewEncoder(os.Stdout)
	enc.Encode(response{KnownCommands: []string{"get", "put", "close"}})
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if err == io.EOF {
				return
			}
			log.Fatal(err)
		}
		var body []byte
		if req.Command == "put" && req.BodySize > 0 {
			// The body follows as a base64 JSON string.
			if err := dec.Decode(&body); err != nil {
				log.Fatal(err)
			}
		}
		res := response{ID: req.ID}
		var err error
		switch req.Command {
		case "get":
			err = get(req, &res)
		case "put":
			err = put(req, body, &res)
		case "close":
			enc.Encode(res)
			return
		default:
			err = fmt.Errorf("unknown command %q", req.Command)
		}
		if err != nil {
			res.Err = err.Error()
		}
		enc.Encode(res)
	}
}

func get(req request, res *response) error {
	key := hex.EncodeToString(req.ActionID)
	meta, err := os.ReadFile(filepath.Join(*shared, "a-"+key))
	if os.IsNotExist(err) {
		res.Miss = true
		record("miss", key)
		return nil
	} else if err != nil {
		return err
	}
	var e entry
	if err := json.Unmarshal(meta, &e); err != nil {
		return err
	}
	out := hex.EncodeToString(e.OutputID)
	data, err := os.ReadFile(filepath.Join(*shared, "o-"+out))
	if err != nil {
		res.Miss = true
		record("miss", key)
		return nil
	}
	path := filepath.Join(*local, "o-"+out)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	record("hit", key)
	res.OutputID, res.Size, res.Time, res.DiskPath = e.OutputID, e.Size, &e.Time, path
	return nil
}

func put(req request, body []byte, res *response) error {
	out := hex.EncodeToString(req.OutputID)
	path := filepath.Join(*local, "o-"+out)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*shared, "o-"+out), body, 0o644); err != nil {
		return err
	}
	meta, _ := json.Marshal(entry{OutputID: req.OutputID, Size: int64(len(body)), Time: time.Now()})
	if err := os.WriteFile(filepath.Join(*shared, "a-"+hex.EncodeToString(req.ActionID)), meta, 0o644); err != nil {
		return err
	}
	res.DiskPath = path
	return nil
}

func record(what, key string) {
	if *logFile == "" {
		return
	}
	logMu.Lock()
	defer logMu.Unlock()
	f, err := os.OpenFile(*logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	fmt.Fprintln(f, what, key)
	f.Close()
}
