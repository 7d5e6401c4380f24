package cli

import (
	"context"
	"log/slog"
	"time"

	sddaemon "github.com/coreos/go-systemd/v22/daemon"
)

// systemd talks to systemd (sd_notify). Outside systemd ($NOTIFY_SOCKET
// unset) every call is a no-op.
type systemd struct{ log *slog.Logger }

func (n systemd) send(state string) {
	if _, err := sddaemon.SdNotify(false, state); err != nil {
		n.log.Warn("sd_notify failed", "state", state, slog.Any("err", err))
	}
}

// watchdog checks health every tick (a third of WatchdogSec under
// systemd's watchdog, else 30 s) until ctx is done: it logs an error when
// the daemon turns unhealthy (the store gone or failing, the scheduler
// stopped) and again when it recovers, sends WATCHDOG=1 only while
// healthy, and refreshes STATUS=.
func (n systemd) watchdog(ctx context.Context, healthy func(context.Context) error, status func(context.Context) string) {
	interval, err := sddaemon.SdWatchdogEnabled(false)
	if err != nil || interval <= 0 {
		interval = 0
	}
	period := 30 * time.Second
	if interval > 0 {
		period = interval / 3
	}
	t := time.NewTicker(period)
	defer t.Stop()
	var last string // the last unhealthy reason logged
	for {
		n.send("STATUS=" + status(ctx))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := healthy(ctx)
		switch {
		case err != nil && err.Error() != last:
			n.log.Error("unhealthy", slog.Any("err", err))
			last = err.Error()
		case err == nil && last != "":
			n.log.Info("healthy again")
			last = ""
		}
		if interval > 0 && err == nil {
			n.send(sddaemon.SdNotifyWatchdog)
		}
	}
}
