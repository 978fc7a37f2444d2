package engine

import "time"

// maintain runs periodic work until Close: TTL expiry every
// Options.TTLCheckInterval.
func (e *Engine) maintain(every time.Duration) {
	defer close(e.maintDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-e.maintStop:
			return
		case now := <-tick.C:
			if _, err := e.ExpireTTL(now); err != nil && e.Err() == nil {
				e.opts.Logger.Error("ttl expiry failed", "err", err)
			}
		}
	}
}
