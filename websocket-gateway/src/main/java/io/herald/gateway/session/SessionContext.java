package io.herald.gateway.session;

import io.herald.gateway.inbox.Inbox;
import io.herald.gateway.inbox.Receipts;
import io.herald.support.tracing.RecordTracing;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every session of a node shares. */
record SessionContext(Inbox inbox, Receipts receipts, LiveHub hub, Presence presence, Sessions sessions,
		SessionMetrics metrics, SessionProperties properties, Clock clock, Executor executor,
		ScheduledExecutorService scheduler, RecordTracing tracing) {
}
