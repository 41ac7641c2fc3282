package io.herald.ingestion.ingest;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;

/**
 * Tells a publish failure that a retry cannot cure (the record is too large, the topic is
 * invalid, the producer is not authorized) from one that it can (the broker is down or
 * slow).
 */
final class PublishFailures {

	private PublishFailures() {
	}

	/**
	 * The permanent rejection a failure means, or {@code null} when a retry may succeed.
	 */
	static IngestOutcome.@Nullable Rejected permanent(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof EventTooLargeException tooLarge) {
				return new IngestOutcome.Rejected(IngestOutcome.Rejected.Reason.TOO_LARGE, tooLarge.getMessage());
			}
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
				return new IngestOutcome.Rejected(IngestOutcome.Rejected.Reason.TOO_LARGE,
						"The event is larger than the event log accepts for one record; nothing was accepted.");
			}
			if (cause instanceof InvalidTopicException || cause instanceof SerializationException
					|| cause instanceof AuthorizationException) {
				return new IngestOutcome.Rejected(IngestOutcome.Rejected.Reason.REFUSED,
						"The event log refused the event (" + cause.getClass().getSimpleName()
								+ "); nothing was accepted.");
			}
		}
		return null;
	}

}
