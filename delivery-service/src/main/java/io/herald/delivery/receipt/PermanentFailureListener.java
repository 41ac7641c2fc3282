package io.herald.delivery.receipt;

/**
 * Told of every receipt that shows a permanent address failure
 * ({@link ReceiptOutcome#permanentAddressFailure()}), once its status is durably written:
 * the place where the address is to be suppressed. A bean of this type is used when there
 * is one; without one, nothing more happens ({@link #NONE}).
 *
 * <p>
 * Contract: called at least once per such receipt (a receipt that could not be recorded
 * is recorded again, and the listener called again); a runtime exception makes the
 * receipt count as not recorded, so it is taken again (the bounce stays in the mailbox,
 * the status callback is answered {@code 503}).
 */
@FunctionalInterface
public interface PermanentFailureListener {

	/** Does nothing. */
	PermanentFailureListener NONE = (failure) -> {
	};

	/** Handles one permanent address failure. */
	void permanentAddressFailure(PermanentAddressFailure failure);

}
