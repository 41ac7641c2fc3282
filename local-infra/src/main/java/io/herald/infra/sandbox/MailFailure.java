package io.herald.infra.sandbox;

/**
 * Temporary refusals {@link MailSandbox} answers on demand, the way a relay under
 * pressure does: at {@code MAIL FROM}, before it takes a message. Clients must try again
 * later.
 */
public enum MailFailure {

	/** The relay is shutting down or overloaded and closes the session. */
	SERVICE_UNAVAILABLE("421 4.3.2 Service not available, closing transmission channel"),

	/** A local problem on the relay; try again later. */
	TEMPORARY("451 4.3.0 Requested action aborted: local error in processing"),

	/** The relay is over its quota of messages for now. */
	RATE_LIMITED("452 4.5.3 Too many messages, slow down");

	private final String reply;

	MailFailure(String reply) {
		this.reply = reply;
	}

	/**
	 * @return the SMTP reply line, code first
	 */
	public String reply() {
		return this.reply;
	}

}
