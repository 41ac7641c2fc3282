package io.herald.routing.topology;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends the source record of a record that failed in a processor to the dead-letter topic
 * and moves on ({@code processing.exception.handler}), so one poison record never stops a
 * partition. The dead letter is the record as it was read from the task's source topic
 * (an event, a command, or an event copy from an internal topic), written by the task's
 * producer before the record's offset is committed.
 *
 * <p>
 * A failure outside any record (a punctuation) has no source record: it is logged and the
 * topology moves on; the release punctuator dead-letters its own failures.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

	@Override
	public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
		byte[] key = context.sourceRawKey();
		byte[] value = context.sourceRawValue();
		if (key == null && value == null) {
			logger.error("Processing failed in {} without a source record; moving on", context.processorNodeId(),
					exception);
			return Response.resume();
		}
		logger.warn("Dead-lettering record {}-{}@{} that failed in {}: {}", context.topic(), context.partition(),
				context.offset(), context.processorNodeId(), exception.toString());
		return Response.resume(List.of(DeadLetterRecords.of(context, key, value, context.headers(), exception)));
	}

	@Override
	public void configure(Map<String, ?> configs) {
	}

}
