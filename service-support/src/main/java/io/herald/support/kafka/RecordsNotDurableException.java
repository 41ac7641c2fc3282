package io.herald.support.kafka;

/**
 * The broker did not acknowledge every record of a {@link DurableWrites#write durable
 * write} in time (it is down, unreachable or too slow). An infrastructure fault, not a
 * bug: the caller may retry, and must not commit the input that caused the records; an
 * API answers it with {@code 503} and {@code Retry-After}.
 */
public class RecordsNotDurableException extends IllegalStateException {

	RecordsNotDurableException(String message, Throwable cause) {
		super(message, cause);
	}

}
