package io.herald.routing.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends a record that cannot be decoded to its dead-letter topic and moves on
 * ({@code deserialization.exception.handler}). The dead letter is written by the task's
 * own producer before the record's offset is committed, so it is never lost (after a
 * crash it may be written twice, with the same record in it).
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

	@Override
	public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
			Exception exception) {
		logger.warn("Dead-lettering undecodable record {}-{}@{}: {}", context.topic(), context.partition(),
				context.offset(), exception.getMessage());
		return Response
			.resume(List.of(DeadLetterRecords.of(context, record.key(), record.value(), record.headers(), exception)));
	}

	@Override
	public void configure(Map<String, ?> configs) {
	}

}
