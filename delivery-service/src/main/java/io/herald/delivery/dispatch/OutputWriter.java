package io.herald.delivery.dispatch;

import io.herald.support.kafka.DurableWrites;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a batch's {@link Outputs} and waits until the broker has every record
 * (acks=all).
 */
@Component
class OutputWriter {

	private final KafkaTemplate<String, byte[]> kafka;

	private final DispatchProperties properties;

	OutputWriter(KafkaTemplate<String, byte[]> kafka, DispatchProperties properties) {
		this.kafka = kafka;
		this.properties = properties;
	}

	/**
	 * @throws IllegalStateException when not every record is acknowledged within
	 * {@link DispatchProperties#outputTimeout()}: the batch must then not be committed
	 */
	void write(Outputs outputs) {
		DurableWrites.write(this.kafka, outputs.records(), this.properties.outputTimeout());
	}

}
