package io.herald.delivery.dispatch;

import io.herald.delivery.ledger.SendLedger;
import io.herald.delivery.receipt.ReceiptReferences;
import io.herald.events.Topics;
import io.herald.support.kafka.UserErasures;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Forgets what the delivery service keeps about a user when the user is erased
 * ({@code erase-user} on {@code herald.user-commands}): the user's sends in the
 * {@link SendLedger}, and the deliveries of the user's receipt references
 * ({@link ReceiptReferences#erase}), so that a receipt that comes later is dropped. Other
 * commands are routing's business; a record that cannot be decoded is skipped here
 * (routing, which owns the topic, dead-letters it). Offsets are committed after Redis
 * confirmed the deletion; deleting again is harmless. What every service's erasure
 * listener does is {@link UserErasures}'s.
 */
@Component
class UserDataEraser {

	private final UserErasures erasures;

	UserDataEraser(SendLedger ledger, ReceiptReferences references, MeterRegistry meters) {
		this.erasures = new UserErasures("herald.delivery.erasures", meters, (tenant, userId) -> {
			long sends = ledger.erase(tenant, userId);
			long receipts = references.erase(tenant, userId);
			return sends + receipts > 0;
		});
	}

	@KafkaListener(id = "herald-delivery-erasure", groupId = "herald-delivery-erasure",
			topics = Topics.Names.USER_COMMANDS)
	void onCommand(ConsumerRecord<String, byte[]> record) {
		this.erasures.handle(record);
	}

}
