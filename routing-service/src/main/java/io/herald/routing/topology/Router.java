package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.Counts;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.EventAccepted;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.PartitionKeys;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.RetractNotification;
import io.herald.events.Topics;
import io.herald.events.StatusReported;
import io.herald.events.UserState;
import io.herald.routing.dedup.EventDeduplicator;
import io.herald.routing.digest.DigestLookup;
import io.herald.routing.digest.DigestPlan;
import io.herald.routing.digest.DigestPolicy;
import io.herald.routing.ratelimit.RateDecision;
import io.herald.routing.ratelimit.RateLimit;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.herald.routing.ratelimit.RateLimiter;
import io.herald.routing.preference.ChannelDecision;
import io.herald.routing.preference.ChannelPreferences;
import io.herald.routing.quiethours.DeliveryTiming;
import io.herald.routing.quiethours.Timing;
import io.herald.routing.template.TemplateRenderer;
import io.herald.support.metrics.Funnel;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Routes one event to one user (records keyed {@code tenant|userId}, on the partition
 * that owns the user) and releases held deliveries when they are due. The rules are pure
 * classes; this class applies them in order and writes their outcomes:
 * <ol>
 * <li>dedup ({@link EventDeduplicator}): a copy already seen produces nothing;</li>
 * <li>preferences ({@link ChannelPreferences}): skipped channels are
 * {@code suppressed};</li>
 * <li>expiry: past {@code expiresAt}, every open channel is {@code expired}
 * ({@link #EXPIRES_AT});</li>
 * <li>template: an unknown template suppresses every open channel
 * ({@link #UNKNOWN_TEMPLATE}), checked before holding so that the sender learns it at
 * once; the event's tenant's own template wins over a shared one of the same id, and is
 * looked up in a catalog that has read every template change its ingestion had read; one
 * that cannot be rendered with the event's data within its budget suppresses every open
 * channel ({@link #RENDER_FAILED});</li>
 * <li>timing ({@link DeliveryTiming}): {@code sendAt} or quiet hours hold the open
 * channels in {@link RoutingStores#HELD} ({@code deferred}); a wall-clock punctuator
 * releases due ones and runs them through steps 2 to 6 again, with the user's state at
 * that time; a held event that expires before its hold ends is released at its expiry,
 * and so reported {@code expired} then;</li>
 * <li>digests ({@link DigestPolicy}, not for {@code critical}): the push, email and SMS
 * messages of a digested category join the user's digest ({@link Digests}) and are
 * {@code deferred} (reason {@code digest}) until it goes out; the punctuator that
 * releases held deliveries sends due digests ({@link DigestFlush}, docs/adr/036);</li>
 * <li>rate limits ({@link RateLimiter}, not for {@code critical}): excess is
 * {@code suppressed};</li>
 * <li>otherwise one {@link DeliverNotification} per channel to its lane, and
 * {@code queued}; a {@code critical} one carries fallbacks, the same notification
 * rendered for the other channels the user can receive, for delivery to use when a
 * channel's providers are down.</li>
 * </ol>
 * Every decision is a {@link StatusReported} on {@code herald.status}, one per user and
 * channel.
 *
 * <p>
 * A cancellation ({@link Routable.Cancel}, docs/adr/029) reaches every partition: the
 * partition drops the event's held deliveries ({@link RoutingStores#HELD_BY_EVENT} finds
 * them) and reports them {@code cancelled}, and remembers the event in
 * {@link RoutingStores#CANCELLED}, so a copy routed or released later reports its open
 * channels {@code cancelled} instead of delivering them.
 *
 * <p>
 * "Now" is Kafka Streams' wall clock ({@link ProcessorContext#currentSystemTimeMs()}),
 * the same clock that drives the punctuator, so both agree (and
 * {@code TopologyTestDriver} controls both).
 *
 * <p>
 * Routing is at least once (docs/adr/013): after a crash, what was routed since the last
 * commit is routed again. An event published under an idempotency key may be in the log
 * twice; a replay of it is told from such a duplicate by its origin
 * ({@link EventDeduplicator}). A replay is routed again, and its outputs keep their ids
 * (notification ids are derived from event, user and channel), so the inbox and the send
 * ledger show and send each once. A held delivery released twice is delivered twice with
 * the same ids, likewise. The rate limits count a delivery once however often it is
 * routed ({@link RateLimiter}).
 *
 * <p>
 * Kafka Streams observes nothing by itself, so each routing of an event to a user is a
 * span of its own ({@value #SPAN}), the child of the event record's {@code traceparent},
 * and every record it writes carries that span's context. A held delivery keeps the
 * context it was held with, and its release is a span in the same trace.
 */
final class Router implements Processor<String, Routable, String, Routed> {

	/** The reason of an {@code expired} status: the event's {@code expiresAt} passed. */
	static final String EXPIRES_AT = "expires_at";

	/** The reason of a {@code suppressed} status: the event's template does not exist. */
	static final String UNKNOWN_TEMPLATE = "unknown_template";

	/**
	 * The reason of a {@code suppressed} status: the event's template could not be
	 * rendered with its data (it would iterate or write too much).
	 */
	static final String RENDER_FAILED = "render_failed";

	static final String CE_TYPE_DELIVERY = "io.herald.notification.deliver.v" + DeliverNotification.SCHEMA_VERSION;

	/** The CloudEvents type of a batch of in-app deliveries. */
	static final String CE_TYPE_DELIVERY_BATCH = "io.herald.notification.deliver.v"
			+ DeliverNotification.BATCH_SCHEMA_VERSION;

	static final String CE_TYPE_STATUS = "io.herald.status.reported.v" + StatusReported.SCHEMA_VERSION;

	/** The CloudEvents type of a batch of statuses. */
	static final String CE_TYPE_STATUS_BATCH = "io.herald.status.reported.v" + StatusReported.BATCH_SCHEMA_VERSION;

	static final String CE_SOURCE = "/herald/routing";

	/** The name of the span of one routing of an event to one user. */
	static final String SPAN = "herald.route";

	/** The name of the span of one digest's flush. */
	static final String DIGEST_SPAN = "herald.digest";

	/** The name of the span of one partition's cancellation of an event. */
	static final String CANCEL_SPAN = "herald.cancel";

	/**
	 * How many commit intervals a released held delivery or digest is kept before it is
	 * forgotten ({@link #settle}).
	 */
	static final int SETTLE_COMMITS = 3;

	/** Kafka Streams' commit interval under at least once, when none is configured. */
	private static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(30);

	/** How often marks of cancelled events older than their retention are purged. */
	static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

	private static final Logger logger = LoggerFactory.getLogger(Router.class);

	/** The order in which a critical notification falls back to other channels. */
	private static final List<Channel> FALLBACK_ORDER = List.of(Channel.PUSH, Channel.SMS, Channel.EMAIL);

	private static final StringSerializer KEY_PREFIX = new StringSerializer();

	private final int partitions;

	private final RoutingProperties properties;

	private final RateLimitProperties rateLimits;

	private final NotificationMessages messages;

	private final RoutingMetrics metrics;

	private final RecordTracing tracing;

	private final ChannelPreferences preferences = new ChannelPreferences();

	private final DeliveryTiming timing = new DeliveryTiming();

	private final RateLimiter rateLimiter = new RateLimiter();

	private final DigestPolicy digestPolicy;

	private final DigestFlush digestFlush;

	private @Nullable Digests digests;

	private @Nullable ProcessorContext<String, Routed> context;

	private @Nullable KeyValueStore<String, UserState> users;

	private @Nullable EventDeduplicator dedup;

	private @Nullable KeyValueStore<String, HeldDelivery> held;

	private @Nullable KeyValueStore<String, List<Long>> sent;

	private @Nullable KeyValueStore<String, String> heldByEvent;

	private @Nullable CancelledEvents cancelled;

	private @Nullable KeyValueStore<String, String> subscribers;

	/**
	 * The released keys of held deliveries that had not settled when the task's store was
	 * restored, to be released again.
	 */
	private final Deque<String> unsettled = new ArrayDeque<>();

	/** Likewise, the released keys of digests that went out ({@link Digests#sent}). */
	private final Deque<String> unsettledDigests = new ArrayDeque<>();

	private Duration settleAfter = DEFAULT_COMMIT_INTERVAL.multipliedBy(SETTLE_COMMITS);

	Router(int partitions, RoutingProperties properties, RateLimitProperties rateLimits, TemplateRenderer templates,
			DigestLookup digestSettings, RoutingMetrics metrics, RecordTracing tracing) {
		this.partitions = partitions;
		this.digestPolicy = new DigestPolicy(digestSettings);
		this.digestFlush = new DigestFlush(templates);
		this.properties = properties;
		this.rateLimits = rateLimits;
		this.messages = new NotificationMessages(templates);
		this.metrics = metrics;
		this.tracing = tracing;
	}

	@Override
	public void init(ProcessorContext<String, Routed> context) {
		this.context = context;
		this.users = context.getStateStore(RoutingStores.USER_STATE);
		WindowStore<String, Long> dedupStore = context.getStateStore(RoutingStores.DEDUP);
		this.dedup = new EventDeduplicator(dedupStore, this.properties.dedupWindow());
		this.held = context.getStateStore(RoutingStores.HELD);
		this.sent = context.getStateStore(RoutingStores.RATE_LIMITS);
		this.heldByEvent = context.getStateStore(RoutingStores.HELD_BY_EVENT);
		this.cancelled = new CancelledEvents(context.getStateStore(RoutingStores.CANCELLED));
		this.subscribers = context.getStateStore(RoutingStores.TOPIC_SUBSCRIBERS);
		this.digests = new Digests(context.getStateStore(RoutingStores.DIGESTS),
				context.getStateStore(RoutingStores.DIGESTS_DUE));
		this.settleAfter = settleAfter(context.appConfigs());
		// The stores are restored when a processor is initialized.
		try (KeyValueIterator<String, HeldDelivery> released = this.held.range(HeldDelivery.RELEASED,
				HeldDelivery.releasedUntil(Long.MAX_VALUE))) {
			released.forEachRemaining((entry) -> this.unsettled.add(entry.key));
		}
		this.unsettledDigests.addAll(this.digests.unsettled());
		context.schedule(this.properties.releaseInterval(), PunctuationType.WALL_CLOCK_TIME, this::release);
		context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purgeCancellations);
	}

	@Override
	public void process(Record<String, Routable> record) {
		Routable routable = record.value();
		if (routable == null) {
			return;
		}
		switch (routable) {
			case Routable.One one -> routeOne(record, one.event());
			case Routable.Many many -> routeMany(record, many);
			case Routable.Cancel cancel -> cancel(record, cancel.cancellation());
		}
	}

	private void routeOne(Record<String, Routable> record, EventAccepted event) {
		String userId = PartitionKeys.idOf(record.key());
		checkTenant(record, event);
		Span span = this.tracing.start(SPAN, record.headers());
		span.tag("herald.event.type", event.type()).tag("herald.tenant", event.tenant());
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			long origin = EventDeduplicator.origin(HeaderNames.lastValue(record.headers(), HeaderNames.ORIGIN));
			EventDeduplicator.Sighting sighting = dedup().sight(event, userId, record.timestamp(), origin);
			if (sighting == EventDeduplicator.Sighting.DUPLICATE) {
				span.tag("herald.outcome", "duplicate");
				this.metrics.duplicate(event);
				return;
			}
			if (sighting == EventDeduplicator.Sighting.REPLAY) {
				this.metrics.replayed();
			}
			route(new Outputs(event, userId, now(), event.acceptedAt(), span, null, new Cancellation(event)),
					event.channels());
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/**
	 * Routes a fan-out event to many users, one span for all of them: in-app deliveries
	 * of the same message leave as one batch record per lane partition, statuses as
	 * batches (docs/adr/018).
	 */
	private void routeMany(Record<String, Routable> record, Routable.Many many) {
		EventAccepted event = many.event();
		checkTenant(record, event);
		Span span = this.tracing.start(SPAN, record.headers());
		span.tag("herald.event.type", event.type())
			.tag("herald.tenant", event.tenant())
			.tag("herald.recipients", Integer.toString(many.users().size()));
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			Instant now = now();
			Batch batch = new Batch(event, now, span);
			// Looked up once for the whole batch, and only if one of its users gets a
			// delivery.
			Cancellation cancellation = new Cancellation(event);
			for (String userId : many.users()) {
				route(new Outputs(event, userId, now, event.acceptedAt(), span, batch, cancellation), event.channels());
			}
			batch.flush();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private static void checkTenant(Record<String, Routable> record, EventAccepted event) {
		checkTenant(record, event.tenant());
	}

	private static void checkTenant(Record<String, Routable> record, String tenant) {
		if (!tenant.equals(PartitionKeys.tenantOf(record.key()))) {
			throw new IllegalArgumentException(
					"record keyed '" + record.key() + "' carries an event of tenant '" + tenant + "'");
		}
	}

	/**
	 * Applies a cancellation on this partition (docs/adr/029): remembers the event as
	 * cancelled, so that no copy of it routed later is delivered, and drops every
	 * delivery of it held here, reporting each held channel {@code cancelled}, in batches
	 * of users as a fan-out's statuses. Applying it again finds nothing held and changes
	 * nothing.
	 */
	private void cancel(Record<String, Routable> record, EventCancelled cancellation) {
		checkTenant(record, cancellation.tenant());
		String eventKey = PartitionKeys.event(cancellation.tenant(), cancellation.eventId());
		boolean first = cancelled().remember(cancellation);
		this.metrics.cancellation(first);
		List<KeyValue<String, String>> index = new ArrayList<>();
		try (KeyValueIterator<String, String> entries = heldByEvent().prefixScan(eventKey + PartitionKeys.SEPARATOR,
				KEY_PREFIX)) {
			entries.forEachRemaining(index::add);
		}
		if (index.isEmpty() && !cancellation.retractsInApp()) {
			return;
		}
		Span span = this.tracing.start(CANCEL_SPAN, record.headers());
		span.tag("herald.tenant", cancellation.tenant());
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			Instant now = now();
			retract(cancellation, now, span);
			// The held deliveries of one event: their statuses leave folded, as a
			// fan-out's do.
			Batch batch = null;
			for (KeyValue<String, String> entry : index) {
				HeldDelivery delivery = held().get(entry.value);
				held().delete(entry.value);
				heldByEvent().delete(entry.key);
				if (delivery != null) {
					if (batch == null) {
						batch = new Batch(delivery.event(), now, span);
					}
					Outputs out = new Outputs(delivery.event(), delivery.userId(), now, delivery.event().acceptedAt(),
							span, batch, new Cancellation(cancellation));
					delivery.channels()
						.forEach(
								(channel) -> out.status(channel, DeliveryState.CANCELLED, cancellation.reason(), null));
				}
			}
			if (batch != null) {
				batch.flush();
			}
		}
		finally {
			span.end();
		}
	}

	/**
	 * Sends the retraction of a cancelled event's in-app notification to every recipient
	 * of it this partition owns, down the in-app lane of its priority,
	 * {@value FanOutExpander#BATCH} users a record, keyed by the first: each follows the
	 * user's notification there, if there was one (the gateway leaves an inbox without it
	 * alone). Topic and all-users events reach those recipients that are subscribed, or
	 * known, now.
	 */
	private void retract(EventCancelled cancellation, Instant now, Span span) {
		if (!cancellation.retractsInApp() || cancellation.recipients() == null || cancellation.priority() == null) {
			return;
		}
		String tenant = cancellation.tenant();
		List<String> users = new ArrayList<>();
		switch (cancellation.recipients()) {
			// The copy of this partition names this partition's users alone
			// (AddressedEvent.byPartition).
			case Recipients.Users named -> users.addAll(named.users());
			case Recipients.Topic topic -> {
				try (KeyValueIterator<String, String> subscribed = subscribers()
					.prefixScan(UserStateFolder.topicPrefix(tenant, topic.topic()), KEY_PREFIX)) {
					subscribed.forEachRemaining((entry) -> users.add(entry.value));
				}
			}
			case Recipients.AllUsers all -> {
				try (KeyValueIterator<String, UserState> known = users().prefixScan(tenant + PartitionKeys.SEPARATOR,
						KEY_PREFIX)) {
					known.forEachRemaining((entry) -> users.add(PartitionKeys.idOf(entry.key)));
				}
			}
		}
		String lane = Topics.deliver(Channel.INAPP, cancellation.priority().lane()).name();
		for (int from = 0; from < users.size(); from += FanOutExpander.BATCH) {
			List<String> batch = users.subList(from, Math.min(users.size(), from + FanOutExpander.BATCH));
			RetractNotification retraction = new RetractNotification(RetractNotification.SCHEMA_VERSION, tenant,
					cancellation.eventId(), batch.get(0), cancellation.reason(), now, batch.subList(1, batch.size()));
			String id = UUID
				.nameUUIDFromBytes((cancellation.eventId() + '|' + retraction.userId() + "|retract")
					.getBytes(StandardCharsets.UTF_8))
				.toString();
			Headers headers = this.tracing.headers(span);
			HeaderNames.addCloudEvent(headers, id, RetractNotification.CLOUD_EVENT_TYPE, CE_SOURCE, now, null);
			context().forward(new Record<>(retraction.key(), new Routed.Retraction(retraction, lane),
					now.toEpochMilli(), headers));
		}
		this.metrics.retracted(users.size());
	}

	/** Forgets cancellations older than their retention. */
	private void purgeCancellations(long timestamp) {
		cancelled().forgetBefore(Instant.ofEpochMilli(timestamp).minus(this.properties.cancellationRetention()));
	}

	@Override
	public void close() {
		if (this.context != null) {
			this.metrics.closed(this.context.taskId());
		}
	}

	/**
	 * Releases every held delivery due at {@code timestamp}, at most a batch of them,
	 * those a restore found released first. A released delivery is not deleted: it is
	 * kept under its {@linkplain HeldDelivery#releasedKey released key}, written before
	 * its due key is deleted (the same changelog partition keeps that order), until its
	 * outputs are certainly out ({@link #settle}). A crash before then loses no release:
	 * the next instance releases it again ({@link #releaseAgain}), with the same ids.
	 */
	private void release(long timestamp) {
		KeyValueStore<String, HeldDelivery> held = held();
		Instant now = Instant.ofEpochMilli(timestamp);
		int budget = this.properties.releaseBatch() - releaseAgain(timestamp);
		List<KeyValue<String, HeldDelivery>> due = new ArrayList<>();
		try (KeyValueIterator<String, HeldDelivery> iterator = held.range(null,
				HeldDelivery.dueKeyPrefix(timestamp) + '}')) {
			while (iterator.hasNext() && due.size() < budget) {
				due.add(iterator.next());
			}
		}
		for (KeyValue<String, HeldDelivery> entry : due) {
			HeldDelivery delivery = entry.value;
			if (delivery != null) {
				held.put(HeldDelivery.releasedKey(timestamp, entry.key), delivery);
			}
			held.delete(entry.key);
			if (delivery != null) {
				heldByEvent().delete(delivery.eventKey());
				releaseOne(delivery, now);
			}
		}
		settle(timestamp);
		this.metrics.held(context().taskId(), held.approximateNumEntries());
		flushDigests(now);
	}

	/**
	 * Releases again, at most a batch of them, the deliveries that were released before
	 * this task's store was restored and had not settled: their outputs may have been
	 * lost. Each is kept under a released key of this time.
	 * @return how many were released again
	 */
	private int releaseAgain(long timestamp) {
		int released = 0;
		while (!this.unsettled.isEmpty() && released < this.properties.releaseBatch()) {
			String key = this.unsettled.poll();
			HeldDelivery delivery = held().get(key);
			if (delivery == null) {
				// Erased with its user meanwhile.
				continue;
			}
			held().put(HeldDelivery.releasedKey(timestamp, delivery.key()), delivery);
			held().delete(key);
			// As it was released: the same decisions, with the same ids.
			releaseOne(delivery, Instant.ofEpochMilli(HeldDelivery.releasedAt(key)));
			this.metrics.releasedAgain("held");
			released++;
		}
		while (!this.unsettledDigests.isEmpty() && released < this.properties.releaseBatch()) {
			String key = this.unsettledDigests.poll();
			Instant sentAt = Instant.ofEpochMilli(HeldDelivery.releasedAt(key));
			for (PendingDigest digest : digests().sentAt(key)) {
				resend(digest, sentAt);
				this.metrics.releasedAgain("digest");
				released++;
			}
			digests().sentAgain(key, Instant.ofEpochMilli(timestamp));
		}
		return released;
	}

	/**
	 * Sends a digest again as it was sent at {@code sentAt}: the same messages, with the
	 * same ids, unless its user is gone or changed their preferences meanwhile.
	 */
	private void resend(PendingDigest digest, Instant sentAt) {
		Span span = this.tracing.start(DIGEST_SPAN, digest.traceparent());
		span.tag("herald.tenant", digest.tenant()).tag("herald.digest.category", digest.pattern());
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			UserState user = users().get(PartitionKeys.user(digest.tenant(), digest.userId()));
			if (this.digestFlush.flush(digest, user, sentAt,
					(eventId) -> cancelled().of(digest.tenant(), eventId)) instanceof DigestFlush.Outcome.Sent sent) {
				send(digest, sent, sentAt, span);
			}
		}
		catch (RuntimeException ex) {
			span.error(ex);
			logger.error("Could not send the digest of {} for user {} again, dropping it", digest.pattern(),
					digest.userId(), ex);
		}
		finally {
			span.end();
		}
	}

	/**
	 * Forgets released deliveries whose outputs are certainly out: released more than
	 * {@value #SETTLE_COMMITS} commit intervals ago, so at least one commit, which waits
	 * for every output to be acknowledged before it commits (docs/adr/013), followed
	 * their release. Nothing settles while a restore's releases are still to be sent
	 * again.
	 */
	private void settle(long timestamp) {
		if (!this.unsettled.isEmpty() || !this.unsettledDigests.isEmpty()) {
			return;
		}
		Instant until = Instant.ofEpochMilli(timestamp).minus(this.settleAfter);
		digests().settle(until, Instant.ofEpochMilli(timestamp), this.properties.releaseBatch());
		List<String> settled = new ArrayList<>();
		try (KeyValueIterator<String, HeldDelivery> iterator = held().range(HeldDelivery.RELEASED,
				HeldDelivery.releasedUntil(timestamp - this.settleAfter.toMillis()))) {
			while (iterator.hasNext() && settled.size() < this.properties.releaseBatch()) {
				settled.add(iterator.next().key);
			}
		}
		settled.forEach(held()::delete);
	}

	/** Routes a released delivery again through the steps from preferences on. */
	private void releaseOne(HeldDelivery delivery, Instant now) {
		Span span = this.tracing.start(SPAN, delivery.traceparent());
		span.tag("herald.event.type", delivery.event().type())
			.tag("herald.tenant", delivery.event().tenant())
			.tag("herald.released", delivery.reason());
		try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
			// A held notification's latencies start at its release, not at the
			// event's acceptance.
			route(new Outputs(delivery.event(), delivery.userId(), now, now, span, null,
					new Cancellation(delivery.event())), delivery.channels());
		}
		catch (RuntimeException ex) {
			span.error(ex);
			// Keep releasing the others; this one is parked where an operator can
			// replay it.
			logger.error("Could not release event {} for user {}, dead-lettering it", delivery.event().eventId(),
					delivery.userId(), ex);
			Headers headers = this.tracing.headers(span);
			headers.add(HeaderNames.DLT_REASON, "release_failed".getBytes(StandardCharsets.UTF_8));
			context().forward(new Record<String, Routed>(
					PartitionKeys.event(delivery.event().tenant(), delivery.event().eventId()),
					new Routed.DeadLetter(delivery.event()), now.toEpochMilli(), headers));
		}
		finally {
			span.end();
		}
	}

	/**
	 * How long a released entry is kept: {@value #SETTLE_COMMITS} times the application's
	 * commit interval.
	 */
	static Duration settleAfter(Map<String, Object> appConfigs) {
		Object interval = appConfigs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
		long millis = (interval != null) ? Long.parseLong(interval.toString()) : DEFAULT_COMMIT_INTERVAL.toMillis();
		return Duration.ofMillis(SETTLE_COMMITS * Math.max(1, millis));
	}

	/**
	 * Sends every digest due by {@code now}, at most a batch of them (docs/adr/036): one
	 * notification per channel, with ids derived from the digest's, so a flush that a
	 * crash interrupts is sent again with the same ids and absorbed by the send ledger.
	 */
	private void flushDigests(Instant now) {
		for (PendingDigest digest : digests().due(now, this.properties.releaseBatch())) {
			Span span = this.tracing.start(DIGEST_SPAN, digest.traceparent());
			span.tag("herald.tenant", digest.tenant()).tag("herald.digest.category", digest.pattern());
			try (Tracer.SpanInScope scope = this.tracing.inScope(span)) {
				UserState user = users().get(PartitionKeys.user(digest.tenant(), digest.userId()));
				DigestFlush.Outcome outcome = this.digestFlush.flush(digest, user, now,
						(eventId) -> cancelled().of(digest.tenant(), eventId));
				switch (outcome) {
					case DigestFlush.Outcome.Dropped dropped -> {
						digests().drop(digest);
						this.metrics.digest("dropped", 1);
					}
					case DigestFlush.Outcome.Held hold -> {
						hold.statuses().forEach((status) -> forwardDigestStatus(status, digest, now, span));
						digests().hold(digest, hold.until());
						this.metrics.digest("held", 1);
					}
					case DigestFlush.Outcome.Sent sent -> {
						send(digest, sent, now, span);
						this.metrics.digestItems(sent.items());
						// Kept until it settles: a crash before that sends it again.
						digests().sent(digest, now);
						this.metrics.digest("flushed", 1);
					}
				}
			}
			catch (RuntimeException ex) {
				span.error(ex);
				// Due again at every release otherwise: it would fail for ever.
				logger.error("Could not send the digest of {} for user {}, dropping it", digest.pattern(),
						digest.userId(), ex);
				digests().drop(digest);
				this.metrics.digest("failed", 1);
			}
			finally {
				span.end();
			}
		}
	}

	private void send(PendingDigest digest, DigestFlush.Outcome.Sent sent, Instant now, Span span) {
		for (DeliverNotification notification : sent.notifications()) {
			forward(notification.key(), new Routed.Delivery(notification), notification.notificationId(),
					CE_TYPE_DELIVERY, digest.pattern(), now, now, span);
		}
		sent.statuses().forEach((status) -> forwardDigestStatus(status, digest, now, span));
	}

	private void forwardDigestStatus(StatusReported status, PendingDigest digest, Instant now, Span span) {
		String name = status.eventId() + '|' + status.deliveryKey() + '|' + status.state().wireName() + '|'
				+ now.toEpochMilli() + "|digest";
		String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
		forward(PartitionKeys.event(digest.tenant(), status.eventId()), new Routed.Status(status), id, CE_TYPE_STATUS,
				digest.pattern(), now, now, span);
	}

	/**
	 * Routes an event to one user.
	 * @param out where the outcomes go, for the event and user
	 */
	private void route(Outputs out, Set<Channel> requested) {
		EventAccepted event = out.event;
		String userId = out.userId;
		Instant now = out.now;
		Span span = out.span;
		String tenant = event.tenant();
		UserState stored = users().get(PartitionKeys.user(tenant, userId));
		UserState user = (stored != null) ? stored : UserState.unknown(tenant, userId, now);
		Set<Channel> open = EnumSet.noneOf(Channel.class);
		for (ChannelDecision decision : this.preferences.decide(event.type(), requested, user)) {
			switch (decision) {
				case ChannelDecision.Deliver deliver -> open.add(deliver.channel());
				case ChannelDecision.Skip skip ->
					out.status(skip.channel(), DeliveryState.SUPPRESSED, skip.reason(), null);
			}
		}
		if (open.isEmpty()) {
			return;
		}
		if (event.isExpiredAt(now)) {
			open.forEach((channel) -> out.status(channel, DeliveryState.EXPIRED, EXPIRES_AT, null));
			return;
		}
		if (!this.messages.canRender(event)) {
			open.forEach((channel) -> out.status(channel, DeliveryState.SUPPRESSED, UNKNOWN_TEMPLATE, null));
			return;
		}
		// Looked up only now that a channel is about to be held or delivered.
		EventCancelled cancellation = out.cancellation.get();
		if (cancellation != null) {
			open.forEach((channel) -> out.status(channel, DeliveryState.CANCELLED, cancellation.reason(), null));
			return;
		}
		Timing when = this.timing.decide(event.sendAt(), event.priority(), user.preferences().quietHours(),
				user.profile().timezone(), now);
		if (when instanceof Timing.Hold hold) {
			// Decided again at the end of the hold, or at the event's expiry if that
			// comes first: an expired delivery is reported expired when it expires, not
			// when the hold would have ended.
			Instant expiry = event.expiresAt();
			Instant decideAt = (expiry != null && expiry.isBefore(hold.until())) ? expiry : hold.until();
			HeldDelivery delivery = new HeldDelivery(HeldDelivery.SCHEMA_VERSION, event, userId, open, decideAt,
					hold.reason(), this.tracing.traceparent(span));
			held().put(delivery.key(), delivery);
			heldByEvent().put(delivery.eventKey(), delivery.key());
			open.forEach((channel) -> out.status(channel, DeliveryState.DEFERRED, hold.reason(), hold.until()));
			return;
		}
		Map<Channel, ChannelMessage> rendered = new EnumMap<>(Channel.class);
		List<ChannelMessage> fallbacks = new ArrayList<>();
		try {
			for (Channel channel : open) {
				rendered.put(channel, this.messages.render(event, user, channel));
			}
			if (event.priority() == Priority.CRITICAL) {
				for (Channel channel : fallbackChannels(event, user, open)) {
					fallbacks.add(this.messages.render(event, user, channel));
				}
			}
		}
		catch (TemplateRenderer.UnknownTemplateException ex) {
			// The template was removed between the check and rendering.
			open.forEach((channel) -> out.status(channel, DeliveryState.SUPPRESSED, UNKNOWN_TEMPLATE, null));
			return;
		}
		catch (TemplateRenderer.RenderFailedException ex) {
			logger.debug("Event {} of tenant {} cannot be rendered: {}", event.eventId(), event.tenant(),
					ex.getMessage());
			open.forEach((channel) -> out.status(channel, DeliveryState.SUPPRESSED, RENDER_FAILED, null));
			return;
		}
		// Asked only when a channel a digest holds is about to be delivered.
		DigestPlan plan = (rendered.size() > (rendered.containsKey(Channel.INAPP) ? 1 : 0))
				? this.digestPolicy.decide(tenant, event.type(), event.priority(), user.preferences()) : null;
		if (plan != null) {
			collect(out, user, plan, rendered);
		}
		for (Map.Entry<Channel, ChannelMessage> entry : rendered.entrySet()) {
			Channel channel = entry.getKey();
			if (!withinRateLimit(event, userId, channel, now)) {
				out.status(channel, DeliveryState.SUPPRESSED, RateLimiter.RATE_LIMITED, null);
				continue;
			}
			out.deliver(entry.getValue(), (channel == Channel.INAPP) ? List.of() : fallbacks);
		}
	}

	/**
	 * Collects the push, email and SMS messages of an event into the user's digest
	 * (docs/adr/036), taking them out of {@code rendered}; in-app stays, since the inbox
	 * is already a list. Each collected channel is reported {@code deferred} until the
	 * digest goes out.
	 */
	private void collect(Outputs out, UserState user, DigestPlan plan, Map<Channel, ChannelMessage> rendered) {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		for (Channel channel : rendered.keySet()) {
			if (channel != Channel.INAPP) {
				channels.add(channel);
			}
		}
		if (channels.isEmpty()) {
			return;
		}
		ItemText texts = textsOf(rendered.getOrDefault(Channel.INAPP, rendered.get(channels.iterator().next())));
		Digests.Collected collected = digests().collect(out.event, out.userId, plan,
				DeliveryTiming.zone(user.profile().timezone()), channels, texts.title(), texts.body(),
				this.tracing.traceparent(out.span), out.now);
		channels.forEach(rendered::remove);
		Instant due = collected.due();
		if (due != null) {
			channels.forEach((channel) -> out.status(channel, DeliveryState.DEFERRED, DigestFlush.DIGEST, due));
		}
		if (collected.added()) {
			this.metrics.digest("collected", 1);
		}
	}

	/** The title and body of a message, as a digest lists it. */
	private static ItemText textsOf(ChannelMessage message) {
		return switch (message) {
			case ChannelMessage.InApp inApp -> new ItemText(inApp.title(), inApp.body());
			case ChannelMessage.Push push -> new ItemText(push.title(), push.body());
			case ChannelMessage.Email email -> new ItemText(email.subject(), email.text());
			case ChannelMessage.Sms sms -> new ItemText(sms.body(), sms.body());
		};
	}

	/** What a digest lists of a notification. */
	private record ItemText(String title, String body) {
	}

	/**
	 * The channels a critical event falls back to when every provider of a channel it
	 * goes to is down: those the user can receive (preferences and contact points,
	 * whatever channels the event asked for) that it does not go to already, in the order
	 * push, SMS, email.
	 */
	private List<Channel> fallbackChannels(EventAccepted event, UserState user, Set<Channel> open) {
		Set<Channel> receivable = EnumSet.noneOf(Channel.class);
		for (ChannelDecision decision : this.preferences.decide(event.type(), Set.of(), user)) {
			if (decision instanceof ChannelDecision.Deliver deliver) {
				receivable.add(deliver.channel());
			}
		}
		List<Channel> fallbacks = new ArrayList<>();
		for (Channel channel : FALLBACK_ORDER) {
			if (receivable.contains(channel) && !open.contains(channel)) {
				fallbacks.add(channel);
			}
		}
		return fallbacks;
	}

	private boolean withinRateLimit(EventAccepted event, String userId, Channel channel, Instant now) {
		RateLimit limit = this.rateLimits.limitFor(channel);
		if (limit == null || event.priority() == Priority.CRITICAL) {
			return true;
		}
		String key = event.tenant() + '|' + userId + '|' + channel.wireName();
		RateDecision decision = this.rateLimiter.acquire(sent().get(key), limit, now, event.eventId());
		return switch (decision) {
			case RateDecision.Allowed allowed -> {
				sent().put(key, allowed.history());
				yield true;
			}
			case RateDecision.Limited limited -> false;
		};
	}

	private Instant now() {
		return Instant.ofEpochMilli(context().currentSystemTimeMs());
	}

	private ProcessorContext<String, Routed> context() {
		return initialized(this.context);
	}

	private KeyValueStore<String, UserState> users() {
		return initialized(this.users);
	}

	private EventDeduplicator dedup() {
		return initialized(this.dedup);
	}

	private KeyValueStore<String, HeldDelivery> held() {
		return initialized(this.held);
	}

	private Digests digests() {
		return initialized(this.digests);
	}

	private KeyValueStore<String, List<Long>> sent() {
		return initialized(this.sent);
	}

	private KeyValueStore<String, String> heldByEvent() {
		return initialized(this.heldByEvent);
	}

	private CancelledEvents cancelled() {
		return initialized(this.cancelled);
	}

	private KeyValueStore<String, String> subscribers() {
		return initialized(this.subscribers);
	}

	private static <T> T initialized(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("Router used before init()");
		}
		return value;
	}

	/** Writes the outputs of one routing decision for one event and user. */
	private final class Outputs {

		private final EventAccepted event;

		private final String userId;

		private final Instant now;

		private final Instant origin;

		private final Span span;

		private final @Nullable Batch batch;

		private final Cancellation cancellation;

		/**
		 * @param batch where in-app deliveries and statuses of a fan-out gather, or
		 * {@code null} to write each at once
		 * @param cancellation the event's cancellation, if this partition has seen one:
		 * every channel still open is then {@code cancelled}
		 */
		Outputs(EventAccepted event, String userId, Instant now, Instant origin, Span span, @Nullable Batch batch,
				Cancellation cancellation) {
			this.event = event;
			this.userId = userId;
			this.now = now;
			this.origin = origin;
			this.span = span;
			this.batch = batch;
			this.cancellation = cancellation;
		}

		void status(Channel channel, DeliveryState state, @Nullable String reason, @Nullable Instant until) {
			StatusReported status = new StatusReported(StatusReported.SCHEMA_VERSION, this.event.tenant(),
					this.event.eventId(), this.userId, channel, null, state, reason, until, null, null, this.now);
			if (this.batch != null) {
				this.batch.statuses.add(status);
			}
			else {
				forwardStatus(status, this.event, this.now, this.origin, this.span);
			}
			Router.this.metrics.decided(this.event, channel, state.wireName(), (reason != null) ? reason : "none");
		}

		void deliver(ChannelMessage message, List<ChannelMessage> fallbacks) {
			Channel channel = message.channel();
			DeliverNotification notification = new DeliverNotification(DeliverNotification.SCHEMA_VERSION,
					this.event.tenant(), this.event.eventId(),
					DeliverNotification.notificationId(this.event.eventId(), this.userId, channel), this.userId,
					this.event.priority(), this.event.type(), message,
					carriesData(channel, fallbacks) ? this.event.data() : Map.of(), this.now, this.event.expiresAt(),
					fallbacks);
			if (this.batch != null && channel == Channel.INAPP) {
				this.batch.inApp(notification);
			}
			else {
				forward(notification.key(), new Routed.Delivery(notification), notification.notificationId(),
						CE_TYPE_DELIVERY, this.event, this.now, this.origin, this.span);
			}
			logger.debug("Event {} for user {} goes to {}", this.event.eventId(), this.userId, channel.wireName());
			status(channel, DeliveryState.QUEUED, null, null);
			Router.this.metrics.routed(this.event, channel, this.origin);
		}

		/**
		 * Whether a delivery needs the event's data: only in-app and push clients receive
		 * it, so an email or SMS request carries it only for a push fallback, not once
		 * per recipient for nothing.
		 */
		private static boolean carriesData(Channel channel, List<ChannelMessage> fallbacks) {
			if (channel == Channel.INAPP || channel == Channel.PUSH) {
				return true;
			}
			for (ChannelMessage fallback : fallbacks) {
				if (fallback.channel() == Channel.PUSH) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * The in-app deliveries and statuses of one fan-out batch ({@link Routable.Many}):
	 * deliveries with the same message whose users share a lane partition leave as one
	 * record, keyed by the first of them, so every user's deliveries stay on the user's
	 * partition, in order; statuses leave folded ({@link StatusReported#batched}). Every
	 * record keeps a deterministic id.
	 */
	private final class Batch {

		private final EventAccepted event;

		private final Instant now;

		private final Span span;

		private final Map<BatchKey, List<DeliverNotification>> inApp = new LinkedHashMap<>();

		private final List<StatusReported> statuses = new ArrayList<>();

		Batch(EventAccepted event, Instant now, Span span) {
			this.event = event;
			this.now = now;
			this.span = span;
		}

		void inApp(DeliverNotification notification) {
			BatchKey key = new BatchKey(UserPartitions.of(notification.key(), Router.this.partitions),
					notification.message());
			this.inApp.computeIfAbsent(key, (k) -> new ArrayList<>()).add(notification);
		}

		/**
		 * Writes the batch: one delivery record per group of in-app deliveries, each
		 * group of several users with the {@code queued} of its users as one count
		 * (docs/adr/037), then the other statuses folded.
		 */
		void flush() {
			Instant origin = this.event.acceptedAt();
			Map<String, String> countOf = new HashMap<>();
			List<StatusReported> counts = new ArrayList<>();
			for (List<DeliverNotification> group : this.inApp.values()) {
				List<String> users = new ArrayList<>(group.size());
				group.forEach((notification) -> users.add(notification.userId()));
				String countId = null;
				if (users.size() > 1) {
					countId = Counts.id(this.event.eventId(), Channel.INAPP, users);
					for (String user : users) {
						countOf.put(user, countId);
					}
					List<StatusReported.Recipient> others = new ArrayList<>(users.size() - 1);
					users.subList(1, users.size())
						.forEach((user) -> others.add(new StatusReported.Recipient(user, null)));
					counts.add(new StatusReported(StatusReported.BATCH_SCHEMA_VERSION, this.event.tenant(),
							this.event.eventId(), users.get(0), Channel.INAPP, null, DeliveryState.QUEUED, null, null,
							null, null, this.now, others, countId));
				}
				DeliverNotification batch = DeliverNotification.batch(group.get(0), users, countId);
				forward(batch.key(), new Routed.Delivery(batch), batch.notificationId(),
						batch.manyUsers() ? CE_TYPE_DELIVERY_BATCH : CE_TYPE_DELIVERY, this.event, this.now, origin,
						this.span);
			}
			for (StatusReported count : counts) {
				forwardStatus(count, this.event, this.now, origin, this.span);
			}
			List<StatusReported> others = this.statuses;
			if (!countOf.isEmpty()) {
				others = new ArrayList<>(this.statuses.size());
				for (StatusReported status : this.statuses) {
					if (status.channel() != Channel.INAPP || status.state() != DeliveryState.QUEUED
							|| !countOf.containsKey(status.userId())) {
						others.add(status);
					}
				}
			}
			for (StatusReported status : StatusReported.batched(others, FanOutExpander.BATCH)) {
				forwardStatus(status, this.event, this.now, origin, this.span);
			}
		}

	}

	/**
	 * The cancellation of one event, if this partition remembers one, looked up when
	 * first asked ({@link CancelledEvents}) and then kept: the users of a fan-out batch
	 * share one look-up.
	 */
	private final class Cancellation {

		private final @Nullable EventAccepted event;

		private boolean known;

		private @Nullable EventCancelled found;

		/** The cancellation of an event, to be looked up when asked. */
		Cancellation(EventAccepted event) {
			this.event = event;
		}

		/** A cancellation already known. */
		Cancellation(EventCancelled cancellation) {
			this.event = null;
			this.known = true;
			this.found = cancellation;
		}

		@Nullable EventCancelled get() {
			if (!this.known && this.event != null) {
				this.found = cancelled().of(this.event.tenant(), this.event.eventId());
				this.known = true;
			}
			return this.found;
		}

	}

	/**
	 * Deliveries of a fan-out that can share a record: the same lane partition and
	 * message.
	 */
	private record BatchKey(int partition, ChannelMessage message) {
	}

	private void forwardStatus(StatusReported status, EventAccepted event, Instant now, Instant origin, Span span) {
		String name = event.eventId() + '|' + status.deliveryKey() + '|' + status.state().wireName() + '|'
				+ now.toEpochMilli() + (status.manyUsers() ? "|" + (status.batch().size() + 1) : "");
		String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
		forward(PartitionKeys.event(event.tenant(), event.eventId()), new Routed.Status(status), id,
				status.manyUsers() ? CE_TYPE_STATUS_BATCH : CE_TYPE_STATUS, event, now, origin, span);
	}

	private void forward(String key, Routed value, String id, String type, EventAccepted event, Instant now,
			Instant origin, Span span) {
		forward(key, value, id, type, event.type(), now, origin, span);
	}

	private void forward(String key, Routed value, String id, String type, String category, Instant now, Instant origin,
			Span span) {
		Headers headers = this.tracing.headers(span);
		HeaderNames.addCloudEvent(headers, id, type, CE_SOURCE, now, category);
		Funnel.addAcceptedAt(headers, origin);
		context().forward(new Record<>(key, value, now.toEpochMilli(), headers));
	}

}
