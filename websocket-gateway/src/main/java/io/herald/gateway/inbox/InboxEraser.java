package io.herald.gateway.inbox;

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
 * Erases a user's inbox when the user is erased ({@code DELETE /v1/users/{userId}} becomes an
 * {@code erase-user} command on {@code herald.user-commands}). Other commands are not the
 * gateway's business. A record that cannot be decoded is skipped and counted here: the routing
 * topology, which owns the topic, dead-letters it. Offsets are committed after Redis confirmed
 * the deletion; deleting again is harmless.
 */
@Component
class InboxEraser {

	private static final Logger logger = LoggerFactory.getLogger(InboxEraser.class);

	private final InboxStore store;

	private final MeterRegistry meters;

	InboxEraser(InboxStore store, MeterRegistry meters) {
		this.store = store;
		this.meters = meters;
	}

	@KafkaListener(id = "herald-inbox-erasure", topics = Topics.Names.USER_COMMANDS)
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
			boolean erased = this.store.erase(erase.tenant(), erase.userId());
			count(erased ? "erased" : "nothing_to_erase");
		}
	}

	private void count(String outcome) {
		this.meters.counter("herald.gateway.inbox.erasures", "outcome", outcome).increment();
	}

}
