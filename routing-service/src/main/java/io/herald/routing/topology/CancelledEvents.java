package io.herald.routing.topology;

import io.herald.events.EventCancelled;
import io.herald.events.PartitionKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cancelled events a partition remembers ({@link RoutingStores#CANCELLED},
 * docs/adr/029), read where a delivery is about to be held or sent. Almost every event is
 * not cancelled, and most of the time a partition remembers no cancellation at all: while
 * its store is empty, asking costs no read. The store is only written here, by the
 * partition's own processor, and is complete when the processor starts (Kafka Streams
 * restores it before), so whether it is empty is known exactly.
 */
final class CancelledEvents {

	private final KeyValueStore<String, EventCancelled> store;

	/**
	 * Whether the store holds no cancellation: then no event of this partition was
	 * cancelled.
	 */
	private boolean empty;

	CancelledEvents(KeyValueStore<String, EventCancelled> store) {
		this.store = store;
		try (KeyValueIterator<String, EventCancelled> all = store.all()) {
			this.empty = !all.hasNext();
		}
	}

	/**
	 * The cancellation of an event, if this partition remembers one; no read while it
	 * remembers none.
	 */
	@Nullable EventCancelled of(String tenant, String eventId) {
		return this.empty ? null : this.store.get(PartitionKeys.event(tenant, eventId));
	}

	/**
	 * Remembers a cancellation, unless one of the event is remembered already: the first
	 * stays, so that a cancellation applied again changes nothing.
	 * @return whether it is the event's first
	 */
	boolean remember(EventCancelled cancellation) {
		String key = PartitionKeys.event(cancellation.tenant(), cancellation.eventId());
		if (!this.empty && this.store.get(key) != null) {
			return false;
		}
		this.store.put(key, cancellation);
		this.empty = false;
		return true;
	}

	/** Forgets the cancellations made before {@code horizon}. */
	void forgetBefore(Instant horizon) {
		if (this.empty) {
			return;
		}
		List<String> old = new ArrayList<>();
		int kept = 0;
		try (KeyValueIterator<String, EventCancelled> all = this.store.all()) {
			while (all.hasNext()) {
				KeyValue<String, EventCancelled> entry = all.next();
				if (entry.value == null || entry.value.cancelledAt().isBefore(horizon)) {
					old.add(entry.key);
				}
				else {
					kept++;
				}
			}
		}
		old.forEach(this.store::delete);
		this.empty = kept == 0;
	}

}
