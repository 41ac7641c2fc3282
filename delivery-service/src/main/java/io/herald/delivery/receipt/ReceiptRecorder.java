package io.herald.delivery.receipt;

import io.herald.events.DeliveryState;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.support.kafka.DurableWrites;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns receipts into statuses: finds the delivery of the receipt's reference, and writes
 * {@code delivered} or {@code failed} (with the receipt's reason) on the status topic,
 * with the records the {@link PermanentFailureListener} makes of a permanent address
 * failure, in one durable write (the producer is idempotent, not transactional: a write
 * that fails may have left some of them out, and recording the receipt again writes them
 * all again, which is harmless).
 *
 * <p>
 * Guarantees: a receipt repeated, or of a kind already recorded for the send (a second
 * {@code delivered}, an {@code undelivered} after it), writes nothing; a receipt of a
 * user erased since writes nothing ({@link Recorded#ERASED}); a receipt that moves no
 * status ({@code queued}, {@code sent}, a soft bounce) writes nothing; a receipt that
 * could not be written (Redis or the broker failed) is given back, so that taking it
 * again records it; a receipt whose recording never ended (the process was killed) is
 * claimed only for a lease of twice the write timeout, then recorded when taken again.
 * The status view ranks {@code delivered} and {@code failed} above {@code sent}, so a
 * receipt is never overwritten by a {@code sent} reported again.
 */
@Component
public class ReceiptRecorder {

	private static final Logger logger = LoggerFactory.getLogger(ReceiptRecorder.class);

	private final ReceiptReferences references;

	private final KafkaTemplate<String, byte[]> kafka;

	private final ReceiptProperties properties;

	private final ReceiptMetrics metrics;

	private final PermanentFailureListener listener;

	private final Clock clock;

	ReceiptRecorder(ReceiptReferences references, KafkaTemplate<String, byte[]> kafka, ReceiptProperties properties,
			ReceiptMetrics metrics, ObjectProvider<PermanentFailureListener> listener, Clock clock) {
		this.references = references;
		this.kafka = kafka;
		this.properties = properties;
		this.metrics = metrics;
		this.listener = listener.getIfAvailable(() -> PermanentFailureListener.NONE);
		this.clock = clock;
	}

	/**
	 * Records one receipt and counts it.
	 * @return what became of it
	 * @throws RuntimeException when Redis or the broker failed (counted
	 * {@code unavailable}): nothing is recorded, and the receipt may be taken again
	 */
	public Recorded record(Receipt receipt) {
		try {
			Recorded recorded = recordOnce(receipt);
			this.metrics.receipt(receipt.source(),
					(recorded == Recorded.NO_CHANGE) ? receipt.outcome().outcome() : recorded.outcome());
			return recorded;
		}
		catch (RuntimeException ex) {
			this.metrics.receipt(receipt.source(), "unavailable");
			throw ex;
		}
	}

	private Recorded recordOnce(Receipt receipt) {
		ReceiptOutcome outcome = receipt.outcome();
		DeliveryState state = outcome.state();
		if (state == null) {
			logger.debug("{}: {} for {} ({})", receipt.source(), outcome, receipt.reference(), receipt.messageId());
			return Recorded.NO_CHANGE;
		}
		ReceiptTarget target;
		switch (this.references.find(receipt.reference())) {
			case ReceiptReferences.Lookup.Known known -> target = known.target();
			case ReceiptReferences.Lookup.Erased erased -> {
				logger.debug("{}: {} for the reference {} of an erased user", receipt.source(), outcome.outcome(),
						receipt.reference());
				return Recorded.ERASED;
			}
			case ReceiptReferences.Lookup.Unknown unknown -> {
				logger.info("{}: {} for unknown reference {} ({})", receipt.source(), outcome.outcome(),
						receipt.reference(), receipt.messageId());
				return Recorded.UNKNOWN_MESSAGE;
			}
		}
		String kind = (outcome instanceof ReceiptOutcome.Complained) ? "complaint" : "outcome";
		if (!this.references.claim(receipt.reference(), kind)) {
			return Recorded.DUPLICATE;
		}
		Instant at = this.clock.instant();
		try {
			List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
			records.addAll(statuses(target, state, outcome, receipt, at));
			if (outcome.permanentAddressFailure()) {
				records.addAll(this.listener.recordsFor(new PermanentAddressFailure(target.tenant(), target.userId(),
						target.channel(), receipt.address(), outcome.reason(), target.eventId(), at, target.sentAt())));
			}
			DurableWrites.write(this.kafka, records, this.properties.writeTimeout());
			this.references.recorded(receipt.reference(), kind);
		}
		catch (RuntimeException ex) {
			this.references.release(receipt.reference(), kind);
			throw ex;
		}
		this.metrics.transition(target.channel(), state, outcome);
		logger.debug("{}: {} {} for {}", receipt.source(), target.channel().wireName(), outcome, target.userId());
		return Recorded.ACCEPTED;
	}

	/** The receipt's status, for a digest also that of each event it lists. */
	private static List<ProducerRecord<String, byte[]>> statuses(ReceiptTarget target, DeliveryState state,
			ReceiptOutcome outcome, Receipt receipt, Instant at) {
		ReceiptReason reason = outcome.reason();
		StatusReported status = new StatusReported(StatusReported.SCHEMA_VERSION, target.tenant(), target.eventId(),
				target.userId(), target.channel(), target.device(), state, (reason != null) ? reason.wireName() : null,
				null, receipt.messageId(), null, at);
		return status.alsoFor(target.digestOf())
			.stream()
			.map((each) -> new ProducerRecord<>(Topics.STATUS.name(),
					PartitionKeys.event(each.tenant(), each.eventId()), Topics.STATUS.codec().encode(each)))
			.toList();
	}

}
