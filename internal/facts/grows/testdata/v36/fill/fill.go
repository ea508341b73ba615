package fill // want package:`^grown fields example.com/fixture/fill.Volume.Blocks: a slice filled in a loop over n in fill.Volume.Layout; example.com/fixture/fill.Volume.Labels: a map filled in a loop over tags in fill.Label; example.com/fixture/fill.Volume.Hosts: a slice appended to in a loop over hosts in fill.AddHosts$`

import "example.com/fixture/model"

// Volume is a record whose fields are collections.
type Volume struct {
	Name   string
	Blocks []model.Block
	Labels map[string]string
	Hosts  []string
	Owners []string
	Data   []byte
	seen   map[string]bool
}

// Layout sets the block list from a function whose result grows.
func (v *Volume) Layout(n int) {
	v.Blocks = model.Blocks(n)
}

// Label fills the map field in a loop.
func Label(v *Volume, tags []string) {
	for _, t := range tags {
		v.Labels[t] = t
	}
}

// AddHosts appends to the slice field in a loop.
func AddHosts(v *Volume, hosts []string) {
	for _, h := range hosts {
		v.Hosts = append(v.Hosts, h)
		v.seen[h] = true
	}
}

// SetOwners keeps what it is given: no loop.
func SetOwners(v *Volume, owners []string) {
	v.Owners = owners
}

// Fresh makes one volume per name, each with one owner, in the loop that
// declares it: each volume's own short list.
func Fresh(names []string) []*Volume { // want Fresh:`grows\(0\): a slice filled in a loop over names`
	var out []*Volume
	for _, n := range names {
		v := &Volume{Name: n}
		v.Owners = append(v.Owners, n)
		out = append(out, v)
	}
	return out
}

// UnmarshalOwners fills from an encoding: not evidence.
func (v *Volume) UnmarshalOwners(data [][]byte) {
	for _, d := range data {
		v.Owners = append(v.Owners, string(d))
	}
}

// Bytes grows a byte slice: not a collection of elements.
func (v *Volume) Bytes(parts [][]byte) {
	for _, p := range parts {
		v.Data = append(v.Data, p...)
	}
}

// Ring fills with a constant bound.
func Ring(v *Volume) {
	for i := 0; i < 3; i++ {
		v.Hosts = append(v.Hosts, "h")
	}
}
