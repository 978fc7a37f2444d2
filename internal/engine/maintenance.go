package engine

import "time"

// maintain runs periodic work until Close: TTL expiry every
// Options.TTLCheckInterval, checkpoints every Options.CheckpointInterval
// (a zero interval never fires).
func (e *Engine) maintain() {
	defer close(e.maintDone)
	ttl, checkpoint := ticker(e.opts.TTLCheckInterval), ticker(e.opts.CheckpointInterval)
	for {
		select {
		case <-e.maintStop:
			return
		case now := <-ttl:
			if _, err := e.ExpireTTL(now); err != nil && e.Err() == nil {
				e.opts.Logger.Error("ttl expiry failed", "err", err)
			}
		case <-checkpoint:
			st, err := e.Checkpoint()
			switch {
			case err != nil && e.Err() == nil:
				e.opts.Logger.Error("checkpoint failed", "err", err)
			case err == nil && (st.Sealed > 0 || st.SegmentsRemoved > 0):
				e.opts.Logger.Info("checkpoint", "lsn", st.LSN, "sealed", st.Sealed, "sealed_bytes", st.SealedBytes,
					"hot_rows", st.HotRows, "wal_segments_removed", st.SegmentsRemoved)
			}
		}
	}
}

// ticker returns a channel that fires every d, or never for d <= 0.
func ticker(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	return time.NewTicker(d).C
}
