package io.herald.delivery.receipt;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The meters of receipts:
 * <ul>
 * <li>{@code herald.delivery.receipts{source, outcome}}: receipts by source (the Twilio
 * account, {@code bounce-mailbox}) and what became of them: {@code accepted} (a status
 * was written), {@code duplicate} (one of its kind was recorded before),
 * {@code unknown_message} (a reference Herald does not know, or no longer keeps),
 * {@code erased} (a reference of a user erased since), {@code progress} (a step on the
 * way, such as Twilio's {@code sent}), {@code soft_bounce}, {@code refused_signature} (a
 * status callback without a valid {@code X-Twilio-Signature}), {@code malformed} (not a
 * callback, a mail that is no report), {@code unavailable} (Redis or the broker failed,
 * or the receipt could not be written: taken again later), {@code unrecordable} (a report
 * of the bounce mailbox that could not be recorded in several readings, deleted);</li>
 * <li>{@code herald.delivery.receipt.transitions{channel, state, reason}}: the statuses
 * receipts wrote, {@code delivered} or {@code failed}, by reason ({@code none} for a
 * plain delivery).</li>
 * </ul>
 */
@Component
public class ReceiptMetrics {

	private final MeterRegistry meters;

	ReceiptMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Counts one receipt of a source by what became of it. */
	public void receipt(String source, String outcome) {
		Counter.builder("herald.delivery.receipts")
			.tag("source", source)
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	void transition(Channel channel, DeliveryState state, ReceiptOutcome outcome) {
		ReceiptReason reason = outcome.reason();
		Counter.builder("herald.delivery.receipt.transitions")
			.tag("channel", channel.wireName())
			.tag("state", state.wireName())
			.tag("reason", (reason != null) ? reason.wireName() : "none")
			.register(this.meters)
			.increment();
	}

}
