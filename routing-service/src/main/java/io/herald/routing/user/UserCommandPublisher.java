package io.herald.routing.user;

import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.support.web.ApiProblemException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes the user API's commands to {@code herald.user-commands}, keyed
 * {@code tenant|userId}, through the service's idempotent {@code acks=all} producer.
 */
@Component
class UserCommandPublisher {

	private static final Logger logger = LoggerFactory.getLogger(UserCommandPublisher.class);

	private final KafkaTemplate<String, byte[]> kafka;

	private final UserApiProperties properties;

	UserCommandPublisher(KafkaTemplate<String, byte[]> kafka, UserApiProperties properties) {
		this.kafka = kafka;
		this.properties = properties;
	}

	/**
	 * Publishes a command and returns once every in-sync replica has it.
	 * @throws ApiProblemException {@code 503} with {@code Retry-After} when the broker
	 * does not acknowledge within {@link UserApiProperties#publishTimeout()}; the command
	 * may or may not have been written, and repeating it is harmless (every command is
	 * idempotent)
	 */
	void publish(UserCommand command) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.USER_COMMANDS.name(), command.key(),
				Topics.USER_COMMANDS.codec().encode(command));
		try {
			this.kafka.send(record).get(this.properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(command, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(command, ex);
		}
	}

	private ApiProblemException unavailable(UserCommand command, Exception ex) {
		// The tenant only: user ids may be personal data (an email address).
		logger.warn("{} for tenant {} was not acknowledged: {}", command.getClass().getSimpleName(), command.tenant(),
				ex.toString());
		return Unavailable.problem("The user command log did not acknowledge the change in time; retry later.",
				this.properties.unavailableRetryAfter());
	}

}
