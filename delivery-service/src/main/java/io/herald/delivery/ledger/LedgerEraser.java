package io.herald.delivery.ledger;

import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Forgets a user's sends when the user is erased ({@code erase-user} on
 * {@code herald.user-commands}). Other commands are routing's business; a record that cannot be
 * decoded is skipped here (routing, which owns the topic, dead-letters it). Offsets are committed
 * after Redis confirmed the deletion; deleting again is harmless.
 */
@Component
class LedgerEraser {

	private static final Logger logger = LoggerFactory.getLogger(LedgerEraser.class);

	private final SendLedger ledger;

	private final MeterRegistry meters;

	LedgerEraser(SendLedger ledger, MeterRegistry meters) {
		this.ledger = ledger;
		this.meters = meters;
	}

	@KafkaListener(id = "herald-delivery-erasure", groupId = "herald-delivery-erasure",
			topics = Topics.Names.USER_COMMANDS)
	void onCommand(ConsumerRecord<String, byte[]> record) {
		UserCommand command;
		try {
			command = Topics.USER_COMMANDS.codec().decode(record.value());
		}
		catch (RecordDecodingException ex) {
			logger.debug("Skipping undecodable user command {}-{}@{}: {}", record.topic(), record.partition(),
					record.offset(), ex.getMessage());
			count("skipped");
			return;
		}
		if (command instanceof UserCommand.EraseUser erase) {
			long erased = this.ledger.erase(erase.tenant(), erase.userId());
			count((erased > 0) ? "erased" : "nothing_to_erase");
		}
	}

	private void count(String outcome) {
		this.meters.counter("herald.delivery.erasures", "outcome", outcome).increment();
	}

}
