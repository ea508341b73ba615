package fixes

import "testing"

func TestApplyEdits(t *testing.T) {
	src := []byte("package p\n\nfunc f() {\n\tx := 1\n\t_ = x\n}\n")
	ins := len("package p\n\nfunc f() {\n\tx := 1\n")
	edits := []edit{
		{start: ins, end: ins, text: []byte("\tx++\n"), fix: 0},
		{start: ins, end: ins, text: []byte("\tx++\n"), fix: 1}, // same edit from another diagnostic
		{start: ins - 2, end: ins, text: []byte("2\n"), fix: 2}, // overlaps fix 0's neighbourhood? no: ends where it starts
	}
	got, err := applyEdits(src, edits)
	if err != nil {
		t.Fatal(err)
	}
	want := "package p\n\nfunc f() {\n\tx := 2\n\tx++\n\t_ = x\n}\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := applyEdits(src, []edit{{start: 0, end: 7, text: []byte("func"), fix: 0}}); err == nil {
		t.Error("an edit that breaks the file was applied without error")
	}
}
