// Package largevalue defines an Analyzer that reports etcd values whose size
// grows with a collection, and values of a large constant size.
//
// # Analyzer largevalue
//
// largevalue: report an etcd value that grows with a collection
//
// Every write to etcd is a raft entry, and etcd keeps at least the 5000 most
// recent entries in memory (DefaultSnapshotCatchUpEntries); every revision of
// a key also stays in the key index and the database until compaction. A
// value that holds a whole collection (the statistics of every pipeline, a
// list of every block of a volume) and is rewritten every few seconds costs
// its full size on every write: 5000 writes of a 2 MB value keep about 10 GB
// in memory on an idle cluster. Past 1.5 MiB (--max-request-bytes) the write
// is rejected with "etcdserver: request is too large".
//
// What it reports:
//
// A write of an etcd value (KV.Put, OpPut in a Txn or Do, STM.Put,
// Election.Campaign/Proclaim, the Value of a raw etcdserverpb.PutRequest, or
// a call of the application's own wrapper function, method or interface
// method, in this package or another, that writes one of its parameters)
// when the value grows with a collection:
//
//   - it is the encoding (encoding/json, gob, xml, YAML, protobuf, the
//     Marshal method of generated code, fmt.Sprint*) of a map or slice that
//     the function fills in a loop, or of a struct holding one (also a
//     local struct the map is filled through, or copied into);
//   - it is a strings.Join or bytes.Join of such a slice, a bytes.Buffer or
//     strings.Builder written in a loop, or a string or []byte appended to
//     in a loop; what is written into a writer made on the buffer (gzip,
//     zlib, flate, bufio, base64, io.MultiWriter) is in the buffer:
//     compression makes the value smaller, not bounded;
//   - it is the encoding of a result of a function that returns a map,
//     slice, string or buffer filled in a loop (from any package: the
//     function gets a fact; an interface method gets the fact of the first
//     implementation its package sees that has one: its own, or one of a
//     package it imports);
//   - in whole-program mode (etcdlint -whole), it is the encoding of a
//     result of an interface method any of whose implementations in the
//     program returns such a collection, also through a field of the result
//     (status.Detail) and through helpers of the package that encode it,
//     decode it into a map (json.Unmarshal) and encode that map again;
//   - it is the encoding of a whole map or slice held by the program (a
//     field of a receiver, parameter or global, or a struct holding such
//     fields), written under a constant key;
//   - it is the encoding of a whole map or slice parameter whose elements
//     are records (structs: one per node, pipeline, route), written under a
//     constant key, directly or through the application's own key-value
//     layer (a Save(key, value string) over a Txn with OpPut, an interface
//     of it, a helper that encodes): the function stores the whole table of
//     objects in one value whatever its callers pass. Its callers that grow
//     the collection are reported too (below);
//   - it is the encoding of a whole struct handed in (a parameter) or held
//     by the program (a field of a receiver or parameter, a global), under
//     any key, whose type has a map or slice field that code of the
//     program fills in an unbounded loop (below).
//
// A struct's field filled in a loop: a field assigned a collection grown in
// a loop (a local filled in a loop, the result of a function whose result
// grows), appended to, or indexed into (a map) in an unbounded loop that
// does not also declare the struct's variable. The fill may be in this
// package or in one it imports (a package fact lists the fields each
// package fills so), and need not touch the value written: the type is
// where the collection is kept, so every write of a whole value of that
// type carries it. A volume's inode whose block list (a repeated field) is
// built block by block, rewritten whole into one key by every sync, reaches
// the request limit as the volume grows, and every rewrite stays in etcd's
// history until compaction:
//
//	in.Blocks = append(in.Blocks, b) // in a loop over every block, elsewhere
//	data, _ := in.Marshal()           // in Sync(in *Inode)
//	put := &pb.RequestOp{Request: &pb.RequestOp_RequestPut{
//		RequestPut: &pb.PutRequest{Key: key, Value: data}}}
//
// What makes such a value outgrow etcd is a collection that grows between
// writes: the program adds to it as it runs. The evidence is a fill that
// adds to an object outliving the call (a field of a receiver, parameter
// or global appended to in a loop: each call adds to what earlier calls
// left, as a pool's members joined batch by batch), or a loop over what
// the program keeps or receives: the receiver's or a global's collections,
// a channel or an iterator (data arriving over time, also in a goroutine
// the function starts), a loop with a condition (a block per offset up to
// the volume's size), an iterating callback, a result that grows.
//
// A fill that copies a definition is not evidence. A function that builds
// an object (a local made by a literal, a zero value or a call, such as a
// decode) and fills its field in loops over collections its caller handed
// it (a parameter, what is reached from one, or a local built from those)
// makes the field as large as that definition, which whoever wrote it
// bounds: a table's schema made one column per column of its CREATE TABLE
// statement, a stored schema given the columns a DDL job adds, a sink's
// dispatch rules copied from its configuration file are written whole as
// often as they change, at the size they were declared. The same holds for
// a field assigned a local filled so, or the result of a function that
// fills its result so and is called with such arguments, whatever object
// holds the field; for a fill in an unexported function that only the
// package's decoders call (an older format's rules converted in
// UnmarshalJSON), which has the size of the encoding it reads; and for a
// field rebuilt from its own elements (x.F = kept, kept filled in a loop
// over x.F: a filter, a reorder), which is no larger than it was. A copy of
// a field that the program fills in a loop (a dashboard's view of every
// table a changefeed has followed) grows with that field. What these
// exemptions can hide: a builder handed a collection that its caller grows
// but that the pass does not know grows (a status built from every member
// of a registry, passed as a parameter, when the registry is not a field
// filled in a loop), and a read-modify-write that decodes a stored object
// into a local, appends in a loop what its caller passes and writes it
// back (each call adds what it is handed).
//
// A struct with a slice field is not large by itself: without a fill in a
// loop that the pass sees, it is not reported. What is not evidence:
// generated code (protobuf's decoders and test populators), methods that
// fill a value from another value or from its encoding (Unmarshal*,
// Decode*, Clone*, DeepCopy*, Merge*, Reset*, XXX_*: the size is that of a
// value that exists already), test files, a loop with constant bounds,
// and fields the encoders leave out (unexported, or tagged "-"). A
// value handed whole to a wrapper that takes that type is reported in the
// wrapper, not again at each caller (unless the field is filled in the
// caller's package, which the wrapper's may not see); a struct of that type
// written field by field (one key per block) is not reported. What this
// may report that a maintainer keeps: a record whose short list the program
// builds in a loop over a handful of items it keeps (a member's URLs from
// the receiver's configuration) and then writes whole; the pass cannot
// tell a handful from every block of a volume. What the exemptions can
// also hide: a list that grows by one element per call, outside any loop
// (a read-modify-write that decodes the stored value, appends this node
// and writes it back: every call adds one, and the fills the pass sees are
// the decoder's).
//
// A loop is a for or range statement, a function literal passed to an
// iterating callee (Range, Walk, ForEach, Each, Visit, Iterate; also when
// the literal is held in a variable or converted to the callee's named
// function type, as in WalkControllers(walkFn) with type WalkFunc
// func(*Entity) bool), or the body of a range-over-func loop, that does not
// also create the collection.
//
// When the value is a parameter of the function that writes it, the report
// is at the call that passes the growing collection: the pass exports a
// fact on each function saying which parameters it writes whole and which
// (maps or slices) it writes element by element, so a call of
// cluster.PutAll(kvs) is reported when one element of kvs grows.
//
// It reports many values written in one request when their number grows and
// their size is not bounded: an OpPut (or a raw PutRequest) made once per
// iteration of an unbounded loop that sends no request itself, gathered into
// the one Txn sent after the loop, whose values are encoded documents (the
// encoding of anything but a fixed-size record), data read from a file or
// stream, or strings and byte slices handed in by the caller. The request is
// one raft entry: past 1.5 MiB the server rejects it, past 2 MiB (the
// client's default send limit) clientv3 refuses to send it. A function that
// gathers the elements of a parameter this way gets a fact saying so (batch,
// distinct from writing each element with its own request), and a call of it
// (a function, a struct method, or an interface method whose implementation
// is in the interface's package) is reported when the map or slice it passes
// is filled in an unbounded loop with such values:
//
//	kvs := map[string]*string{}
//	for name, st := range statuses { // every object's encoded status
//		kvs["/status/"+name] = &st
//	}
//	cluster.PutAllUnderLease(kvs) // one Txn holding every status
//
// A function that builds the one request from the elements of its own
// parameter (strings or byte slices of a size its callers decide) is
// reported itself, and keeps the fact: a caller that fills that parameter
// in an unbounded loop with encoded documents is reported too, at its call.
// Both are places the fix can go (chunks in the one, fewer or smaller
// values in the other), and the caller is where the growth is seen:
//
//	statuses := map[string]string{}
//	registry.WalkObjects(func(o Object) bool { // every supervised object
//		b, _ := json.Marshal(o.Status())   // whatever size it reports
//		statuses[o.Name()] = string(b)
//		return true
//	})
//	s.push(statuses) // push sends every element in one Txn
//
// Each status is a document whose size this package cannot see (its
// Object is implemented elsewhere), so the sum is unbounded however many
// objects there are; a caller that fills it with numbers, constants or
// fixed-size records is not reported (what that can hide: millions of
// small values in one Txn; past 128 operations etcd rejects the Txn
// first, which txnops reports).
//
// A collection that starts afresh inside the loop that fills it (sent in
// chunks, or once per iteration) is not reported. A function whose loop
// ranges over a parameter and gathers one OpPut per element into one Txn
// (an Update(ctx, updates) applying a batch of changes its caller built, as
// client/v3's naming/endpoints does) is not reported itself: its caller
// decides how many, and the call that passes a collection grown in a loop
// is the one reported.
//
// It also reports a value of constant size above -max-bytes (a constant
// string, make([]byte, N), strings.Repeat with constant arguments).
//
// What it does not report:
//
//   - a fixed-size record: the encoding of a struct whose fields are
//     scalars, strings or fixed arrays;
//   - one key per element: a Put inside the loop of a key that names the
//     element and a value made from that element alone (the fix);
//   - a collection bounded by a constant: a range over an array or a
//     constant, a counted loop with constant bounds;
//   - many keys in one Txn whose values are provably small or of a size
//     this function cannot see: constants, nil (deletions), numbers and
//     their formatting, fixed-size records, fields of records, results of
//     other calls; and one request per element (Put, or Do, in the loop),
//     or a Txn sent in chunks; operations returned to the caller, or handed
//     to a helper that builds the Txn, are not followed;
//   - a value read from a file, a request body or another call and written
//     unchanged: its size is unknown, not provably growing;
//   - a whole collection held by the program, or a collection of records
//     handed in, written under a key that is not constant (a per-object key:
//     the collection may be the object's own, as a group's members under the
//     group's key), unless its struct type has a field the program fills in
//     a loop (above); callers that grow it are still reported;
//   - a collection filled through a helper the pass does not follow (a map
//     passed to another function that fills it), and interface calls whose
//     implementations are not visible: an interface declared in a package
//     that does not hold its implementation gets no fact in the modular
//     mode (go vet, golangci-lint, etcdlint without -whole): a collection
//     returned by such a method (a controller's Status implemented in a
//     package the caller does not import) is not known to grow (one
//     request gathering every object's encoded status is still reported,
//     above), and a
//     parameter written by such a method (an inode passed to a metadata
//     service's Sync method) is not followed back to the caller that grows
//     it (the method itself is reported when the struct's type has a field
//     the program fills in a loop, above); -whole sees the first;
//   - a call through a function-valued variable or field (a hook that main
//     sets to a function writing etcd) in the modular mode: the assignment
//     is in a package neither side imports, so no fact carries it; -whole
//     resolves the call to every function the program stores into the
//     variable and checks the collection passed as it checks a wrapper's;
//   - an implementation whose collection is held by a type that the code
//     has already taken apart: where a comma-ok type assertion (or a type
//     switch case) to that type has failed on every path, as in the else
//     branch of "if ts, ok := status.Detail.(*traffic.Status); ok", which
//     writes one key per pipeline in its then branch (the pass does not
//     check that the assertion tests the value written);
//   - elements that grow in a loop nested in the loop that gathers them:
//     each element is the object's own value (one record per object, with
//     that object's labels), not a collection of objects;
//   - one object's own value under a key that names the object, when
//     nothing the pass sees fills its collection in a loop (an inode whose
//     block list is filled only by a package the writer does not import,
//     written by a method that receives the inode as a parameter).
//
// Not reported either: writes in test code, which often writes a large
// value on purpose to see etcd refuse it (see -include-tests). Test code is
// a _test.go file, or any file of a package that exists to support tests:
// one whose import path has an element, after the first, that is
// integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "largevalue, hotkey" (heap, raft entries and db size of one merged
// value rewritten every tick against one key per status) and "largevalue"
// (the request limits).
//
// Flags:
//
//	-max-bytes N      report a value of constant size above N bytes (default 1048576)
//	-include-tests    also report writes in test code (default false)
//
// Example:
//
//	all := map[string]Stats{}
//	for _, p := range s.pipelines {
//		all[p.Name] = p.Stats
//	}
//	b, _ := json.Marshal(all)
//	cli.Put(ctx, "/status/traffic", string(b)) // grows with s.pipelines
//
// Fix: write one key per element, inside the loop:
//
//	for _, p := range s.pipelines {
//		b, _ := json.Marshal(p.Stats)
//		cli.Put(ctx, "/status/"+p.Name, string(b))
//	}
//
// and read them back with a prefix Get. For data that is large by nature
// (a block list), store it outside etcd and keep a small reference in etcd.
package largevalue
