package io.herald.ingestion.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * The answer for one event: {@code accepted}, {@code duplicate} or, in a batch,
 * {@code rejected} with the problem.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EventReceipt(@Nullable String eventId, String status, @Nullable ProblemDetail problem) {

	static EventReceipt accepted(String eventId) {
		return new EventReceipt(eventId, "accepted", null);
	}

	static EventReceipt duplicate(String eventId) {
		return new EventReceipt(eventId, "duplicate", null);
	}

	static EventReceipt rejected(ProblemDetail problem) {
		return new EventReceipt(null, "rejected", problem);
	}

}
