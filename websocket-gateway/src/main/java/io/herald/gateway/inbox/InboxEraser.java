package io.herald.gateway.inbox;

import io.herald.events.Topics;
import io.herald.support.kafka.UserErasures;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Erases a user's inbox when the user is erased ({@code DELETE /v1/users/{userId}}
 * becomes an {@code erase-user} command on {@code herald.user-commands}). Other commands
 * are not the gateway's business. A record that cannot be decoded is skipped and counted
 * here: the routing topology, which owns the topic, dead-letters it. Offsets are
 * committed after Redis confirmed the deletion; deleting again is harmless. What every
 * service's erasure listener does is {@link UserErasures}'s.
 */
@Component
class InboxEraser {

	private final UserErasures erasures;

	InboxEraser(InboxStore store, MeterRegistry meters) {
		this.erasures = new UserErasures("herald.gateway.inbox.erasures", meters, store::erase);
	}

	@KafkaListener(id = "herald-inbox-erasure", topics = Topics.Names.USER_COMMANDS)
	void onCommand(ConsumerRecord<String, byte[]> record) {
		this.erasures.handle(record);
	}

}
