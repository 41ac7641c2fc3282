package io.herald.delivery.receipt;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * Asked of every receipt that shows a permanent address failure
 * ({@link ReceiptOutcome#permanentAddressFailure()}) for the records it makes: the place
 * where the address is to be suppressed. The {@link ReceiptRecorder} writes them with the
 * receipt's status, in one durable write, so that a status is never out without them. A
 * bean of this type is used when there is one; without one, nothing more is written
 * ({@link #NONE}).
 *
 * <p>
 * Contract: asked at least once per such receipt (a receipt that could not be recorded is
 * recorded again, and the listener asked again), so the records must be harmless to apply
 * twice; it writes nothing itself. A runtime exception makes the receipt count as not
 * recorded, so it is taken again (the bounce stays in the mailbox, the status callback is
 * answered {@code 503}).
 */
@FunctionalInterface
public interface PermanentFailureListener {

	/** Makes no records. */
	PermanentFailureListener NONE = (failure) -> List.of();

	/** The records one permanent address failure makes, none when it makes none. */
	List<ProducerRecord<String, byte[]>> recordsFor(PermanentAddressFailure failure);

}
