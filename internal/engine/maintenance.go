package engine

import "time"

// maintain runs periodic work until Close: TTL expiry every
// Options.TTLCheckInterval, checkpoints every Options.CheckpointInterval
// (a zero interval never fires), and one whenever the rows only in memory
// pass Options.HotMemoryBytes (checked every 5 s).
func (e *Engine) maintain() {
	defer close(e.maintDone)
	ttl, checkpoint := ticker(e.opts.TTLCheckInterval), ticker(e.opts.CheckpointInterval)
	var budget <-chan time.Time
	if e.opts.HotMemoryBytes > 0 {
		budget = ticker(5 * time.Second)
	}
	for {
		select {
		case <-e.maintStop:
			return
		case now := <-ttl:
			if _, err := e.ExpireTTL(now); err != nil && e.Err() == nil {
				e.opts.Logger.Error("ttl expiry failed", "err", err)
			}
		case <-budget:
			if e.HotBytes() <= e.opts.HotMemoryBytes {
				continue
			}
			e.runCheckpoint()
		case <-checkpoint:
			e.runCheckpoint()
		}
	}
}

// runCheckpoint checkpoints and logs the outcome.
func (e *Engine) runCheckpoint() {
	st, err := e.Checkpoint()
	switch {
	case err != nil && e.Err() == nil:
		e.opts.Logger.Error("checkpoint failed", "err", err)
	case err == nil && (st.Sealed > 0 || st.SegmentsRemoved > 0):
		e.opts.Logger.Info("checkpoint", "lsn", st.LSN, "sealed", st.Sealed, "sealed_bytes", st.SealedBytes,
			"hot_rows", st.HotRows, "wal_segments_removed", st.SegmentsRemoved, "over_hot_memory_budget", st.OverBudget)
	}
}

// ticker returns a channel that fires every d, or never for d <= 0.
func ticker(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	return time.NewTicker(d).C
}
