package io.herald.delivery.receipt;

/** What became of one receipt, as {@code herald.delivery.receipts} counts it. */
public enum Recorded {

	/** Its status was written. */
	ACCEPTED("accepted"),

	/** A receipt of its kind for the same send was recorded before: nothing written. */
	DUPLICATE("duplicate"),

	/** Its reference is not one Herald knows (or still keeps): nothing written. */
	UNKNOWN_MESSAGE("unknown_message"),

	/** Its reference is of a user erased since: nothing written. */
	ERASED("erased"),

	/** A step on the way or a soft bounce: counted and logged only. */
	NO_CHANGE("progress");

	private final String outcome;

	Recorded(String outcome) {
		this.outcome = outcome;
	}

	/** The {@code outcome} tag. */
	public String outcome() {
		return this.outcome;
	}

}
