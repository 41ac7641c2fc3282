package io.herald.loaddriver;

/**
 * The counts a run's delivery guarantees are judged by, the same for every scenario that
 * follows notifications to their receivers.
 *
 * @param accepted notifications the platform accepted ({@code 202})
 * @param delivered accepted notifications that arrived, once each
 * @param lost accepted notifications that did not arrive before the driver stopped
 * waiting
 * @param duplicated notifications that arrived a second time, as the receiver sees them
 * @param outOfOrder notifications that did not arrive in their user's order
 * @param unexpected notifications the driver never sent to that receiver
 */
public record Accounting(long accepted, long delivered, long lost, long duplicated, long outOfOrder, long unexpected) {

	/** Nothing lost, nothing twice, nothing out of order, nothing unknown. */
	public boolean clean() {
		return this.lost == 0 && this.duplicated == 0 && this.outOfOrder == 0 && this.unexpected == 0;
	}

	/** The sum of two runs' counts. */
	public Accounting plus(Accounting other) {
		return new Accounting(this.accepted + other.accepted, this.delivered + other.delivered, this.lost + other.lost,
				this.duplicated + other.duplicated, this.outOfOrder + other.outOfOrder,
				this.unexpected + other.unexpected);
	}

	@Override
	public String toString() {
		return "accepted " + this.accepted + ", delivered " + this.delivered + ", lost " + this.lost + ", duplicated "
				+ this.duplicated + ", out of order " + this.outOfOrder + ", unexpected " + this.unexpected;
	}

}
