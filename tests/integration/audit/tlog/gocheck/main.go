// gocheck verifies the commitments service's transparency log with Go's reference implementation
// (golang.org/x/mod/sumdb/note and sumdb/tlog, as Debian packages them), over HTTP, from the served
// C2SP tlog-tiles. It is written for the project's tests; it trusts nothing but the verifier key.
//
//	gocheck -url http://127.0.0.1:8001/tlog -vkey <key> [-old old-checkpoint-file] index...
//
// It opens the checkpoint with the key, checks the inclusion of each entry index given (fetched from the
// entry bundles, hashed as RFC 6962 leaves), and, with -old, that the checkpoint extends the older one.
// It prints "ok <size> <root>" and exits 0, or prints the first failure and exits 1.
package main

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type tiles struct{ base string }

func (t tiles) Height() int { return 8 }

// C2SP paths carry no height: Go's tile/8/L/N becomes tile/L/N (same hashes).
func (t tiles) ReadTiles(list []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(list))
	for i, tile := range list {
		data, err := get(t.base + "/tile/" + strings.TrimPrefix(tile.Path(), "tile/8/"))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (t tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func get(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

func open(msg []byte, verifier note.Verifier) (tlog.Tree, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("checkpoint: %w", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[0] != verifier.Name() || lines[3] != "" {
		return tlog.Tree{}, errors.New("checkpoint: not origin, size, root")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return tlog.Tree{}, err
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return tlog.Tree{}, errors.New("checkpoint: bad root")
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return tlog.Tree{N: size, Hash: hash}, nil
}

func entry(base string, tree tlog.Tree, index int64) ([]byte, error) {
	tile := tlog.Tile{H: 8, L: -1, N: index / 256, W: 256}
	if rest := tree.N - tile.N*256; rest < 256 {
		tile.W = int(rest)
	}
	data, err := get(base + "/tile/entries/" + strings.TrimPrefix(tile.Path(), "tile/8/data/"))
	if err != nil {
		return nil, err
	}
	for i := int64(0); len(data) >= 2; i++ {
		n := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+n {
			return nil, errors.New("entry bundle: truncated")
		}
		if i == index%256 {
			return data[2 : 2+n], nil
		}
		data = data[2+n:]
	}
	return nil, fmt.Errorf("entry %d: not in its bundle", index)
}

func run() (string, error) {
	url := flag.String("url", "", "the log's prefix, e.g. http://host/tlog")
	vkey := flag.String("vkey", "", "the log's verifier key")
	old := flag.String("old", "", "a file holding an older signed checkpoint")
	flag.Parse()
	verifier, err := note.NewVerifier(*vkey)
	if err != nil {
		return "", err
	}
	msg, err := get(*url + "/checkpoint")
	if err != nil {
		return "", err
	}
	tree, err := open(msg, verifier)
	if err != nil {
		return "", err
	}
	reader := tlog.TileHashReader(tree, tiles{*url})
	for _, arg := range flag.Args() {
		index, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return "", err
		}
		data, err := entry(*url, tree, index)
		if err != nil {
			return "", err
		}
		proof, err := tlog.ProveRecord(tree.N, index, reader)
		if err != nil {
			return "", fmt.Errorf("inclusion of %d: %w", index, err)
		}
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, index, tlog.RecordHash(data)); err != nil {
			return "", fmt.Errorf("inclusion of %d: %w", index, err)
		}
	}
	if *old != "" {
		text, err := os.ReadFile(*old)
		if err != nil {
			return "", err
		}
		before, err := open(text, verifier)
		if err != nil {
			return "", fmt.Errorf("old %w", err)
		}
		proof, err := tlog.ProveTree(tree.N, before.N, reader)
		if err != nil {
			return "", fmt.Errorf("consistency: %w", err)
		}
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, before.N, before.Hash); err != nil {
			return "", fmt.Errorf("consistency: %w", err)
		}
	}
	return fmt.Sprintf("ok %d %s", tree.N, base64.StdEncoding.EncodeToString(tree.Hash[:])), nil
}

func main() {
	out, err := run()
	if err != nil {
		fmt.Println("FAIL:", err)
		os.Exit(1)
	}
	fmt.Println(out)
}
