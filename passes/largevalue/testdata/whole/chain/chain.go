// Package chain follows a chain of blocks and hands what it learns to
// hooks the program sets; it knows nothing of etcd.
package chain

// OnBlock is called after every block with the index of every transaction
// seen so far.
var OnBlock func(index map[string]string)

// OnDrop is called with the transactions a block dropped.
var OnDrop func(dropped map[string]string)

// Block is one block of transactions.
type Block struct {
	Txs     []Tx
	Dropped []Tx
}

// Tx is one transaction.
type Tx struct {
	ID   string
	From string
}

// Follow indexes every transaction of every block.
func Follow(blocks <-chan Block) {
	index := map[string]string{}
	for b := range blocks {
		for _, tx := range b.Txs {
			index[tx.ID] = tx.From
		}
		OnBlock(index)
		dropped := map[string]string{}
		for _, tx := range b.Dropped {
			dropped[tx.ID] = tx.From
		}
		OnDrop(dropped)
	}
}

// Hooks are a Miner's callbacks.
type Hooks struct {
	Publish func(peers map[string]string)
}

// Miner reports the peers it knows.
type Miner struct {
	Hooks Hooks
}

// Report hands every known peer to the Publish hook.
func (m *Miner) Report(peers []string) {
	seen := map[string]string{}
	for _, p := range peers {
		seen[p] = p
	}
	m.Hooks.Publish(seen)
}
