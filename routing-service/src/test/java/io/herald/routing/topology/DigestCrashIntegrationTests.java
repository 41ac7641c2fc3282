package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.Lane;
import io.herald.events.ChannelMessage;
import io.herald.events.Content;
import io.herald.events.DeliverNotification;
import io.herald.events.DigestSetting;
import io.herald.events.EventAccepted;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.Topics;
import io.herald.routing.digest.DigestLookup;
import io.herald.routing.ratelimit.RateLimitProperties;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash in a digest's window loses and repeats nothing (docs/adr/036), against a real
 * broker, at least once as the service runs. Its instances' clock ({@link OffsetTime})
 * moves a minute ahead once their input is routed, so that a window ends without waiting
 * a real minute for it: a stream thread dies (no commit, its tasks closed dirty) after
 * collecting part of the items, the instance is replaced mid-window by one with empty
 * state that restores the digests from their changelog, and a thread dies again at the
 * flush, after the digest's messages were sent and before the digest was marked sent.
 * Every user's digest email and push then has one notification id (the send ledger sends
 * each id once), and lists each of the user's items exactly once; no item is in two
 * digests, none is lost. A digest or held delivery whose messages a crash may have lost
 * after it was released is sent again by the next instance.
 */
class DigestCrashIntegrationTests {

	private static final int PARTITIONS = 4;

	private static final String TENANT = "digest-crash";

	private static final int USERS = 5;

	private static final int PER_USER = 8;

	/** The shortest window a setting may have. */
	private static final Duration WINDOW = Duration.ofMinutes(1);

	private static final DigestSetting SETTING = new DigestSetting(DigestSetting.SCHEMA_VERSION, TENANT, "crash.*",
			WINDOW.toString(), null, null, Instant.EPOCH);

	private static final String RELEASE_TENANT = "release-crash";

	private static final String RELEASE_USER = "u-release";

	/** Three of them make a release settle: 15 s. */
	private static final int RELEASE_COMMIT_INTERVAL_MS = 5000;

	private static final DigestSetting RELEASE_SETTING = new DigestSetting(DigestSetting.SCHEMA_VERSION, RELEASE_TENANT,
			"crash.*", WINDOW.toString(), null, null, Instant.EPOCH);

	@RegisterExtension
	static final RoutingBroker broker = new RoutingBroker(PARTITIONS);

	private final OffsetTime time = new OffsetTime();

	private int commitInterval = 1000;

	@Test
	void crashesInTheWindowAndAtTheFlushLoseAndRepeatNoItem() throws Exception {
		String applicationId = "routing-digest-crash-" + UUID.randomUUID();
		for (int user = 0; user < USERS; user++) {
			broker.registerUser(TENANT, "u-" + user);
		}
		Kills kills = new Kills(PER_USER);
		KafkaStreams first = start(applicationId, kills);
		for (int n = 0; n < PER_USER / 2; n++) {
			sendEvents(n);
		}
		broker.flush();
		await().atMost(Duration.ofSeconds(60)).untilTrue(kills.inWindow);

		// The instance goes mid-window; another, with empty state, takes over.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> kills.collected.get() >= USERS * PER_USER / 2 && first.state() == KafkaStreams.State.RUNNING);
		broker.close(first, Duration.ofSeconds(10));
		start(applicationId, kills);
		for (int n = PER_USER / 2; n < PER_USER; n++) {
			sendEvents(n);
		}
		broker.flush();
		// Every item collected: the window ends.
		broker.awaitRouted(applicationId);
		this.time.advance(WINDOW);

		Map<String, Map<String, DeliverNotification>> emails = new HashMap<>();
		Map<String, Map<String, DeliverNotification>> pushes = new HashMap<>();
		try (KafkaConsumer<String, byte[]> reader = reader()) {
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				read(reader, emails, pushes);
				assertThat(emails).hasSize(USERS);
				assertThat(pushes).hasSize(USERS);
			});
			// Nothing more comes: no second digest, no late item.
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				read(reader, emails, pushes);
				assertThat(emails.values()).allSatisfy((ids) -> assertThat(ids).hasSize(1));
				assertThat(pushes.values()).allSatisfy((ids) -> assertThat(ids).hasSize(1));
			});
		}
		assertThat(kills.atFlush).as("a thread died at the flush").isTrue();
		for (int user = 0; user < USERS; user++) {
			DeliverNotification email = emails.get("u-" + user).values().iterator().next();
			String text = ((ChannelMessage.Email) email.message()).text();
			assertThat(((ChannelMessage.Email) email.message()).subject())
				.isEqualTo("Your digest: " + PER_USER + " new notifications");
			for (int n = 0; n < PER_USER; n++) {
				assertThat(occurrences(text, "- " + title(user, n) + "\n")).as("item %d of user %d", n, user)
					.isEqualTo(1);
			}
			assertThat(pushes.get("u-" + user).values().iterator().next().eventId()).isEqualTo(email.eventId());
		}
	}

	/**
	 * A held delivery and a digest go out, and the instance goes before they settle
	 * (three commit intervals), so the changelog holds them released and not settled, as
	 * it would if their messages had been lost (docs/adr/013). The instance that restores
	 * them sends each again under the same notification id; once they settled, nothing is
	 * sent a third time, not even by another instance restoring the state.
	 */
	@Test
	void releasesThatHadNotSettledAreSentAgainOnceUnderTheSameIds() throws Exception {
		this.commitInterval = RELEASE_COMMIT_INTERVAL_MS;
		String applicationId = "routing-release-crash-" + UUID.randomUUID();
		broker.registerUser(RELEASE_TENANT, RELEASE_USER);
		KafkaStreams first = start(applicationId, new RoutingMetrics(new SimpleMeterRegistry(), "routing"));
		// Both are due a minute from now, once the clock has moved ahead: the hold
		// ends as the digest's window does.
		broker.sendEvent(releaseEvent("e-held", "held.item", Instant.now().plus(WINDOW)));
		broker.sendEvent(releaseEvent("e-digested", "crash.release", null));
		broker.flush();
		broker.awaitRouted(applicationId);
		this.time.advance(WINDOW);
		String held = DeliverNotification.notificationId("e-held", RELEASE_USER, Channel.EMAIL);

		Map<String, Integer> copies = new HashMap<>();
		List<String> digests = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> reader = broker.laneReader(Channel.EMAIL)) {
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				count(reader, copies, digests);
				assertThat(copies).containsKey(held);
				assertThat(digests).hasSize(1);
			});
			Instant released = Instant.now();
			broker.close(first, Duration.ofSeconds(10));
			assertThat(Duration.between(released, Instant.now())).as("gone before the releases settled")
				.isLessThan(Duration.ofMillis(3L * RELEASE_COMMIT_INTERVAL_MS));
			assertThat(copies).containsOnlyKeys(held, digests.get(0)).containsValues(1, 1);

			// Restored as released and not settled: sent again, each once, same ids.
			KafkaStreams second = start(applicationId, new RoutingMetrics(new SimpleMeterRegistry(), "routing"));
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				count(reader, copies, digests);
				assertThat(copies).containsEntry(held, 2).containsEntry(digests.get(0), 2);
			});
			// They settle; nothing goes out again, not from another instance either.
			await().during(Duration.ofMillis(4L * RELEASE_COMMIT_INTERVAL_MS))
				.atMost(Duration.ofMinutes(1))
				.untilAsserted(() -> {
					count(reader, copies, digests);
					assertThat(copies).containsOnlyKeys(held, digests.get(0)).containsValues(2, 2);
				});
			broker.close(second, Duration.ofSeconds(10));
			start(applicationId, new RoutingMetrics(new SimpleMeterRegistry(), "routing"));
			await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				count(reader, copies, digests);
				assertThat(copies).containsOnlyKeys(held, digests.get(0)).containsValues(2, 2);
			});
		}
	}

	/**
	 * Kills a stream thread once after half a user's items were collected, and once at
	 * the first flush, after its messages went out and before the digest was marked sent.
	 */
	private static final class Kills extends RoutingMetrics {

		final AtomicInteger collected = new AtomicInteger();

		final AtomicBoolean inWindow = new AtomicBoolean();

		final AtomicBoolean atFlush = new AtomicBoolean();

		private final int killAt;

		Kills(int killAt) {
			super(new SimpleMeterRegistry(), "routing");
			this.killAt = killAt;
		}

		@Override
		void digest(String outcome, int count) {
			super.digest(outcome, count);
			if (outcome.equals("collected") && this.collected.addAndGet(count) == this.killAt
					&& this.inWindow.compareAndSet(false, true)) {
				throw new InjectedThreadDeath();
			}
		}

		@Override
		void digestItems(int items) {
			super.digestItems(items);
			if (this.atFlush.compareAndSet(false, true)) {
				throw new InjectedThreadDeath();
			}
		}

	}

	private KafkaStreams start(String applicationId, RoutingMetrics metrics) throws Exception {
		// Every instance starts empty: what it knows, it restores from the changelogs.
		Properties properties = broker.streamsProperties(applicationId);
		properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, this.commitInterval);
		StreamsBuilder builder = new StreamsBuilder();
		DigestLookup digests = (tenant, category) -> !category.startsWith("crash.") ? null
				: tenant.equals(TENANT) ? SETTING : tenant.equals(RELEASE_TENANT) ? RELEASE_SETTING : null;
		new RoutingTopology(Topics.EVENTS, PARTITIONS, RoutingProperties.defaults(), new RateLimitProperties(Map.of()),
				new TestTemplates(), digests, metrics, new RecordTracing(Tracer.NOOP, Propagator.NOOP))
			.build(builder);
		KafkaStreams streams = new KafkaStreams(builder.build(properties), properties, this.time);
		streams.setUncaughtExceptionHandler((ex) -> StreamThreadExceptionResponse.REPLACE_THREAD);
		broker.start(streams);
		await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
		return streams;
	}

	/**
	 * The system's clock, which a test moves ahead: Kafka Streams' wall clock, which
	 * routing reads as "now" and runs its punctuations by. Every instance of a test
	 * shares it, as instances share one clock in a deployment.
	 */
	private static final class OffsetTime implements Time {

		private final AtomicLong offsetMs = new AtomicLong();

		void advance(Duration duration) {
			this.offsetMs.addAndGet(duration.toMillis());
		}

		@Override
		public long milliseconds() {
			return Time.SYSTEM.milliseconds() + this.offsetMs.get();
		}

		@Override
		public long nanoseconds() {
			return Time.SYSTEM.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(this.offsetMs.get());
		}

		@Override
		public void sleep(long ms) {
			Time.SYSTEM.sleep(ms);
		}

		@Override
		public void waitObject(Object object, Supplier<Boolean> condition, long deadlineMs)
				throws InterruptedException {
			Time.SYSTEM.waitObject(object, condition, deadlineMs - this.offsetMs.get());
		}

	}

	/** The {@code n}th event of every user, one user each, keyed by that user. */
	private static void sendEvents(int n) {
		for (int user = 0; user < USERS; user++) {
			EventAccepted event = new EventAccepted(EventAccepted.SCHEMA_VERSION, TENANT, "e-" + user + "-" + n,
					Instant.now(), "crash.item", new Recipients.Users(List.of("u-" + user)), Priority.NORMAL, null,
					Set.of(Channel.INAPP, Channel.PUSH, Channel.EMAIL),
					new Content(title(user, n), "Body " + user + "-" + n, null), null, Map.of(), null, null);
			broker.sendEvent(event);
		}
	}

	private static String title(int user, int n) {
		return "Item " + n + " of user " + user;
	}

	private static EventAccepted releaseEvent(String eventId, String type, @Nullable Instant sendAt) {
		return new EventAccepted(EventAccepted.SCHEMA_VERSION, RELEASE_TENANT, eventId, Instant.now(), type,
				new Recipients.Users(List.of(RELEASE_USER)), Priority.NORMAL, null, Set.of(Channel.EMAIL),
				new Content("Title of " + eventId, "Body of " + eventId, null), null, Map.of(), sendAt, null);
	}

	private static KafkaConsumer<String, byte[]> reader() {
		return broker.laneReader(Channel.EMAIL, Channel.PUSH);
	}

	/**
	 * Digest notifications per user and notification id, as the send ledger keys them.
	 */
	private static void read(KafkaConsumer<String, byte[]> consumer,
			Map<String, Map<String, DeliverNotification>> emails,
			Map<String, Map<String, DeliverNotification>> pushes) {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
			DeliverNotification notification = Topics.deliver(Channel.EMAIL, Lane.BULK).codec().decode(record.value());
			if (notification == null || !notification.tenant().equals(TENANT)) {
				continue;
			}
			Map<String, Map<String, DeliverNotification>> byUser = (notification.channel() == Channel.EMAIL) ? emails
					: pushes;
			DeliverNotification before = byUser.computeIfAbsent(notification.userId(), (user) -> new HashMap<>())
				.putIfAbsent(notification.notificationId(), notification);
			if (before != null) {
				// Sent again after the crash: the same message, which the ledger absorbs.
				assertThat(notification.message()).isEqualTo(before.message());
			}
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	/** Counts the copies of each email notification id; notes the digests' ids. */
	private static void count(KafkaConsumer<String, byte[]> consumer, Map<String, Integer> copies,
			List<String> digests) {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
			DeliverNotification notification = Topics.deliver(Channel.EMAIL, Lane.BULK).codec().decode(record.value());
			if (notification == null || !notification.tenant().equals(RELEASE_TENANT)) {
				continue;
			}
			copies.merge(notification.notificationId(), 1, Integer::sum);
			if (notification.category().equals("crash.*") && !digests.contains(notification.notificationId())) {
				digests.add(notification.notificationId());
			}
		}
	}

}
