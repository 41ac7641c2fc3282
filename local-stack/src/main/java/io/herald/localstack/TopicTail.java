package io.herald.localstack;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./platform tail [topic-regex]}: prints every record on the local stack's topics
 * that match, from the beginning and then as they arrive, so a newcomer can watch what
 * each stage writes without a Kafka client. The default shows the delivery lanes. Reads
 * committed records only, as the stages downstream do; it joins no consumer group and
 * changes nothing.
 */
final class TopicTail {

	/** The topics shown when none are named: every delivery lane. */
	static final String DEFAULT_TOPICS = "herald\\.deliver\\..*";

	private TopicTail() {
	}

	static void run(String bootstrapServers, Pattern topics, PrintStream out) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest", ConsumerConfig.GROUP_ID_CONFIG, "herald-tail-" + ProcessHandle.current().pid(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		out.println("tailing topics matching " + topics.pattern() + " on " + bootstrapServers + " (Ctrl-C stops)");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.subscribe(topics);
			Runtime.getRuntime().addShutdownHook(new Thread(consumer::wakeup, "tail-shutdown"));
			while (true) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					out.println(format(record));
				}
			}
		}
		catch (org.apache.kafka.common.errors.WakeupException ex) {
			// Ctrl-C
		}
	}

	static String format(ConsumerRecord<String, byte[]> record) {
		StringBuilder line = new StringBuilder().append(record.topic()).append(" key=").append(record.key());
		Header type = record.headers().lastHeader("ce_type");
		if (type != null) {
			line.append(" type=").append(new String(type.value(), StandardCharsets.UTF_8));
		}
		String value = (record.value() != null) ? new String(record.value(), StandardCharsets.UTF_8) : "(tombstone)";
		return line.append('\n').append("  ").append(value).toString();
	}

}
