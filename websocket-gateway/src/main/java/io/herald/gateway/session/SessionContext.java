package io.herald.gateway.session;

import io.herald.gateway.inbox.Acknowledgements;
import io.herald.gateway.inbox.Inbox;
import io.herald.gateway.inbox.InboxCursors;
import io.herald.support.tracing.RecordTracing;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every session of a node shares. */
record SessionContext(Inbox inbox, InboxCursors cursors, Acknowledgements acknowledgements, LiveHub hub,
		Presence presence, Sessions sessions, SessionMetrics metrics, SessionProperties properties, Clock clock,
		Executor executor, ScheduledExecutorService scheduler, RecordTracing tracing) {
}
