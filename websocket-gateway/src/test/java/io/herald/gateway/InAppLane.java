package io.herald.gateway;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.RetractNotification;
import io.herald.events.Topics;
import io.herald.infra.SharedInfra;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes in-app delivery requests to the shared broker, as routing does. */
public final class InAppLane implements AutoCloseable {

	private final KafkaProducer<String, byte[]> producer;

	/** The lane on the shared broker. */
	public InAppLane() {
		this(SharedInfra.kafka().bootstrapServers());
	}

	/** The lane on the broker at these addresses. */
	public InAppLane(String bootstrapServers) {
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1, ProducerConfig.LINGER_MS_CONFIG, 1),
				new StringSerializer(), new ByteArraySerializer());
	}

	/** The {@code n}th notification of a user, titled {@code title n}. */
	public static DeliverNotification notification(String tenant, String user, int n) {
		return notification(tenant, user, n, "body " + n);
	}

	/** The {@code n}th notification of a user with the given body. */
	public static DeliverNotification notification(String tenant, String user, int n, String body) {
		String eventId = "evt-" + user + "-" + n;
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, tenant, eventId,
				DeliverNotification.notificationId(eventId, user, Channel.INAPP), user, Priority.HIGH, "order.shipped",
				new ChannelMessage.InApp("title " + n, body), Map.of("n", n), Instant.now(), null);
	}

	/**
	 * Sends notifications {@code from} to {@code to} (inclusive) of a user on the
	 * priority lane.
	 */
	public void deliver(String tenant, String user, int from, int to) {
		for (int n = from; n <= to; n++) {
			deliver(notification(tenant, user, n));
		}
		this.producer.flush();
	}

	/** Sends one notification on the priority lane. */
	public void deliver(DeliverNotification notification) {
		deliver(Lane.PRIORITY, notification);
	}

	/** Sends one notification on a lane; {@link #flush()} waits for what was sent. */
	public void deliver(Lane lane, DeliverNotification notification) {
		this.producer.send(new ProducerRecord<>(Topics.deliver(Channel.INAPP, lane).name(), notification.key(),
				Topics.deliver(Channel.INAPP, lane).codec().encode(notification)));
	}

	/**
	 * Retracts the {@code n}th notification of users
	 * ({@link #notification(String, String, int)}) on the priority lane, as routing does
	 * when its event is cancelled: one record keyed by the first user, with its
	 * CloudEvents type, and waits for the broker.
	 */
	public void retract(String tenant, String eventId, String... users) {
		List<String> all = List.of(users);
		RetractNotification retraction = new RetractNotification(RetractNotification.SCHEMA_VERSION, tenant, eventId,
				all.get(0), EventCancelled.BY_API, Instant.now(), all.subList(1, all.size()));
		retract(retraction.key(), retraction);
	}

	/** Sends a retraction under a key on the priority lane, and waits for the broker. */
	public void retract(String key, RetractNotification retraction) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(
				Topics.deliver(Channel.INAPP, Lane.PRIORITY).name(), key, RetractNotification.CODEC.encode(retraction));
		HeaderNames.addCloudEvent(record.headers(), retraction.eventId(), RetractNotification.CLOUD_EVENT_TYPE,
				"/herald/routing", retraction.retractedAt(), null);
		this.producer.send(record);
		this.producer.flush();
	}

	/** Waits until everything sent is acknowledged. */
	public void flush() {
		this.producer.flush();
	}

	/** Sends a raw record on a topic. */
	public void send(String topic, String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(topic, key, value));
		this.producer.flush();
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
