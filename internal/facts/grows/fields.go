package grows

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// GrownFields is the package fact listing the struct fields that the
// package's code fills with a collection grown in an unbounded loop: a
// field assigned a map or slice that grows (a local filled in a loop, the
// result of a function with a Grows fact), appended to in a loop, or
// indexed into in a loop (a map field). A value of that struct type written
// whole to etcd anywhere in the program holds such a collection: the block
// list of a volume kept in the volume's inode, every member of a group kept
// in the group.
//
// What is not evidence: code that fills the field from another value of
// the type or from its encoding (generated code, Unmarshal, Decode, Clone,
// DeepCopy and Merge methods, and unexported helpers only they call: the
// size is that of a value that exists already), a copy of a definition (an
// object the function builds, filled in loops over collections its caller
// handed it: copies.go), a loop that also declares the struct variable
// (each object's own short list), a loop with constant bounds, and test
// files.
type GrownFields struct {
	Fields []GrownField
}

// GrownField is one field of GrownFields.
type GrownField struct {
	// Type is the struct type declaring the field ("example.com/model.INode"),
	// Field its name.
	Type, Field string
	// How and Over describe the growth as Grows does; In names the
	// function that fills it ("etcd.createBlockVol").
	How, Over, In string

	pos token.Pos // where it is filled, in this process only
}

func (*GrownFields) AFact() {}

func (g *GrownFields) String() string {
	var ss []string
	for _, f := range g.Fields {
		s := f.Type + "." + f.Field + ": " + f.How
		if f.Over != "" {
			s += " over " + f.Over
		}
		ss = append(ss, s+" in "+f.In)
	}
	return "grown fields " + strings.Join(ss, "; ")
}

// Pos is where the field is filled: valid only for a field filled by the
// package being analysed.
func (f *GrownField) Pos() token.Pos { return f.pos }

// decoderPrefixes are the names of methods that fill a value from another
// value of its type or from its encoding.
var decoderPrefixes = []string{"Unmarshal", "Decode", "Clone", "DeepCopy", "Merge", "XXX_", "Reset"}

// grownFields finds the fields this package fills in a loop and exports
// them as a package fact.
func grownFields(pass *analysis.Pass, r *Result) {
	decoding := decoderHelpers(pass)
	// A second scan sees the fields the first found: a copy of one of
	// them, in a function declared before its fill, grows too.
	for range 2 {
		n := len(r.order)
		scanFields(pass, r, decoding)
		if len(r.order) == n {
			break
		}
	}
	if len(r.fields) == 0 {
		return
	}
	fact := &GrownFields{}
	for _, k := range r.order {
		fact.Fields = append(fact.Fields, *r.fields[k])
	}
	pass.ExportPackageFact(fact)
}

// scanFields records the fields the package's functions fill in a loop.
func scanFields(pass *analysis.Pass, r *Result, decoding map[*types.Func]bool) {
	for _, f := range pass.Files {
		if generated(f) || strings.HasSuffix(pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || isDecoder(fd.Name.Name) {
				continue
			}
			if fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func); decoding[fn] {
				continue
			}
			s := &fnState{info: pass.TypesInfo, res: r, grown: map[*types.Var]growth{}, fd: fd}
			in := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				if name := QualifiedName(pass.TypesInfo.TypeOf(fd.Recv.List[0].Type)); name != "" {
					in = name[strings.LastIndex(name, ".")+1:] + "." + in
				}
			}
			in = pass.Pkg.Name() + "." + in
			s.onAssign = func(a *ast.AssignStmt) { s.fieldAssign(a, in, r) }
			s.visit(fd.Body)
			// A goroutine the function starts fills fields as the
			// program runs: its loops are visited as the function's.
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if g, ok := n.(*ast.GoStmt); ok {
					if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
						s.loops = s.loops[:0]
						s.visit(lit.Body)
					}
				}
				return true
			})
		}
	}
}

// generated reports a generated file: one go/ast says is, or one whose
// comments before the package clause say "Code generated" or "DO NOT EDIT"
// in the older forms (protoc-gen-gogo's "DO NOT EDIT!" on a line of its
// own).
func generated(f *ast.File) bool {
	if ast.IsGenerated(f) {
		return true
	}
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "// Code generated") || strings.Contains(c.Text, "DO NOT EDIT") {
				return true
			}
		}
	}
	return false
}

func isDecoder(name string) bool {
	for _, p := range decoderPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// fieldAssign records x.F = grown, x.F = append(x.F, ...) and x.F[k] = v
// in an unbounded loop that does not declare x.
func (s *fnState) fieldAssign(a *ast.AssignStmt, in string, r *Result) {
	for i, lhs := range a.Lhs {
		lhs = ast.Unparen(lhs)
		var gr growth
		var sel *ast.SelectorExpr
		// copied: the fill copies a collection the function was
		// handed, into an object it builds (or, for an assignment of
		// a local, whatever the object).
		copied := false
		switch l := lhs.(type) {
		case *ast.SelectorExpr:
			sel = l
			switch {
			case len(a.Rhs) == len(a.Lhs):
				rhs := ast.Unparen(a.Rhs[i])
				if call, ok := rhs.(*ast.CallExpr); ok && s.isBuiltin(call, "append") && len(call.Args) > 0 && sameField(s.info, call.Args[0], sel) {
					if lf, ok := s.fieldLoop(sel); ok {
						gr = growth{how: "a slice appended to in a loop", over: lf.overString()}
						copied = s.builtCopy(sel)
					}
				} else {
					gr = s.exprGrows(rhs, 0)
					// A field rebuilt from its own elements (a filter, a
					// reorder: x.F = kept, kept filled in a loop over x.F)
					// is no larger than it was.
					copied = gr.copied || gr.over != "" && gr.over == types.ExprString(sel)
				}
			case len(a.Rhs) == 1:
				// x.F, err = f(): result i of a call with a Grows fact.
				if call, ok := ast.Unparen(a.Rhs[0]).(*ast.CallExpr); ok {
					gr = s.resultGrows(call, i)
					copied = gr.copied
				}
			}
		case *ast.IndexExpr:
			if x, ok := ast.Unparen(l.X).(*ast.SelectorExpr); ok {
				t := s.info.TypeOf(x)
				if t == nil {
					continue
				}
				if _, isMap := t.Underlying().(*types.Map); isMap {
					sel = x
					if lf, ok := s.fieldLoop(sel); ok {
						gr = growth{how: "a map filled in a loop", over: lf.overString()}
						copied = s.builtCopy(sel)
					}
				}
			}
		}
		if sel == nil || gr.how == "" || copied {
			continue
		}
		typ, field, ok := fieldOf(s.info, sel)
		if !ok {
			continue
		}
		key := typ + "." + field
		if r.fields == nil {
			r.fields = map[string]*GrownField{}
		}
		if _, done := r.fields[key]; !done {
			r.order = append(r.order, key)
			r.fields[key] = &GrownField{Type: typ, Field: field, How: gr.how, Over: gr.over, In: in, pos: sel.Sel.Pos()}
		}
	}
}

// resultGrows describes result i of call when its callee's Grows fact
// lists it.
func (s *fnState) resultGrows(call *ast.CallExpr, i int) growth {
	var fn *types.Func
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		fn, _ = s.info.Uses[f].(*types.Func)
	case *ast.SelectorExpr:
		fn, _ = s.info.Uses[f.Sel].(*types.Func)
	}
	if g := s.res.Of(fn); g != nil {
		for _, r := range g.Results {
			if r == i {
				return growth{how: g.How, over: g.Over, holders: g.Holders, copied: g.Copied && s.argsHandedIn(call, 0)}
			}
		}
	}
	return growth{}
}

// builtCopy reports whether the field sel selects belongs to an object the
// function builds, filled in loops over collections the function was
// handed: a copy of them.
func (s *fnState) builtCopy(sel *ast.SelectorExpr) bool {
	v := rootVar(s.info, sel)
	return s.builtHere(v) && s.copies(v)
}

// rootVar returns the variable, not a field, that sel starts from (in in
// in.Meta.Blocks), or nil.
func rootVar(info *types.Info, sel *ast.SelectorExpr) *types.Var {
	root := ast.Expr(sel)
	for {
		switch x := ast.Unparen(root).(type) {
		case *ast.SelectorExpr:
			root = x.X
			continue
		case *ast.StarExpr:
			root = x.X
			continue
		case *ast.IndexExpr:
			root = x.X
			continue
		}
		break
	}
	if id, ok := ast.Unparen(root).(*ast.Ident); ok {
		if v, ok := info.ObjectOf(id).(*types.Var); ok && !v.IsField() {
			return v
		}
	}
	return nil
}

// fieldLoop returns the innermost unbounded loop enclosing the statement
// being visited that does not declare the variable sel starts from.
func (s *fnState) fieldLoop(sel *ast.SelectorExpr) (loopFrame, bool) {
	if v := rootVar(s.info, sel); v != nil {
		return s.loopFor(v)
	}
	for i := len(s.loops) - 1; i >= 0; i-- {
		if !s.loops[i].bounded {
			return s.loops[i], true
		}
	}
	return loopFrame{}, false
}

// sameField reports whether e selects the same field as sel (x.F in
// x.F = append(x.F, ...)).
func sameField(info *types.Info, e ast.Expr, sel *ast.SelectorExpr) bool {
	es, ok := ast.Unparen(e).(*ast.SelectorExpr)
	return ok && info.Uses[es.Sel] == info.Uses[sel.Sel] && types.ExprString(es.X) == types.ExprString(sel.X)
}

// fieldOf returns the struct type declaring the field sel selects, and the
// field's name, when the field holds a map or a slice (not of bytes) and is
// exported: encoders (encoding/json, yaml, gob, protobuf's generated code)
// write exported fields only.
func fieldOf(info *types.Info, sel *ast.SelectorExpr) (typ, field string, ok bool) {
	selection := info.Selections[sel]
	if selection == nil || selection.Kind() != types.FieldVal || len(selection.Index()) != 1 {
		return "", "", false
	}
	v, isVar := selection.Obj().(*types.Var)
	if !isVar || !v.Exported() || !collectionType(v.Type()) {
		return "", "", false
	}
	typ = QualifiedName(selection.Recv())
	if typ == "" {
		return "", "", false
	}
	return typ, v.Name(), true
}

func collectionType(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Map:
		return true
	case *types.Slice:
		b, ok := u.Elem().Underlying().(*types.Basic)
		return !ok || b.Kind() != types.Byte
	}
	return false
}

// fieldIndex holds the grown fields of a package's Result: its own, and
// those of the packages it depends on, read once when first asked.
type fieldIndex struct {
	pass       *analysis.Pass
	fields     map[string]*GrownField
	order      []string
	importOnce sync.Once
	imported   map[string]*GrownField
}

// GrownField returns how the field named field of the struct type named
// typ ("path.Name") is filled in a loop, by this package or one it
// depends on (the first by package path, then by field), or nil.
func (r *Result) GrownField(typ, field string) *GrownField {
	if r == nil {
		return nil
	}
	if f := r.fields[typ+"."+field]; f != nil {
		return f
	}
	r.importOnce.Do(func() {
		r.imported = map[string]*GrownField{}
		facts := r.pass.AllPackageFacts()
		sort.Slice(facts, func(i, j int) bool { return facts[i].Package.Path() < facts[j].Package.Path() })
		for _, pf := range facts {
			g, ok := pf.Fact.(*GrownFields)
			if !ok {
				continue
			}
			for i := range g.Fields {
				k := g.Fields[i].Type + "." + g.Fields[i].Field
				if _, done := r.imported[k]; !done {
					r.imported[k] = &g.Fields[i]
				}
			}
		}
	})
	return r.imported[typ+"."+field]
}
