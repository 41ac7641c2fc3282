package io.herald.ingestion.ingest;

import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A request waits for the event log's answer with no timer of its own, so the producer
 * must answer within the publish timeout: a setting that would let it take longer stops
 * the service at start.
 */
class EventPublisherTests {

	private static final RecordTracing TRACING = new RecordTracing(Tracer.NOOP, Propagator.NOOP);

	@Test
	void takesAProducerThatAnswersWithinThePublishTimeout() {
		EventPublisher publisher = new EventPublisher(template(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000",
				ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2097152")), TRACING, properties("6s"));

		assertThat(publisher.maxRecordBytes()).isEqualTo(2_097_152);
	}

	@Test
	void refusesAProducerThatMayAnswerAfterThePublishTimeout() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new EventPublisher(template(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6000)),
					TRACING, properties("6s")))
			.withMessageContaining("herald.ingestion.publish-timeout (PT6S)")
			.withMessageContaining("delivery.timeout.ms (6000 ms)");
	}

	@Test
	void refusesKafkasDefaultDeliveryTimeoutOfTwoMinutes() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new EventPublisher(template(Map.of()), TRACING, properties("6s")))
			.withMessageContaining("delivery.timeout.ms (120000 ms)");
	}

	private static KafkaTemplate<String, byte[]> template(Map<String, Object> settings) {
		Map<String, Object> config = new HashMap<>(settings);
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
	}

	private static IngestionProperties properties(String publishTimeout) {
		return new Binder(
				new MapConfigurationPropertySource(Map.of("herald.ingestion.publish-timeout", publishTimeout)))
			.bindOrCreate("herald.ingestion", Bindable.of(IngestionProperties.class));
	}

}
