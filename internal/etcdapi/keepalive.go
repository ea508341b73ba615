package etcdapi

// KeepAliveSendWaitMillis is how often, in milliseconds, the client's
// keep-alive send loop looks for leases due a renewal (client/v3/lease.go
// sendKeepAliveLoop waits retryConnWait, 500 ms, in 3.3 to 3.6). A
// Lease.KeepAlive on a lease the client is not already renewing is due at
// once (nextKeepAlive: time.Now()), so its request goes out within this
// wait; a response with TTL <= 0 (the lease is gone) closes every channel
// of that lease (recvKeepAlive).
const KeepAliveSendWaitMillis = 500
