package io.herald.delivery.ledger;

import io.herald.events.Topics;
import io.herald.support.kafka.UserErasures;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Forgets a user's sends when the user is erased ({@code erase-user} on
 * {@code herald.user-commands}). Other commands are routing's business; a record that
 * cannot be decoded is skipped here (routing, which owns the topic, dead-letters it).
 * Offsets are committed after Redis confirmed the deletion; deleting again is harmless.
 * What every service's erasure listener does is {@link UserErasures}'s.
 */
@Component
class LedgerEraser {

	private final UserErasures erasures;

	LedgerEraser(SendLedger ledger, MeterRegistry meters) {
		this.erasures = new UserErasures("herald.delivery.erasures", meters,
				(tenant, userId) -> ledger.erase(tenant, userId) > 0);
	}

	@KafkaListener(id = "herald-delivery-erasure", groupId = "herald-delivery-erasure",
			topics = Topics.Names.USER_COMMANDS)
	void onCommand(ConsumerRecord<String, byte[]> record) {
		this.erasures.handle(record);
	}

}
