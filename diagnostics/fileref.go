package diagnostics

import "bytes"

// fileRefs returns what fileRefRe.FindAllIndex(b, -1) returns, running the
// regexp only on the lines that can hold a match. The regexp engine reads
// a whole PRD at a few MB/s (it was half of `specls check` on the corpus);
// most lines of prose hold neither form of a file reference:
//   - a file name needs a '.' followed by the first letter of one of the
//     extensions (all lowercase: the regexp is case-sensitive);
//   - a path needs two '/'.
//
// No match spans a line break (neither form matches '\n'), and `\b` sees
// the end of a line as it sees a '\n', so the matches are the same.
func fileRefs(b []byte) [][]int {
	var out [][]int
	for ls := 0; ls < len(b); {
		le := bytes.IndexByte(b[ls:], '\n')
		if le < 0 {
			le = len(b)
		} else {
			le += ls
		}
		if line := b[ls:le]; mayHoldFileRef(line) {
			for _, m := range fileRefRe.FindAllIndex(line, -1) {
				out = append(out, []int{ls + m[0], ls + m[1]})
			}
		}
		ls = le + 1
	}
	return out
}

// extStart marks the first letters of fileRefRe's extensions (md, yaml,
// json, go, ts, py, cs, sql, env, ini, lock, ...).
var extStart = func() (t [256]bool) {
	for _, c := range []byte("myjgtpcseil") {
		t[c] = true
	}
	return t
}()

func mayHoldFileRef(line []byte) bool {
	if bytes.Count(line, []byte{'/'}) >= 2 {
		return true
	}
	for i := bytes.IndexByte(line, '.'); i >= 0 && i+1 < len(line); {
		if extStart[line[i+1]] {
			return true
		}
		j := bytes.IndexByte(line[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}
