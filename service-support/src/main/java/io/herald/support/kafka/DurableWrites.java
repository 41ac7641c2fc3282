package io.herald.support.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes records and waits until the broker has every one ({@code acks=all}): what a
 * consumer does before it commits the input that caused them.
 */
public final class DurableWrites {

	private DurableWrites() {
	}

	/**
	 * Sends the records and waits for the broker's acknowledgement of all of them.
	 * @param kafka the template to send with
	 * @param records what to write
	 * @param timeout how long to wait for the acknowledgements
	 * @throws RecordsNotDurableException when not every record is acknowledged in time:
	 * the input must then not be committed
	 */
	public static void write(KafkaTemplate<String, byte[]> kafka, List<ProducerRecord<String, byte[]>> records,
			Duration timeout) {
		if (records.isEmpty()) {
			return;
		}
		List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(records.size());
		try {
			for (ProducerRecord<String, byte[]> record : records) {
				sends.add(kafka.send(record));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RecordsNotDurableException("interrupted while waiting for the broker", ex);
		}
		catch (ExecutionException | TimeoutException | KafkaException | org.springframework.kafka.KafkaException ex) {
			// A send can also fail at once: no metadata for the topic within
			// max.block.ms.
			throw new RecordsNotDurableException(records.size() + " records were not acknowledged within " + timeout,
					ex);
		}
	}

}
