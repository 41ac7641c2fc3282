package io.herald.delivery.email;

import io.herald.support.kafka.RecordsNotDurableException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The reports of the bounce mailbox that could not be recorded, and why: when Redis or
 * the broker failed ({@link #infrastructure}), every report waits for them; otherwise the
 * report itself cannot be recorded (a bug, a record the broker refuses), and it is tried
 * at most {@value #MAX_TRIES} times, one per reading, before it goes, so that it holds up
 * no other.
 */
final class UnrecordedReports {

	/** How many readings a report that cannot be recorded is tried in. */
	static final int MAX_TRIES = 5;

	/** Tries by mail, of the mails seen in the readings since they first failed. */
	private final Map<String, Integer> tries = new ConcurrentHashMap<>();

	/**
	 * Whether a failure to record is Redis's or the broker's (down, slow, unreachable,
	 * refusing Herald's credentials) rather than the report's: a
	 * {@link DataAccessException}, or records not acknowledged for a retriable cause, a
	 * timeout, or none known.
	 */
	static boolean infrastructure(RuntimeException ex) {
		if (ex instanceof DataAccessException) {
			return true;
		}
		if (!(ex instanceof RecordsNotDurableException)) {
			return false;
		}
		boolean kafkaRefused = false;
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof RetriableException || cause instanceof TimeoutException
					|| cause instanceof InterruptedException || cause instanceof AuthenticationException
					|| cause instanceof AuthorizationException) {
				return true;
			}
			kafkaRefused |= cause instanceof KafkaException;
		}
		return !kafkaRefused;
	}

	/**
	 * Counts one more try of a mail that could not be recorded.
	 * @return whether it has had its last
	 */
	boolean failed(String mail) {
		return this.tries.merge(mail, 1, Integer::sum) >= MAX_TRIES;
	}

	/** Forgets a mail that went. */
	void forget(String mail) {
		this.tries.remove(mail);
	}

	/** Forgets the tries of mails no longer seen (deleted by another reader). */
	void keepOnly(Set<String> seen) {
		this.tries.keySet().retainAll(seen);
	}

	/**
	 * A mail's identity across readings: its IMAP UID (with the folder's UIDVALIDITY), or
	 * else its number.
	 */
	static String identity(Folder folder, Message mail) throws MessagingException {
		if (folder instanceof UIDFolder uids) {
			return uids.getUIDValidity() + ":" + uids.getUID(mail);
		}
		return "#" + mail.getMessageNumber();
	}

}
