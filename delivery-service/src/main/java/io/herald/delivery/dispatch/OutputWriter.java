package io.herald.delivery.dispatch;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes a batch's {@link Outputs} and waits until the broker has every record (acks=all). */
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
		List<ProducerRecord<String, byte[]>> records = outputs.records();
		if (records.isEmpty()) {
			return;
		}
		List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(records.size());
		for (ProducerRecord<String, byte[]> record : records) {
			sends.add(this.kafka.send(record));
		}
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(this.properties.outputTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while writing a batch's outputs", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("a batch's outputs were not acknowledged in time", ex);
		}
	}

}
