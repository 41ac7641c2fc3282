package io.herald.support.kafka;

import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service does with a record of {@code herald.user-commands} when it keeps data of
 * its own about users: erases that data for an {@code erase-user} command ({@code DELETE
 * /v1/users/{userId}}) and ignores every other command, which is routing's business. A
 * record that cannot be decoded is skipped and counted: routing, which owns the topic,
 * dead-letters it. The service's listener calls {@link #handle} and lets its container
 * commit the offset once this returns, that is once the erasure is done; erasing again is
 * harmless.
 *
 * <p>
 * Counts every record by outcome in the counter it is given: {@code erased},
 * {@code nothing_to_erase} or {@code skipped}.
 */
public final class UserErasures {

	private static final Logger logger = LoggerFactory.getLogger(UserErasures.class);

	private final Eraser eraser;

	private final Counter erased;

	private final Counter nothingToErase;

	private final Counter skipped;

	/**
	 * @param counter the name of the counter of erasures, such as
	 * {@code herald.delivery.erasures}
	 * @param meters where the counter is registered
	 * @param eraser erases one user's data
	 */
	public UserErasures(String counter, MeterRegistry meters, Eraser eraser) {
		this.eraser = eraser;
		this.erased = meters.counter(counter, "outcome", "erased");
		this.nothingToErase = meters.counter(counter, "outcome", "nothing_to_erase");
		this.skipped = meters.counter(counter, "outcome", "skipped");
	}

	/**
	 * Erases the user an {@code erase-user} command names; ignores other commands and
	 * skips a record that cannot be decoded.
	 * @param record a record of {@code herald.user-commands}
	 */
	public void handle(ConsumerRecord<String, byte[]> record) {
		UserCommand command;
		try {
			command = Topics.USER_COMMANDS.codec().decode(record.value());
		}
		catch (RecordDecodingException ex) {
			logger.debug("Skipping undecodable user command {}-{}@{}: {}", record.topic(), record.partition(),
					record.offset(), ex.getMessage());
			this.skipped.increment();
			return;
		}
		if (command instanceof UserCommand.EraseUser erase) {
			boolean found = this.eraser.erase(erase.tenant(), erase.userId());
			(found ? this.erased : this.nothingToErase).increment();
		}
	}

	/** Erases one user's data in one service. */
	@FunctionalInterface
	public interface Eraser {

		/**
		 * Erases what the service keeps about the user; done when it returns.
		 * @return whether there was anything to erase
		 */
		boolean erase(String tenant, String userId);

	}

}
