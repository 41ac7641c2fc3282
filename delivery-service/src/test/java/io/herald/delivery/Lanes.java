package io.herald.delivery;

import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.HeaderNames;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.SharedInfra;
import io.herald.infra.TopicContents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes delivery requests to the shared broker as routing does, and reads back what the
 * delivery service wrote: status records, dead letters, commands to routing.
 */
public final class Lanes implements AutoCloseable {

	public static final String TENANT = "acme";

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers(),
					ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1),
			new StringSerializer(), new ByteArraySerializer());

	/** A notification for a user on a channel, from a new event. */
	public static DeliverNotification notification(String user, String eventId, Priority priority,
			ChannelMessage message) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, TENANT, eventId,
				DeliverNotification.notificationId(eventId, user, message.channel()), user, priority, "order.shipped",
				message, Map.of("orderId", "981"), Instant.now(), null);
	}

	public static ChannelMessage.Sms sms(String to) {
		return new ChannelMessage.Sms(to, "Your order shipped");
	}

	public static ChannelMessage.Email email(String to) {
		return new ChannelMessage.Email(to, "Your order shipped", "Order 981 is on its way",
				"<p>Order <b>981</b> is on its way</p>");
	}

	public static ChannelMessage.Push push(Device... devices) {
		return new ChannelMessage.Push("Your order shipped", "Order 981 is on its way", List.of(devices));
	}

	public static Device device(Device.Platform platform, String token) {
		return new Device(platform, token, null, Instant.now());
	}

	/**
	 * Writes a notification to its lane (by channel and priority) and waits for the
	 * broker.
	 */
	public void deliver(DeliverNotification notification) {
		send(Topics.deliver(notification.channel(), notification.priority().lane()).name(), notification.key(),
				encode(notification));
	}

	/** Writes many notifications, then waits for the broker once. */
	public void deliverAll(List<DeliverNotification> notifications) {
		for (DeliverNotification notification : notifications) {
			this.producer.send(
					new ProducerRecord<>(Topics.deliver(notification.channel(), notification.priority().lane()).name(),
							notification.key(), encode(notification)));
		}
		this.producer.flush();
	}

	/** Writes a raw record and waits for the broker. */
	public void send(String topic, String key, byte[] value) {
		try {
			this.producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes a raw record with headers, each a text, and waits for the broker. */
	public void send(String topic, String key, byte[] value, java.util.Map<String, String> headers) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
		headers.forEach(
				(name, text) -> record.headers().add(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		try {
			this.producer.send(record).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Every status record of one user so far. */
	public static List<StatusReported> statuses(String user) {
		return TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), Topics.STATUS.name())
			.stream()
			.map((record) -> Topics.STATUS.codec().decode(record.value()))
			.filter(Objects::nonNull)
			.filter((status) -> status.userId().equals(user))
			.toList();
	}

	/** Every record of a topic whose key belongs to the user. */
	public static List<ConsumerRecord<String, byte[]>> records(String topic, String user) {
		return TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), topic)
			.stream()
			.filter((record) -> (TENANT + "|" + user).equals(record.key()))
			.toList();
	}

	/** Every command to routing about the user. */
	public static List<UserCommand> commands(String user) {
		return records(Topics.USER_COMMANDS.name(), user).stream()
			.map((record) -> Topics.USER_COMMANDS.codec().decode(record.value()))
			.toList();
	}

	/** Every {@code suppress-address} command to routing about the user. */
	public static List<UserCommand.SuppressAddress> suppressions(String user) {
		return commands(user).stream()
			.filter(UserCommand.SuppressAddress.class::isInstance)
			.map(UserCommand.SuppressAddress.class::cast)
			.toList();
	}

	/** A header of a record as text. */
	public static String header(ConsumerRecord<String, byte[]> record, String name) {
		return HeaderNames.lastValue(record.headers(), name);
	}

	private static byte[] encode(DeliverNotification notification) {
		return Topics.deliver(notification.channel(), notification.priority().lane()).codec().encode(notification);
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
