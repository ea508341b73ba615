// Package volume lays out block volumes; it knows nothing of etcd.
package volume

// Extent is one block of a volume.
type Extent struct {
	Node   string
	Offset uint64
}

// Inode describes a volume, as a protobuf message would: its extents are
// a repeated field.
type Inode struct {
	Volume  uint64
	Size    uint64
	Extents []*Extent
	Owners  []string
	Tags    map[string]string
}

// Grow adds an extent per block until the volume holds size bytes.
func (in *Inode) Grow(size, blockSize uint64) {
	for off := in.Size; off < size; off += blockSize {
		in.Extents = append(in.Extents, &Extent{Offset: off})
	}
	in.Size = size
}

// SetOwners keeps what its caller passes: no loop grows it here.
func (in *Inode) SetOwners(owners []string) {
	in.Owners = owners
}

// Unmarshal fills an inode from its encoding: as large as what was
// written, not evidence of growth.
func (in *Inode) Unmarshal(tags [][2]string) {
	for _, t := range tags {
		if in.Tags == nil {
			in.Tags = map[string]string{}
		}
		in.Tags[t[0]] = t[1]
	}
}

// Ref is a fixed-size reference to an inode stored elsewhere.
type Ref struct {
	Volume uint64
	Gen    uint64
}

// Node is one member of a pool; each gets its own short list of
// addresses, built in the loop that creates it.
type Node struct {
	Name  string
	Addrs []string
}

// Nodes makes one node per name, each with one address.
func Nodes(names []string) []*Node {
	var out []*Node
	for _, n := range names {
		node := &Node{Name: n}
		node.Addrs = append(node.Addrs, n+":2380")
		out = append(out, node)
	}
	return out
}

// Cache is written whole, but encoders skip what grows in it: an
// unexported index and a field tagged "-".
type Cache struct {
	Name  string
	index map[string]int
	Hot   []string `json:"-"`
}

// Warm fills both in a loop.
func (c *Cache) Warm(keys []string) {
	for i, k := range keys {
		c.index[k] = i
		c.Hot = append(c.Hot, k)
	}
}
