package io.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stage's decision or outcome for one delivery of an event: the value of
 * {@link Topics#STATUS}, keyed by {@link PartitionKeys#event(String, String)} so that
 * every record of one event is read in order by one status view.
 *
 * <p>
 * The same outcome for many users of one event (a fan-out's {@code queued} and
 * {@code delivered}) travels as one record, a batch ({@link #BATCH_SCHEMA_VERSION}):
 * {@code userId} and {@code seq} are its first user's, {@code batch} lists the others
 * with their seqs, and {@link #perUser()} turns it back into one record per user
 * ({@link #batched(List, int)} makes batches).
 *
 * @param schemaVersion the version of this record's shape, {@link #SCHEMA_VERSION} when
 * written
 * @param tenant the tenant that owns the event
 * @param eventId the event
 * @param userId the recipient
 * @param channel the channel of this delivery
 * @param device the device, for push ({@code ios:1a2b...}); {@code null} otherwise
 * @param state the new state
 * @param reason why, for {@code suppressed}, {@code deferred}, {@code failed},
 * {@code dead-lettered} and {@code expired}
 * @param until until when, for {@code deferred}
 * @param providerId the provider's message id, for {@code sent}
 * @param seq the inbox sequence number, for {@code delivered} and {@code acknowledged}
 * @param at when the state was reached
 * @param batch the other users with the same outcome, in order, for a batch; empty (and
 * left out of the JSON) for one user
 * @param countedAs for a fan-out batch's in-app deliveries, whose {@code queued} routing
 * reports as one count (docs/adr/037): on that {@code queued} record, the count's id; on
 * every later status of those deliveries, the id of the count their {@code queued} was
 * in, so that the status view moves each delivery out of the count once. {@code null}
 * (and left out of the JSON) otherwise
 */
public record StatusReported(int schemaVersion, String tenant, String eventId, String userId, Channel channel,
		@Nullable String device, DeliveryState state, @Nullable String reason, @Nullable Instant until,
		@Nullable String providerId, @Nullable Long seq, Instant at,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<Recipient> batch,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String countedAs) implements Versioned {

	/** The version of a record for one user, written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/**
	 * The version of a batch for several users; a reader of version 1 alone refuses it
	 * rather than apply it to its first user only.
	 */
	public static final int BATCH_SCHEMA_VERSION = 2;

	public StatusReported {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(state, "state");
		Objects.requireNonNull(at, "at");
		batch = (batch != null) ? List.copyOf(batch) : List.of();
		if (!batch.isEmpty() && schemaVersion < BATCH_SCHEMA_VERSION) {
			throw new IllegalArgumentException("a batch needs schemaVersion " + BATCH_SCHEMA_VERSION);
		}
		if (countedAs != null && !Counts.isId(countedAs)) {
			throw new IllegalArgumentException("not a count id: " + countedAs);
		}
	}

	/** A record for one user or a batch, not of a count. */
	public StatusReported(int schemaVersion, String tenant, String eventId, String userId, Channel channel,
			@Nullable String device, DeliveryState state, @Nullable String reason, @Nullable Instant until,
			@Nullable String providerId, @Nullable Long seq, Instant at, List<Recipient> batch) {
		this(schemaVersion, tenant, eventId, userId, channel, device, state, reason, until, providerId, seq, at, batch,
				null);
	}

	/** A record for one user. */
	public StatusReported(int schemaVersion, String tenant, String eventId, String userId, Channel channel,
			@Nullable String device, DeliveryState state, @Nullable String reason, @Nullable Instant until,
			@Nullable String providerId, @Nullable Long seq, Instant at) {
		this(schemaVersion, tenant, eventId, userId, channel, device, state, reason, until, providerId, seq, at,
				List.of());
	}

	/** A status record of the current schema version without optional details. */
	public static StatusReported of(String tenant, String eventId, String userId, Channel channel, DeliveryState state,
			Instant at) {
		return new StatusReported(SCHEMA_VERSION, tenant, eventId, userId, channel, null, state, null, null, null, null,
				at);
	}

	/** This record with a reason. */
	public StatusReported withReason(String reason) {
		return new StatusReported(this.schemaVersion, this.tenant, this.eventId, this.userId, this.channel, this.device,
				this.state, reason, this.until, this.providerId, this.seq, this.at, this.batch, this.countedAs);
	}

	/**
	 * This record as part of a count: the count's id on its {@code queued}, or the count
	 * a later status settles (docs/adr/037); {@code null} for none.
	 */
	public StatusReported withCountedAs(@Nullable String countId) {
		return new StatusReported(this.schemaVersion, this.tenant, this.eventId, this.userId, this.channel, this.device,
				this.state, this.reason, this.until, this.providerId, this.seq, this.at, this.batch, countId);
	}

	/**
	 * Whether this record is a count: a fan-out batch's in-app {@code queued}, reported
	 * for all of its users at once and recorded by the status view as a count, not
	 * delivery by delivery (docs/adr/037).
	 */
	@JsonIgnore
	public boolean isCount() {
		return this.countedAs != null && this.state == DeliveryState.QUEUED;
	}

	/**
	 * This status, and the same for each of other events: a digest's status stands for
	 * the events it lists too ({@link DeliverNotification#digestOf()}).
	 */
	public List<StatusReported> alsoFor(List<String> eventIds) {
		if (eventIds.isEmpty()) {
			return List.of(this);
		}
		List<StatusReported> statuses = new ArrayList<>(eventIds.size() + 1);
		statuses.add(this);
		for (String eventId : eventIds) {
			statuses.add(new StatusReported(this.schemaVersion, this.tenant, eventId, this.userId, this.channel,
					this.device, this.state, this.reason, this.until, this.providerId, this.seq, this.at, this.batch,
					this.countedAs));
		}
		return statuses;
	}

	/** Whether this record reports the outcome of more than one user. */
	public boolean manyUsers() {
		return !this.batch.isEmpty();
	}

	/**
	 * The records this one stands for, one per user in order; a record for one user is
	 * itself.
	 */
	public List<StatusReported> perUser() {
		if (this.batch.isEmpty()) {
			return List.of(this);
		}
		List<StatusReported> records = new ArrayList<>(this.batch.size() + 1);
		records.add(forUser(this.userId, this.seq));
		for (Recipient recipient : this.batch) {
			records.add(forUser(recipient.userId(), recipient.seq()));
		}
		return records;
	}

	private StatusReported forUser(String user, @Nullable Long userSeq) {
		return new StatusReported(SCHEMA_VERSION, this.tenant, this.eventId, user, this.channel, this.device,
				this.state, this.reason, this.until, this.providerId, userSeq, this.at, List.of(), this.countedAs);
	}

	/**
	 * Folds records into batches: records that differ only in user and seq (same tenant,
	 * event, channel, state, reason, time and count; no device, no provider id) become
	 * one record, at most {@code maxBatch} users each. Every delivery's records keep
	 * their order: the n-th record of a delivery only joins a batch with the n-th records
	 * of others, and batches are listed in the order of their first records.
	 */
	public static List<StatusReported> batched(List<StatusReported> records, int maxBatch) {
		if (maxBatch < 1) {
			throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
		}
		if (records.size() < 2) {
			return List.copyOf(records);
		}
		List<List<StatusReported>> groups = new ArrayList<>();
		Map<Object, List<StatusReported>> open = new HashMap<>();
		Map<String, Integer> occurrences = new HashMap<>();
		for (StatusReported record : records) {
			int occurrence = occurrences.merge(record.userId + '|' + record.channel.wireName(), 1, Integer::sum);
			Object key = record.batchable() ? new Batchable(occurrence, record.tenant, record.eventId, record.channel,
					record.state, record.reason, record.until, record.at, record.countedAs) : new Object();
			List<StatusReported> group = open.get(key);
			if (group == null) {
				group = new ArrayList<>();
				groups.add(group);
				open.put(key, group);
			}
			group.add(record);
			if (group.size() == maxBatch) {
				open.remove(key);
			}
		}
		List<StatusReported> batches = new ArrayList<>(groups.size());
		for (List<StatusReported> group : groups) {
			batches.add((group.size() == 1) ? group.get(0) : batchOf(group));
		}
		return batches;
	}

	private static StatusReported batchOf(List<StatusReported> group) {
		StatusReported first = group.get(0);
		List<Recipient> others = new ArrayList<>(group.size() - 1);
		for (int i = 1; i < group.size(); i++) {
			others.add(new Recipient(group.get(i).userId, group.get(i).seq));
		}
		return new StatusReported(BATCH_SCHEMA_VERSION, first.tenant, first.eventId, first.userId, first.channel, null,
				first.state, first.reason, first.until, null, first.seq, first.at, others, first.countedAs);
	}

	private boolean batchable() {
		return this.device == null && this.providerId == null && this.batch.isEmpty();
	}

	/** What records must share to be folded into one batch. */
	private record Batchable(int occurrence, String tenant, String eventId, Channel channel, DeliveryState state,
			@Nullable String reason, @Nullable Instant until, Instant at, @Nullable String countedAs) {
	}

	/**
	 * One more user of a batch.
	 *
	 * @param userId the user
	 * @param seq the user's inbox seq, for {@code delivered}; {@code null} otherwise
	 */
	public record Recipient(String userId, @Nullable Long seq) {

		public Recipient {
			Objects.requireNonNull(userId, "userId");
		}

	}

	/**
	 * The identity of the user's delivery on this record's channel, whatever the device.
	 */
	public String channelKey() {
		return this.userId + "|" + this.channel.wireName();
	}

	/** The identity of the delivery this record is about: user, channel and device. */
	public String deliveryKey() {
		return this.userId + "|" + this.channel.wireName() + ((this.device != null) ? "|" + this.device : "");
	}

}
